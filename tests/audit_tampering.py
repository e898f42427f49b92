"""For tests that play an attacker with DDL rights: lift the audit log's append-only
triggers (inside the caller's transaction, so a rollback restores them)."""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


def lift_audit_triggers(db: Session | Connection) -> None:
    """Drop (SQLite) or disable (PostgreSQL) the triggers refusing UPDATE/DELETE on audit_log."""
    dialect = db.get_bind().dialect.name if isinstance(db, Session) else db.dialect.name
    if dialect == "sqlite":
        db.execute(text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        db.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
    else:
        db.execute(text("ALTER TABLE audit_log DISABLE TRIGGER USER"))
