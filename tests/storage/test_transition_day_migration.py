"""Migration 0019: existing stage changes get the Japan date of their entry as their day."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from storage.engine import make_engine
from storage.migrate import upgrade

ROWS = (
    "INSERT INTO person (id, fiscal_year, reception_seq, received_on, status, created_at, "
    "updated_at, created_by) VALUES (1, 2026, 1, '2026-11-01', 'open', :at, :at, 'user:1')",
    "INSERT INTO placement (id, person_id, resource_id, state, holds_slot, proposed_at, "
    "updated_at, created_by, version) VALUES (1, 1, 'R001', 'visit', false, :at, :at, 'user:1', 1)",
)
TRANSITION = (
    "INSERT INTO placement_transition (id, placement_id, from_state, to_state, skipped, at, "
    "actor) VALUES (:id, 1, NULL, 'proposed', '[]', :at, 'user:1')"
)


@pytest.fixture
def blank_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database (SQLite, or a fresh PostgreSQL database when the tests use one)."""
    base = os.environ.get("TSUNAGU_TEST_DATABASE_URL")
    if not base:
        engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield engine
        engine.dispose()
        return
    name = f"tsunagu_m19_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(base).set(database=name).render_as_string(hide_password=False))
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_day_of_an_old_transition_is_its_entry_date_in_japan(blank_engine: Engine) -> None:
    upgrade(blank_engine, "0016")
    # 2026-11-30 20:00 UTC is already 12-01 in Japan; 01:00 UTC is the same date in both.
    late = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    early = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    sqlite = blank_engine.dialect.name == "sqlite"

    def stored(at: datetime) -> object:
        # SQLite keeps the UTC wall time without an offset (storage.types.UTCDateTime).
        return at.replace(tzinfo=None) if sqlite else at

    with blank_engine.begin() as conn:
        for statement in ROWS:
            conn.execute(text(statement), {"at": stored(early)})
        conn.execute(
            text(TRANSITION), [{"id": 1, "at": stored(late)}, {"id": 2, "at": stored(early)}]
        )
    upgrade(blank_engine, "head")
    with blank_engine.connect() as conn:
        days = dict(
            conn.execute(text("SELECT id, occurred_on FROM placement_transition ORDER BY id")).all()
        )
    as_dates = {
        k: v if isinstance(v, date) else date.fromisoformat(str(v)) for k, v in days.items()
    }
    assert as_dates == {1: date(2026, 12, 1), 2: date(2026, 11, 30)}
