"""location sources: where a profile's starting point and a resource's point came from.

Needs profiles may name a starting address of their own (``home_address``, encrypted).

Person ``home_location_source`` keeps its column but takes the places vocabulary
(address / town / postal / ward / manual): ``ward_centre`` becomes ``ward`` and the old
``address`` (coordinates typed at intake) becomes ``manual``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("needs_profile") as batch:
        batch.add_column(sa.Column("home_location_source", sa.String(length=16), nullable=True))
        # Encrypted (casework.crypto.EncryptedText): a Fernet token in TEXT.
        batch.add_column(sa.Column("home_address", sa.Text(), nullable=True))
    with op.batch_alter_table("location") as batch:
        batch.add_column(sa.Column("location_source", sa.String(length=16), nullable=True))
    op.execute(
        "UPDATE person SET home_location_source = 'manual' WHERE home_location_source = 'address'"
    )
    op.execute(
        "UPDATE person SET home_location_source = 'ward' WHERE home_location_source = 'ward_centre'"
    )
    # Coordinates already in the catalog were given in a file or a form.
    op.execute(
        "UPDATE location SET location_source = 'manual' "
        "WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE person SET home_location_source = 'ward_centre' WHERE home_location_source = 'ward'"
    )
    op.execute(
        "UPDATE person SET home_location_source = 'address' "
        "WHERE home_location_source IN ('manual', 'town', 'postal', 'address')"
    )
    with op.batch_alter_table("location") as batch:
        batch.drop_column("location_source")
    with op.batch_alter_table("needs_profile") as batch:
        batch.drop_column("home_address")
        batch.drop_column("home_location_source")
