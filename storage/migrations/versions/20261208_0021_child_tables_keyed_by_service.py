"""catalog child tables keyed by their service: no id column, one B-tree each on SQLite.

``location``, ``schedule``, ``service_capacity``, ``cost_option`` and ``contact`` hold at
most one row a service; their HSDS ids are derived from the service id
(``resources_catalog.hsds.ids.child_id``), so the stored ``id`` column and its unique
``service_id`` index go and ``service_id`` becomes the primary key. On SQLite these tables
and ``service_taxonomy`` become WITHOUT ROWID tables: one B-tree each instead of a rowid
table plus one or two indexes, which is most of what a large catalog import writes.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-08 04:30:00
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

from resources_catalog.hsds.ids import child_id

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Table → the ``kind`` its HSDS ids were derived with (needed to restore them on downgrade).
_CHILDREN = {
    "location": "location",
    "schedule": "schedule",
    "service_capacity": "capacity",
    "cost_option": "cost_option",
    "contact": "contact",
}


def _on_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _batch(table: str, *, with_rowid: bool) -> AbstractContextManager[BatchOperations]:
    """A batch that rebuilds the table on SQLite (with or without its rowid)."""
    if _on_sqlite():
        return op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_with_rowid": with_rowid}
        )
    return op.batch_alter_table(table)


def upgrade() -> None:
    for table in _CHILDREN:
        with _batch(table, with_rowid=False) as batch:
            batch.drop_constraint(f"uq_{table}_service_id", type_="unique")
            batch.drop_constraint(f"pk_{table}", type_="primary")
            batch.drop_column("id")
            batch.create_primary_key(f"pk_{table}", ["service_id"])
    if _on_sqlite():
        with _batch("service_taxonomy", with_rowid=False):
            pass


def downgrade() -> None:
    bind = op.get_bind()
    for table, kind in _CHILDREN.items():
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("id", sa.String(length=36), nullable=True))
        ids = [
            {"sid": sid, "id": child_id(sid, kind)}
            for (sid,) in bind.execute(sa.text(f"SELECT service_id FROM {table}"))
        ]
        if ids:
            bind.execute(sa.text(f"UPDATE {table} SET id = :id WHERE service_id = :sid"), ids)
        with _batch(table, with_rowid=True) as batch:
            batch.drop_constraint(f"pk_{table}", type_="primary")
            batch.alter_column("id", existing_type=sa.String(length=36), nullable=False)
            batch.create_primary_key(f"pk_{table}", ["id"])
            batch.create_unique_constraint(f"uq_{table}_service_id", ["service_id"])
    if _on_sqlite():
        with _batch("service_taxonomy", with_rowid=True):
            pass
