"""fee guard and TOTP: approved / paid fees frozen in the database; staff second factor.

The ORM already froze approved 協力費 entries (a mapper event); plain SQL could still change
or delete them. Triggers now refuse UPDATE and DELETE of a row whose state is approved or
paid, except the one transition the app performs (``fees.mark_fee_paid``: approved → paid,
setting paid_on / paid_at / paid_by and bumping the optimistic-lock version). Corrections
stay reversal entries. The fee table holds no encrypted column, so ``tsunagu rotate-key``
never has to write through the guard.

staff_user gains the optional TOTP second factor: the secret (Fernet-encrypted like other
sensitive text), when it was confirmed, the last accepted time step (a code is single use)
and the sha256 hashes of the unused recovery codes.

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-04 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Columns an approved → paid transition may change; every other column must stay the same.
PAY_COLUMNS = ("state", "paid_on", "paid_at", "paid_by", "version")
FEE_COLUMNS = (
    "id", "idempotency_key", "placement_id", "person_id", "resource_id", "receiver_id",
    "fee_unit", "unit_amount_yen", "quantity", "amount_yen", "activity_dates",
    "covers_from_on", "covers_to_on", "fiscal_year", "reverses_fee_id", "note",
    "rejection_reason", "created_at", "created_by", "approved_at", "approved_by",
    "rejected_at", "rejected_by",
)  # fmt: skip

_SAME = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in FEE_COLUMNS)
SQLITE_TRIGGERS = (
    "CREATE TRIGGER cooperation_fee_frozen_update BEFORE UPDATE ON cooperation_fee "
    "WHEN OLD.state IN ('approved', 'paid') AND NOT (OLD.state = 'approved' AND "
    f"NEW.state = 'paid' AND NEW.paid_on IS NOT NULL AND {_SAME}) "
    "BEGIN SELECT RAISE(ABORT, 'approved or paid cooperation_fee rows are frozen'); END",
    "CREATE TRIGGER cooperation_fee_frozen_delete BEFORE DELETE ON cooperation_fee "
    "WHEN OLD.state IN ('approved', 'paid') "
    "BEGIN SELECT RAISE(ABORT, 'approved or paid cooperation_fee rows are frozen'); END",
)
_DROP_PAY = " - ".join(f"'{c}'" for c in PAY_COLUMNS)
POSTGRES_STATEMENTS = (
    "CREATE FUNCTION tsunagu_fee_frozen() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF OLD.state NOT IN ('approved', 'paid') THEN "
    "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF; "
    "IF TG_OP = 'UPDATE' AND OLD.state = 'approved' AND NEW.state = 'paid' "
    "  AND NEW.paid_on IS NOT NULL "
    f"  AND (to_jsonb(OLD) - {_DROP_PAY}) = (to_jsonb(NEW) - {_DROP_PAY}) THEN RETURN NEW; "
    "END IF; "
    "RAISE EXCEPTION 'approved or paid cooperation_fee rows are frozen' "
    "USING ERRCODE = 'P0001'; END $$",
    "CREATE TRIGGER cooperation_fee_frozen BEFORE UPDATE OR DELETE ON cooperation_fee "
    "FOR EACH ROW EXECUTE FUNCTION tsunagu_fee_frozen()",
)


def upgrade() -> None:
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("totp_secret", sa.Text(), nullable=True))
        batch.add_column(sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("totp_recovery_hashes", sa.JSON(), nullable=True))
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS cooperation_fee_frozen_update")
        op.execute("DROP TRIGGER IF EXISTS cooperation_fee_frozen_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS cooperation_fee_frozen ON cooperation_fee")
        op.execute("DROP FUNCTION IF EXISTS tsunagu_fee_frozen()")
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("totp_recovery_hashes")
        batch.drop_column("totp_last_step")
        batch.drop_column("totp_enabled_at")
        batch.drop_column("totp_secret")
