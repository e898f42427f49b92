"""development: prospective receivers, receiver support log, receiver accounts and answers.

資源開拓 (resource development) tables: ``prospect`` and ``prospect_event`` (the pipeline
候補 → 登録済 / 見送り), ``receiver_support`` (support given per receiver), ``receiver_account``
(a receiver's login scoped to its organisation), ``referral_response`` and
``attendance_date`` (the receiver's own side).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "prospect",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=64), nullable=True),
        sa.Column("theme", sa.String(length=64), nullable=True),
        sa.Column("ward", sa.String(length=10), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("resource_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospect")),
    )
    op.create_index(op.f("ix_prospect_stage"), "prospect", ["stage"], unique=False)
    op.create_index(op.f("ix_prospect_theme"), "prospect", ["theme"], unique=False)
    op.create_table(
        "receiver_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receiver_ref", sa.String(length=80), nullable=False),
        sa.Column("supported_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receiver_support")),
    )
    op.create_index(
        op.f("ix_receiver_support_receiver_ref"), "receiver_support", ["receiver_ref"], unique=False
    )
    op.create_table(
        "prospect_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("from_stage", sa.String(length=16), nullable=True),
        sa.Column("to_stage", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["prospect_id"], ["prospect.id"], name=op.f("fk_prospect_event_prospect_id_prospect")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospect_event")),
    )
    op.create_index(
        op.f("ix_prospect_event_prospect_id"), "prospect_event", ["prospect_id"], unique=False
    )
    op.create_table(
        "receiver_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_ref", sa.String(length=64), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receiver_account")),
        sa.UniqueConstraint("principal_ref", name=op.f("uq_receiver_account_principal_ref")),
    )
    op.create_index(
        op.f("ix_receiver_account_organization_id"),
        "receiver_account",
        ["organization_id"],
        unique=False,
    )
    op.create_table(
        "attendance_date",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("attended_on", sa.Date(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_attendance_date_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance_date")),
        sa.UniqueConstraint(
            "placement_id", "attended_on", name=op.f("uq_attendance_date_placement_id")
        ),
    )
    op.create_index(
        op.f("ix_attendance_date_placement_id"), "attendance_date", ["placement_id"], unique=False
    )
    op.create_table(
        "referral_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.String(length=64), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("referred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responder", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_referral_response_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_response")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_referral_response_placement_id")),
    )
    op.create_index(
        op.f("ix_referral_response_organization_id"),
        "referral_response",
        ["organization_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_referral_response_organization_id"), table_name="referral_response")
    op.drop_table("referral_response")
    op.drop_index(op.f("ix_attendance_date_placement_id"), table_name="attendance_date")
    op.drop_table("attendance_date")
    op.drop_index(op.f("ix_receiver_account_organization_id"), table_name="receiver_account")
    op.drop_table("receiver_account")
    op.drop_index(op.f("ix_prospect_event_prospect_id"), table_name="prospect_event")
    op.drop_table("prospect_event")
    op.drop_index(op.f("ix_receiver_support_receiver_ref"), table_name="receiver_support")
    op.drop_table("receiver_support")
    op.drop_index(op.f("ix_prospect_theme"), table_name="prospect")
    op.drop_index(op.f("ix_prospect_stage"), table_name="prospect")
    op.drop_table("prospect")
