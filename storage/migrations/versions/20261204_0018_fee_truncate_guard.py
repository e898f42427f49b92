"""fee truncate guard: TRUNCATE of the 協力費 ledger refused on PostgreSQL.

Migration 0012 froze approved and paid ``cooperation_fee`` rows against UPDATE and DELETE
(row triggers on SQLite and PostgreSQL), but row triggers do not fire on TRUNCATE, so one
statement (or ``TRUNCATE placement CASCADE``) could still empty the ledger. A statement
trigger now refuses it, like ``audit_log_no_truncate`` in 0008. SQLite has no TRUNCATE
(its ``DELETE FROM`` without WHERE runs the row triggers), so nothing changes there.

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-04 22:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRES_STATEMENTS = (
    "CREATE FUNCTION tsunagu_fee_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only: TRUNCATE is refused', TG_TABLE_NAME "
    "USING ERRCODE = 'P0001'; END $$",
    "CREATE TRIGGER cooperation_fee_no_truncate BEFORE TRUNCATE ON cooperation_fee "
    "FOR EACH STATEMENT EXECUTE FUNCTION tsunagu_fee_no_truncate()",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in POSTGRES_STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS cooperation_fee_no_truncate ON cooperation_fee")
    op.execute("DROP FUNCTION IF EXISTS tsunagu_fee_no_truncate()")
