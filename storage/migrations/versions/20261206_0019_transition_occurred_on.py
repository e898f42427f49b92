"""placement stage dates: ``placement_transition.occurred_on``.

A stage change (連絡, 見学, 体験, 定着支援開始, 終了) is often entered days after it happened;
``at`` stays the entry instant (as in the audit log) and ``occurred_on`` is the date in Japan
the step happened, as the coordinator says. Existing rows get the Japan date of ``at``.

Revision ID: 0019
Revises: 0016
Create Date: 2026-12-06 04:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("placement_transition") as batch:
        batch.add_column(sa.Column("occurred_on", sa.Date(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE placement_transition SET occurred_on = (at AT TIME ZONE 'Asia/Tokyo')::date"
        )
    else:
        # SQLite keeps the UTC wall time without an offset (storage.types.UTCDateTime).
        op.execute("UPDATE placement_transition SET occurred_on = date(at, '+9 hours')")
    with op.batch_alter_table("placement_transition") as batch:
        batch.alter_column("occurred_on", existing_type=sa.Date(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("placement_transition") as batch:
        batch.drop_column("occurred_on")
