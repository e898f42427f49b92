"""The audit log is append-only in the database itself: plain SQL cannot change or remove
a row (triggers on SQLite and PostgreSQL), so corrections are always new rows."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from casework.permissions import Principal
from casework.services import audit

WHO = Principal(kind="system", id=0, client="pytest")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'person.read' WHERE id = :id",
        "UPDATE audit_log SET hash = prev_hash WHERE id = :id",
        "DELETE FROM audit_log WHERE id = :id",
        "DELETE FROM audit_log",
    ],
)
def test_plain_sql_cannot_change_or_remove_audit_rows(session: Session, statement: str) -> None:
    row = audit.record(session, WHO, "test.event", "test", 1)
    with pytest.raises(DBAPIError) as refused, session.begin_nested():
        session.execute(text(statement), {"id": row.id})
    assert "append-only" in str(refused.value.orig)
    assert session.execute(text("SELECT action FROM audit_log WHERE id = :id"),
                           {"id": row.id}).scalar_one() == "test.event"  # fmt: skip


def test_truncate_is_refused_on_postgresql(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("TRUNCATE exists on PostgreSQL only")
    audit.record(session, WHO, "test.event", "test", 1)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(text("TRUNCATE audit_log"))


def test_appending_still_works(session: Session) -> None:
    first = audit.record(session, WHO, "test.one", "test", 1)
    second = audit.record(session, WHO, "test.two", "test", 1)
    assert second.prev_hash == first.hash
    assert audit.verify_chain(session) == (True, None)
