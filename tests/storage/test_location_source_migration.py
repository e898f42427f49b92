"""Migration 0005: location sources get the places vocabulary and match the ORM models."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

import casework.models  # noqa: F401  (register the tables)
import resources_catalog.models  # noqa: F401
from storage.base import Base
from storage.migrate import upgrade

PERSON = (
    "INSERT INTO person (id, fiscal_year, reception_seq, received_on, status, created_at, "
    "updated_at, created_by, home_location_source) VALUES "
    "(:id, 2026, :id, '2026-11-01', 'open', '2026-11-01', '2026-11-01', 'user:1', :src)"
)


def test_old_sources_are_renamed_and_new_columns_match_the_models(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(text(PERSON), [{"id": 1, "src": "ward_centre"}, {"id": 2, "src": "address"}])
    upgrade(engine, "head")
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT id, home_location_source FROM person")).all())
        assert rows == {1: "ward", 2: "manual"}
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = [
        d for d in diff if "location_source" in repr(d) and d[0] in ("add_column", "remove_column")
    ]
    assert ours == []
    engine.dispose()
