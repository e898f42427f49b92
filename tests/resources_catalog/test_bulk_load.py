"""A large import into an empty catalog: on PostgreSQL indexes built and foreign keys checked
once at the end, with the same schema, rows and ids as a load written row by row (SQLite
writes row by row; the same tests hold there)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Connection, insert, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from resources_catalog import repository
from resources_catalog.demo.generator import generate
from resources_catalog.exporters.csv import export_csv
from resources_catalog.models import Location, ResourceChange, Service
from storage.base import Base
from storage.types import UTCDateTime
from tests.resources_catalog.factories import import_csv

TABLES = ("service", "location", "schedule", "service_capacity", "contact", "service_taxonomy")


def _structures(connection: Connection) -> dict[str, Any]:
    """Every index and foreign key of the catalog tables, as the database reports them."""
    inspector = inspect(connection)
    return {
        table: (
            sorted(inspector.get_indexes(table), key=lambda i: str(i["name"])),
            sorted(inspector.get_foreign_keys(table), key=lambda f: str(f["name"])),
        )
        for table in (*TABLES, "resource_change")
    }


def _rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every catalog row with its ids, leaving out the times (each import has its own)."""
    found = {}
    for table in (*TABLES, "organization", "resource_change"):
        columns = [
            c
            for c in Base.metadata.tables[table].c
            if not isinstance(c.type, UTCDateTime) and c is not ResourceChange.__table__.c.id
        ]
        found[table] = sorted(session.execute(select(*columns)).all(), key=repr)
    return found


@pytest.fixture
def low_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take the bulk path for the few dozen rows a test imports."""
    monkeypatch.setattr(repository, "BUILD_AFTER_ROWS", 1)


@pytest.mark.usefixtures("low_threshold")
def test_a_load_into_an_empty_catalog_keeps_the_schema_and_every_row(session: Session) -> None:
    before = _structures(session.connection())
    data = export_csv(generate(60, prefix="L"))
    report = import_csv(session, data)
    assert len(report.new) == 60
    assert _structures(session.connection()) == before
    again = import_csv(session, data)
    assert len(again.unchanged) == 60 and not again.new and not again.updated


def test_the_bulk_path_stores_what_the_row_by_row_path_stores(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = export_csv(generate(30, prefix="E"))
    nested = session.begin_nested()
    import_csv(session, data)
    row_by_row = _rows(session)
    nested.rollback()
    monkeypatch.setattr(repository, "BUILD_AFTER_ROWS", 1)
    import_csv(session, data)
    assert _rows(session) == row_by_row


@pytest.mark.usefixtures("low_threshold")
def test_a_failed_load_restores_the_indexes_and_keeps_nothing(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _structures(session.connection())

    def broken(_session: Session, _rows: Any) -> None:
        raise RuntimeError("history could not be written")

    monkeypatch.setattr(repository, "add_changes", broken)
    with pytest.raises(RuntimeError):
        import_csv(session, export_csv(generate(20, prefix="F")))
    session.rollback()  # as the caller's unit of work does
    assert repository.count_services(session) == 0
    assert _structures(session.connection()) == before


def test_a_wrong_reference_is_refused_when_the_load_ends(session: Session) -> None:
    row = {"service_id": "no-such-service", "wheelchair_accessible": False}
    # SQLite refuses the row itself, PostgreSQL the foreign key added again at the end.
    with (
        pytest.raises(IntegrityError),
        repository.indexes_built_after(session, repository.BUILD_AFTER_ROWS),
    ):
        session.execute(insert(Location), [row])
    session.rollback()
    assert repository.count_services(session) == 0


def test_flags_are_bound_as_plain_integers_and_read_back_as_booleans(session: Session) -> None:
    # sqlite3 binds an exact int directly; a bool first goes through its adapter look-up.
    converted = repository._sqlite_flags([True, False, None, 1, 0])
    assert converted == [1, 0, None, 1, 0]
    assert [type(v) for v in converted] == [int, int, type(None), int, int]
    import_csv(session, export_csv(generate(20, prefix="G")))
    stored = session.execute(select(Service.resource_id, Service.paid, Service.visit_ok)).all()
    records = {r.resource_id: r for r in generate(20, prefix="G")}
    assert len(stored) == 20
    for rid, paid, visit_ok in stored:
        assert (paid, visit_ok) == (records[rid].paid, records[rid].visit_ok)
        assert type(paid) is bool and type(visit_ok) is bool
