"""needs_profile: the query vector encoded when the profile version is saved.

A suggestion request for an unchanged profile reads this instead of running the encoder.
``query_vector`` is a Fernet token (casework.crypto.EncryptedText) of
"<sha256 of the query text>:<base64 float32 bytes>".

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("needs_profile") as batch:
        batch.add_column(sa.Column("query_encoder", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("query_vector", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("needs_profile") as batch:
        batch.drop_column("query_vector")
        batch.drop_column("query_encoder")
