"""evaluation corrections and hidden suggestions.

``evaluation_revision`` keeps each correction of an 評価シート (fields before and after, who,
when); ``hidden_suggestion`` records a resource hidden from a person's suggestions with the
typed note, instead of a declined placement.

Revision ID: 0016
Revises: 0018
Create Date: 2026-12-04 22:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evaluation_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evaluation_id", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluation_id"],
            ["evaluation_sheet.id"],
            name=op.f("fk_evaluation_revision_evaluation_id_evaluation_sheet"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_revision")),
    )
    op.create_index(
        op.f("ix_evaluation_revision_evaluation_id"), "evaluation_revision", ["evaluation_id"]
    )
    op.create_table(
        "hidden_suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("hidden_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_hidden_suggestion_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hidden_suggestion")),
        sa.UniqueConstraint(
            "person_id", "resource_id", name=op.f("uq_hidden_suggestion_person_id")
        ),
    )
    op.create_index(op.f("ix_hidden_suggestion_person_id"), "hidden_suggestion", ["person_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_hidden_suggestion_person_id"), table_name="hidden_suggestion")
    op.drop_table("hidden_suggestion")
    op.drop_index(op.f("ix_evaluation_revision_evaluation_id"), table_name="evaluation_revision")
    op.drop_table("evaluation_revision")
