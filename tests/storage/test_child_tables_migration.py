"""Migration 0021: the catalog's child tables lose their own id and are keyed by service.

Rows written under the old schema survive the upgrade with their values; on SQLite the
tables become WITHOUT ROWID; a downgrade restores the ids the HSDS export derives.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import Engine, inspect, text

from resources_catalog.hsds.ids import child_id
from storage.engine import make_engine
from storage.migrate import alembic_config, upgrade
from tests.conftest import empty_database

SID = "5d1b3c3e-8d5a-5c2e-9f0e-0c6f1f0d2a11"
OLD_ROWS = [
    "INSERT INTO organization (id, name, description, created_at) "
    "VALUES ('o-1', '畑の会', '', '2026-12-01 00:00:00')",
    "INSERT INTO service (id, resource_id, organization_id, name, description, status, "
    "requires_certificate, quiet_environment, small_group, visit_ok, trial_ok, paid, "
    "cooperation_fee_yen, cooperation_fee_unit, version, extra, created_at, updated_at) "
    f"VALUES ('{SID}', 'R-1', 'o-1', '畑', '', 'active', false, false, false, false, false, "
    "false, 0, 'none', 1, '{}', '2026-12-01 00:00:00', '2026-12-01 00:00:00')",
    "INSERT INTO location (id, service_id, address, ward, latitude, longitude, "
    f"wheelchair_accessible) VALUES ('l-old', '{SID}', '若葉区桜木北2丁目', '若葉区', 35.62, "
    "140.17, true)",
    "INSERT INTO schedule (id, service_id, freq, byday, opens_at, closes_at) "
    f"VALUES ('s-old', '{SID}', 'WEEKLY', 'TU,TH', '10:00', '12:00')",
    "INSERT INTO service_capacity (id, service_id, unit, maximum, available, updated_at) "
    f"VALUES ('c-old', '{SID}', '人', 5, 2, '2026-12-01 00:00:00')",
    "INSERT INTO cost_option (id, service_id, option, currency, amount_yen) "
    f"VALUES ('k-old', '{SID}', '参加費', 'JPY', 300)",
    "INSERT INTO contact (id, service_id, name, phone, email) "
    f"VALUES ('t-old', '{SID}', '佐藤', '043-000-0000', NULL)",
]
CHILDREN = {
    "location": "location",
    "schedule": "schedule",
    "service_capacity": "capacity",
    "cost_option": "cost_option",
    "contact": "contact",
}


def _sqlite_definition(engine: Engine, table: str) -> str:
    with engine.connect() as conn:
        return str(
            conn.execute(
                text("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t"),
                {"t": table},
            ).scalar_one()
        )


def test_rows_survive_and_each_child_table_is_keyed_by_its_service(tmp_path: Path) -> None:
    with empty_database(tmp_path, "tsunagu_m21") as url:
        engine = make_engine(url)
        try:
            upgrade(engine, "0020")
            with engine.begin() as conn:
                for statement in OLD_ROWS:
                    conn.execute(text(statement))
            upgrade(engine, "head")

            inspector = inspect(engine)
            for table in CHILDREN:
                assert "id" not in {c["name"] for c in inspector.get_columns(table)}, table
                assert inspector.get_pk_constraint(table)["constrained_columns"] == [
                    "service_id"
                ], table
            assert "ix_location_ward" in {i["name"] for i in inspector.get_indexes("location")}
            if engine.dialect.name == "sqlite":
                for table in [*CHILDREN, "service_taxonomy"]:
                    assert "WITHOUT ROWID" in _sqlite_definition(engine, table), table
            with engine.connect() as conn:
                assert conn.execute(
                    text(
                        "SELECT address, ward, opens_at, available, amount_yen, phone "
                        "FROM location JOIN schedule USING (service_id) "
                        "JOIN service_capacity USING (service_id) "
                        "JOIN cost_option USING (service_id) JOIN contact USING (service_id)"
                    )
                ).one() == ("若葉区桜木北2丁目", "若葉区", "10:00", 2, 300, "043-000-0000")

            config = alembic_config(url)
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                command.downgrade(config, "0020")
            with engine.connect() as conn:
                for table, kind in CHILDREN.items():
                    stored = conn.execute(text(f"SELECT id, service_id FROM {table}")).one()
                    assert tuple(stored) == (child_id(SID, kind), SID), table
            if engine.dialect.name == "sqlite":
                assert "WITHOUT ROWID" not in _sqlite_definition(engine, "location")
        finally:
            engine.dispose()
