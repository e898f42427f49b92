"""needs_profile: the ranker's reading of the note, stored when the profile version is saved.

A suggestion request for an unchanged profile reads this instead of analysing the note
again (SudachiPy and the clause rules cost 1–4 ms a request). ``query_reading`` is a Fernet
token (casework.crypto.EncryptedText) of "<key>:<json>"; the key covers the reading code,
the ontology and the profile's inputs, so a stale reading is recognised and replaced.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("needs_profile") as batch:
        batch.add_column(sa.Column("query_reading", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("needs_profile") as batch:
        batch.drop_column("query_reading")
