"""security: sign-in attempts (throttling and temporary locks); audit rows append-only.

The audit log was append-only through the ORM only; triggers now refuse UPDATE and DELETE
(and TRUNCATE on PostgreSQL) in plain SQL too, so a correction is always a new row. Instant
columns were already ``timestamptz`` on PostgreSQL (``storage.types.UTCDateTime`` only
changes how values are read back), so no column changes here.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempt")),
    )
    op.create_index(
        "ix_sign_in_attempt_account", "sign_in_attempt", ["account", "occurred_at"], unique=False
    )
    op.create_index(
        "ix_sign_in_attempt_address", "sign_in_attempt", ["address", "occurred_at"], unique=False
    )

    _audit_append_only()


SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
)
POSTGRES_STATEMENTS = (
    "CREATE FUNCTION tsunagu_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001'; END $$",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION tsunagu_append_only()",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION tsunagu_append_only()",
)


def _audit_append_only() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRES_STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS tsunagu_append_only()")
    op.drop_index("ix_sign_in_attempt_address", table_name="sign_in_attempt")
    op.drop_index("ix_sign_in_attempt_account", table_name="sign_in_attempt")
    op.drop_table("sign_in_attempt")
