"""casework: people, needs profiles, consent, plans, placements, evaluations, fees, audit.

Encrypted columns (casework.crypto.EncryptedText) are plain TEXT holding Fernet tokens.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_client",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("key_prefix", sa.String(length=16), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_client")),
        sa.UniqueConstraint("key_hash", name=op.f("uq_api_client_key_hash")),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("entity_type", sa.String(length=32), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=True),
        sa.Column("source_ip", sa.String(length=64), nullable=True),
        sa.Column("client", sa.String(length=200), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("prev_hash", name=op.f("uq_audit_log_prev_hash")),
    )
    op.create_index("ix_audit_log_entity", "audit_log", ["entity_type", "entity_id"], unique=False)
    op.create_table(
        "fee_budget",
        sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("budget_yen", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("fiscal_year", name=op.f("pk_fee_budget")),
    )
    op.create_table(
        "reception_counter",
        sa.Column("fiscal_year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("fiscal_year", name=op.f("pk_reception_counter")),
    )
    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_user_username")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reception_number", sa.String(length=20), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("reception_seq", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("referral_source", sa.String(length=200), nullable=True),
        sa.Column("referred_on", sa.Date(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("furigana", sa.String(length=100), nullable=True),
        sa.Column("sex", sa.String(length=50), nullable=True),
        sa.Column("born_on", sa.Date(), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("ward", sa.String(length=10), nullable=True),
        sa.Column("home_lat", sa.Float(), nullable=True),
        sa.Column("home_lon", sa.Float(), nullable=True),
        sa.Column("home_location_source", sa.String(length=16), nullable=True),
        sa.Column("health_notes", sa.Text(), nullable=True),
        sa.Column("disability_notes", sa.Text(), nullable=True),
        sa.Column("family_notes", sa.Text(), nullable=True),
        sa.Column("primary_staff_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closure_reason", sa.String(length=32), nullable=True),
        sa.Column("closure_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["primary_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_person_primary_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("fiscal_year", "reception_seq", name=op.f("uq_person_fiscal_year")),
        sa.UniqueConstraint("reception_number", name=op.f("uq_person_reception_number")),
    )
    op.create_index(op.f("ix_person_fiscal_year"), "person", ["fiscal_year"], unique=False)
    op.create_index(
        op.f("ix_person_primary_staff_id"), "person", ["primary_staff_id"], unique=False
    )
    op.create_index(op.f("ix_person_team"), "person", ["team"], unique=False)
    op.create_table(
        "consent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=32), nullable=False),
        sa.Column("receiver_kind", sa.String(length=16), nullable=True),
        sa.Column("receiver_id", sa.String(length=64), nullable=True),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawal_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_consent_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent")),
    )
    op.create_index(op.f("ix_consent_person_id"), "consent", ["person_id"], unique=False)
    op.create_table(
        "follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("interval_days", sa.Integer(), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("next_due_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_follow_up_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
        sa.UniqueConstraint("person_id", name=op.f("uq_follow_up_person_id")),
    )
    op.create_index(op.f("ix_follow_up_next_due_on"), "follow_up", ["next_due_on"], unique=False)
    op.create_table(
        "follow_up_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_follow_up_contact_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up_contact")),
    )
    op.create_index(
        op.f("ix_follow_up_contact_person_id"), "follow_up_contact", ["person_id"], unique=False
    )
    op.create_table(
        "needs_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("needs_text", sa.Text(), nullable=True),
        sa.Column("avoid_text", sa.Text(), nullable=True),
        sa.Column("age", sa.Integer(), nullable=True),
        sa.Column("has_certificate", sa.Boolean(), nullable=False),
        sa.Column("days", sa.JSON(), nullable=False),
        sa.Column("home_ward", sa.String(length=10), nullable=True),
        sa.Column("home_lat", sa.Float(), nullable=True),
        sa.Column("home_lon", sa.Float(), nullable=True),
        sa.Column("max_travel_km", sa.Float(), nullable=True),
        sa.Column("needs_wheelchair_access", sa.Boolean(), nullable=False),
        sa.Column("prefers_quiet", sa.Boolean(), nullable=False),
        sa.Column("prefers_small_group", sa.Boolean(), nullable=False),
        sa.Column("wants_paid", sa.Boolean(), nullable=False),
        sa.Column("preferred_categories", sa.JSON(), nullable=False),
        sa.Column("excluded_resource_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_needs_profile_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_needs_profile")),
        sa.UniqueConstraint("person_id", "version", name=op.f("uq_needs_profile_person_id")),
    )
    op.create_index(
        op.f("ix_needs_profile_person_id"), "needs_profile", ["person_id"], unique=False
    )
    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("primary_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        sa.Column("issues_text", sa.Text(), nullable=True),
        sa.Column("goal_text", sa.Text(), nullable=True),
        sa.Column("period_end_on", sa.Date(), nullable=True),
        sa.Column("next_monitoring_on", sa.Date(), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("early_start_on", sa.Date(), nullable=True),
        sa.Column("early_start_reason", sa.Text(), nullable=True),
        sa.Column("copied_from_plan_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["copied_from_plan_id"], ["plan.id"], name=op.f("fk_plan_copied_from_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_plan_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["primary_staff_id"],
            ["staff_user.id"],
            name=op.f("fk_plan_primary_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("person_id", "round", name=op.f("uq_plan_person_id")),
    )
    op.create_index(op.f("ix_plan_person_id"), "plan", ["person_id"], unique=False)
    op.create_table(
        "support_meeting_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("members", sa.Text(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("without_consent", sa.Boolean(), nullable=False),
        sa.Column("confidentiality_bound", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_support_meeting_record_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_meeting_record")),
    )
    op.create_index(
        op.f("ix_support_meeting_record_person_id"),
        "support_meeting_record",
        ["person_id"],
        unique=False,
    )
    op.create_table(
        "evaluation_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("evaluator_id", sa.Integer(), nullable=True),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("goal_attainment", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("other_change", sa.Text(), nullable=True),
        sa.Column("no_change", sa.Boolean(), nullable=False),
        sa.Column("current_situation", sa.Text(), nullable=True),
        sa.Column("wish", sa.String(length=16), nullable=True),
        sa.Column("staff_opinion", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["evaluator_id"],
            ["staff_user.id"],
            name=op.f("fk_evaluation_sheet_evaluator_id_staff_user"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_evaluation_sheet_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_evaluation_sheet_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_sheet")),
        sa.UniqueConstraint("person_id", "round", name=op.f("uq_evaluation_sheet_person_id")),
    )
    op.create_index(
        op.f("ix_evaluation_sheet_person_id"), "evaluation_sheet", ["person_id"], unique=False
    )
    op.create_table(
        "plan_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("actor_kind", sa.String(length=16), nullable=False),
        sa.Column("actor_name", sa.String(length=200), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("period", sa.String(length=200), nullable=True),
        sa.Column("frequency", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_plan_action_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_action")),
    )
    op.create_index(op.f("ix_plan_action_plan_id"), "plan_action", ["plan_id"], unique=False)
    op.create_table(
        "suggestion_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("profile_version", sa.Integer(), nullable=False),
        sa.Column("ranker_version", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_suggestion_run_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["needs_profile.id"],
            name=op.f("fk_suggestion_run_profile_id_needs_profile"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_run")),
    )
    op.create_index(
        op.f("ix_suggestion_run_person_id"), "suggestion_run", ["person_id"], unique=False
    )
    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("profile_id", sa.Integer(), nullable=True),
        sa.Column("suggestion_run_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=True),
        sa.Column("reason_text", sa.Text(), nullable=True),
        sa.Column("holds_slot", sa.Boolean(), nullable=False),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_contact_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_placement_person_id_person")
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_placement_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["needs_profile.id"], name=op.f("fk_placement_profile_id_needs_profile")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_run_id"],
            ["suggestion_run.id"],
            name=op.f("fk_placement_suggestion_run_id_suggestion_run"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
    )
    op.create_index(op.f("ix_placement_person_id"), "placement", ["person_id"], unique=False)
    op.create_index(op.f("ix_placement_resource_id"), "placement", ["resource_id"], unique=False)
    op.create_index(op.f("ix_placement_state"), "placement", ["state"], unique=False)
    op.create_table(
        "suggestion_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["suggestion_run.id"], name=op.f("fk_suggestion_item_run_id_suggestion_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_item")),
        sa.UniqueConstraint("run_id", "rank", name=op.f("uq_suggestion_item_run_id")),
    )
    op.create_index(op.f("ix_suggestion_item_run_id"), "suggestion_item", ["run_id"], unique=False)
    op.create_table(
        "cooperation_fee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=64), nullable=False),
        sa.Column("receiver_id", sa.String(length=64), nullable=False),
        sa.Column("fee_unit", sa.String(length=16), nullable=False),
        sa.Column("unit_amount_yen", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount_yen", sa.Integer(), nullable=False),
        sa.Column("activity_dates", sa.JSON(), nullable=False),
        sa.Column("covers_from_on", sa.Date(), nullable=False),
        sa.Column("covers_to_on", sa.Date(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reverses_fee_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("rejection_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=64), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.Column("paid_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paid_by", sa.String(length=64), nullable=True),
        sa.Column("rejected_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rejected_by", sa.String(length=64), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_cooperation_fee_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_cooperation_fee_placement_id_placement"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_fee_id"],
            ["cooperation_fee.id"],
            name=op.f("fk_cooperation_fee_reverses_fee_id_cooperation_fee"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_fee")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_cooperation_fee_idempotency_key")),
        sa.UniqueConstraint("reverses_fee_id", name=op.f("uq_cooperation_fee_reverses_fee_id")),
    )
    op.create_index(
        op.f("ix_cooperation_fee_fiscal_year"), "cooperation_fee", ["fiscal_year"], unique=False
    )
    op.create_index(
        op.f("ix_cooperation_fee_person_id"), "cooperation_fee", ["person_id"], unique=False
    )
    op.create_index(
        op.f("ix_cooperation_fee_placement_id"), "cooperation_fee", ["placement_id"], unique=False
    )
    op.create_index(
        op.f("ix_cooperation_fee_receiver_id"), "cooperation_fee", ["receiver_id"], unique=False
    )
    op.create_index(
        op.f("ix_cooperation_fee_resource_id"), "cooperation_fee", ["resource_id"], unique=False
    )
    op.create_table(
        "placement_transition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("reason_code", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_placement_transition_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_transition")),
    )
    op.create_index(
        op.f("ix_placement_transition_placement_id"),
        "placement_transition",
        ["placement_id"],
        unique=False,
    )
    op.create_table(
        "retention_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("party", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=16), nullable=False),
        sa.Column("discussed", sa.Text(), nullable=True),
        sa.Column("next_action", sa.Text(), nullable=True),
        sa.Column("next_action_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placement.id"],
            name=op.f("fk_retention_contact_placement_id_placement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_contact")),
    )
    op.create_index(
        op.f("ix_retention_contact_placement_id"),
        "retention_contact",
        ["placement_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_retention_contact_placement_id"), table_name="retention_contact")
    op.drop_table("retention_contact")
    op.drop_index(op.f("ix_placement_transition_placement_id"), table_name="placement_transition")
    op.drop_table("placement_transition")
    op.drop_index(op.f("ix_cooperation_fee_resource_id"), table_name="cooperation_fee")
    op.drop_index(op.f("ix_cooperation_fee_receiver_id"), table_name="cooperation_fee")
    op.drop_index(op.f("ix_cooperation_fee_placement_id"), table_name="cooperation_fee")
    op.drop_index(op.f("ix_cooperation_fee_person_id"), table_name="cooperation_fee")
    op.drop_index(op.f("ix_cooperation_fee_fiscal_year"), table_name="cooperation_fee")
    op.drop_table("cooperation_fee")
    op.drop_index(op.f("ix_suggestion_item_run_id"), table_name="suggestion_item")
    op.drop_table("suggestion_item")
    op.drop_index(op.f("ix_placement_state"), table_name="placement")
    op.drop_index(op.f("ix_placement_resource_id"), table_name="placement")
    op.drop_index(op.f("ix_placement_person_id"), table_name="placement")
    op.drop_table("placement")
    op.drop_index(op.f("ix_suggestion_run_person_id"), table_name="suggestion_run")
    op.drop_table("suggestion_run")
    op.drop_index(op.f("ix_plan_action_plan_id"), table_name="plan_action")
    op.drop_table("plan_action")
    op.drop_index(op.f("ix_evaluation_sheet_person_id"), table_name="evaluation_sheet")
    op.drop_table("evaluation_sheet")
    op.drop_index(op.f("ix_support_meeting_record_person_id"), table_name="support_meeting_record")
    op.drop_table("support_meeting_record")
    op.drop_index(op.f("ix_plan_person_id"), table_name="plan")
    op.drop_table("plan")
    op.drop_index(op.f("ix_needs_profile_person_id"), table_name="needs_profile")
    op.drop_table("needs_profile")
    op.drop_index(op.f("ix_follow_up_contact_person_id"), table_name="follow_up_contact")
    op.drop_table("follow_up_contact")
    op.drop_index(op.f("ix_follow_up_next_due_on"), table_name="follow_up")
    op.drop_table("follow_up")
    op.drop_index(op.f("ix_consent_person_id"), table_name="consent")
    op.drop_table("consent")
    op.drop_index(op.f("ix_person_team"), table_name="person")
    op.drop_index(op.f("ix_person_primary_staff_id"), table_name="person")
    op.drop_index(op.f("ix_person_fiscal_year"), table_name="person")
    op.drop_table("person")
    op.drop_table("staff_user")
    op.drop_table("reception_counter")
    op.drop_table("fee_budget")
    op.drop_index("ix_audit_log_entity", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("api_client")
