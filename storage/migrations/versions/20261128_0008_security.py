"""security: sign-in attempts (throttling and temporary locks).

Revision ID: 0008
Revises: 0002
Create Date: 2026-11-28 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account", sa.String(length=200), nullable=True),
        sa.Column("address", sa.String(length=64), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempt")),
    )
    op.create_index(
        "ix_sign_in_attempt_account", "sign_in_attempt", ["account", "occurred_at"], unique=False
    )
    op.create_index(
        "ix_sign_in_attempt_address", "sign_in_attempt", ["address", "occurred_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_sign_in_attempt_address", table_name="sign_in_attempt")
    op.drop_index("ix_sign_in_attempt_account", table_name="sign_in_attempt")
    op.drop_table("sign_in_attempt")
