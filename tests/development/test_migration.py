"""Migration 0007 creates exactly the development tables the ORM models describe."""

from __future__ import annotations

import storage.models  # noqa: F401  (registers every table)
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from development import models
from storage.base import Base

TABLES = {
    models.Prospect.__tablename__,
    models.ProspectEvent.__tablename__,
    models.ReceiverSupport.__tablename__,
    models.ReceiverAccount.__tablename__,
    models.ReferralResponse.__tablename__,
    models.AttendanceDate.__tablename__,
}


def _table_of(diff: object) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item if isinstance(item, tuple) else ():
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return str(table.name)
        if isinstance(part, str) and part in TABLES:
            return part
        if name in TABLES:
            return str(name)
    return None


def test_development_tables_match_their_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in diffs if _table_of(d) in TABLES]
    assert ours == []
    with engine.connect() as connection:
        names = set(engine.dialect.get_table_names(connection))
    assert names >= TABLES
