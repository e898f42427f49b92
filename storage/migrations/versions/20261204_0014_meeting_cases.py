"""meeting cases: a 重層的支援会議 record covers several cases.

Each covered case (person, the plan decided there, that case's decisions) is a row of
``multi_agency_meeting_case``; existing records get one row for the case they were about.

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-04 13:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "multi_agency_meeting_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("decisions", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["multi_agency_meeting.id"],
            name=op.f("fk_multi_agency_meeting_case_meeting_id_multi_agency_meeting"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_multi_agency_meeting_case_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_multi_agency_meeting_case_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_multi_agency_meeting_case")),
        sa.UniqueConstraint(
            "meeting_id",
            "person_id",
            name=op.f("uq_multi_agency_meeting_case_meeting_id"),
        ),
    )
    with op.batch_alter_table("multi_agency_meeting_case", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_multi_agency_meeting_case_meeting_id"), ["meeting_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_multi_agency_meeting_case_person_id"), ["person_id"], unique=False
        )
    # The records so far were each about one case (decisions stay on the meeting row).
    op.execute(
        "INSERT INTO multi_agency_meeting_case (meeting_id, person_id, plan_id) "
        "SELECT id, person_id, plan_id FROM multi_agency_meeting"
    )


def downgrade() -> None:
    with op.batch_alter_table("multi_agency_meeting_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_multi_agency_meeting_case_person_id"))
        batch_op.drop_index(batch_op.f("ix_multi_agency_meeting_case_meeting_id"))
    op.drop_table("multi_agency_meeting_case")
