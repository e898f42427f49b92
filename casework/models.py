"""Casework tables (SQLAlchemy 2 typed ORM). Relationships are ``lazy="raise"``.

Sensitive free text (health, disability, family circumstances, needs, plan issues and goals,
meeting and contact notes) uses ``EncryptedText``. Actors are stored as ``Principal.ref``
strings (``user:3``, ``api_client:1``) so API clients can act too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from casework.crypto import EncryptedText
from casework.errors import FeeLocked
from casework.reference import age_on
from storage.base import Base
from storage.types import UTCDateTime


def utcnow() -> datetime:
    """Timezone-aware now in UTC (every ``_at`` column)."""
    return datetime.now(UTC)


# Every instant column: UTC with zone, read back aware on SQLite too.
Timestamp = UTCDateTime()


class StaffUser(Base):
    """A staff account (職員): role, team, argon2 password hash."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(32))
    team: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    # Optional TOTP second factor (二段階認証): the secret is encrypted like other sensitive
    # text; it only counts once confirmed (totp_enabled_at). A time step is accepted once,
    # and recovery codes are kept as sha256 hashes, removed when used.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(Timestamp)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    totp_recovery_hashes: Mapped[list[str] | None] = mapped_column(JSON)


class ApiClient(Base):
    """An API client with scoped permissions; only the sha256 of its key is stored."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_used_at: Mapped[datetime | None] = mapped_column(Timestamp)


class ReceptionCounter(Base):
    """Last reception number issued per fiscal year (受付番号 ``2026-0001``)."""

    __tablename__ = "reception_counter"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Person(Base):
    """A person supported (本人), from the 相談受付・申込票 (様式第1号).

    Unanswered items stay NULL. A deletion on request nulls every personal column and keeps
    the row as an anonymised tombstone (fiscal year, ward, status) for counts.
    """

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    reception_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    reception_seq: Mapped[int] = mapped_column(Integer)
    received_on: Mapped[date] = mapped_column(Date)
    referral_source: Mapped[str | None] = mapped_column(String(200))
    referred_on: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str | None] = mapped_column(String(100))
    furigana: Mapped[str | None] = mapped_column(String(100))
    sex: Mapped[str | None] = mapped_column(String(50))
    born_on: Mapped[date | None] = mapped_column(Date)
    phone: Mapped[str | None] = mapped_column(String(50))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(EncryptedText)
    ward: Mapped[str | None] = mapped_column(String(10))
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    home_location_source: Mapped[str | None] = mapped_column(String(16))
    health_notes: Mapped[str | None] = mapped_column(EncryptedText)
    disability_notes: Mapped[str | None] = mapped_column(EncryptedText)
    family_notes: Mapped[str | None] = mapped_column(EncryptedText)
    primary_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    team: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[str | None] = mapped_column(String(32))
    closure_note: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    deleted_at: Mapped[datetime | None] = mapped_column(Timestamp)

    __table_args__ = (UniqueConstraint("fiscal_year", "reception_seq"),)

    def age_on(self, day: date) -> int | None:
        """Age in whole years on ``day`` (None when the date of birth was not given)."""
        return age_on(self.born_on, day) if self.born_on else None

    def __repr__(self) -> str:
        # Never render personal fields (reprs end up in logs and tracebacks).
        return f"<Person id={self.id} status={self.status}>"


class NeedsProfile(Base):
    """One version of a person's needs profile for matching (the matching contract's person)."""

    __tablename__ = "needs_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    needs_text: Mapped[str | None] = mapped_column(EncryptedText)
    avoid_text: Mapped[str | None] = mapped_column(EncryptedText)
    age: Mapped[int | None] = mapped_column(Integer)
    has_certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    days: Mapped[list[str]] = mapped_column(JSON, default=list)
    home_ward: Mapped[str | None] = mapped_column(String(10))
    home_lat: Mapped[float | None] = mapped_column(Float)
    home_lon: Mapped[float | None] = mapped_column(Float)
    # Where home_lat/lon came from (places.LocationSource), so a distance says from what.
    home_location_source: Mapped[str | None] = mapped_column(String(16))
    # A starting address other than the intake address (e.g. a family home), when given.
    home_address: Mapped[str | None] = mapped_column(EncryptedText)
    max_travel_km: Mapped[float | None] = mapped_column(Float)
    needs_wheelchair_access: Mapped[bool] = mapped_column(Boolean, default=False)
    prefers_quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    prefers_small_group: Mapped[bool] = mapped_column(Boolean, default=False)
    wants_paid: Mapped[bool] = mapped_column(Boolean, default=False)
    preferred_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    excluded_resource_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The encoded query, computed when the version is saved so that a suggestion request never
    # runs the encoder: valid while the encoder and the hash of the exact query text match.
    # Vector and hash derive from personal text, so both sit inside one encrypted value.
    query_encoder: Mapped[str | None] = mapped_column(String(100))
    query_vector: Mapped[str | None] = mapped_column(EncryptedText)
    # The ranker's reading of the note (wishes, avoidances, time, tokens), stored for the same
    # reason: "<key>:<json>", valid while the key (reading code, ontology, inputs) matches.
    query_reading: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("person_id", "version"),)

    def __repr__(self) -> str:
        return f"<NeedsProfile id={self.id} person_id={self.person_id} v{self.version}>"


class SuggestionRun(Base):
    """One stored run of the ranker for a person: which profile version, which ranker version."""

    __tablename__ = "suggestion_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("needs_profile.id"))
    profile_version: Mapped[int] = mapped_column(Integer)
    ranker_version: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    items: Mapped[list[SuggestionItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="SuggestionItem.rank"
    )


class SuggestionItem(Base):
    """One suggested resource of a run, with its score and reasons."""

    __tablename__ = "suggestion_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("suggestion_run.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    resource_id: Mapped[str] = mapped_column(String(64))
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)

    __table_args__ = (UniqueConstraint("run_id", "rank"),)


class Consent(Base):
    """A consent (同意) of a person for one scope, optionally naming the receiver."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    scope: Mapped[str] = mapped_column(String(32))
    receiver_kind: Mapped[str | None] = mapped_column(String(16))
    receiver_id: Mapped[str | None] = mapped_column(String(64))
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    expires_on: Mapped[date | None] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    withdrawal_note: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class SupportMeetingRecord(Base):
    """A case discussed at a 支援会議 without the person's consent (members bound by secrecy)."""

    __tablename__ = "support_meeting_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    members: Mapped[str | None] = mapped_column(Text)
    summary: Mapped[str | None] = mapped_column(EncryptedText)
    without_consent: Mapped[bool] = mapped_column(Boolean, default=True)
    confidentiality_bound: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class Plan(Base):
    """参加支援事業のプラン (様式第2号), one round (第n回) of a person's plan."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    primary_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_on: Mapped[date] = mapped_column(Date)
    issues_text: Mapped[str | None] = mapped_column(EncryptedText)
    goal_text: Mapped[str | None] = mapped_column(EncryptedText)
    period_end_on: Mapped[date | None] = mapped_column(Date)
    next_monitoring_on: Mapped[date | None] = mapped_column(Date)
    submitted_at: Mapped[datetime | None] = mapped_column(Timestamp)
    decided_on: Mapped[date | None] = mapped_column(Date)
    returned_at: Mapped[datetime | None] = mapped_column(Timestamp)
    return_reason: Mapped[str | None] = mapped_column(EncryptedText)
    early_start_on: Mapped[date | None] = mapped_column(Date)
    early_start_reason: Mapped[str | None] = mapped_column(EncryptedText)
    copied_from_plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    actions: Mapped[list[PlanAction]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="PlanAction.position"
    )

    __table_args__ = (UniqueConstraint("person_id", "round"),)


class PlanAction(Base):
    """A row of the plan's 実施内容 table: who (実施者) does what, for how long, how often."""

    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    actor_kind: Mapped[str] = mapped_column(String(16))
    actor_name: Mapped[str | None] = mapped_column(String(200))
    content: Mapped[str | None] = mapped_column(EncryptedText)
    period: Mapped[str | None] = mapped_column(String(200))
    frequency: Mapped[str | None] = mapped_column(String(200))


class Placement(Base):
    """A マッチング of a person with a resource, moving proposed → … → placed → ended."""

    __tablename__ = "placement"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    resource_id: Mapped[str] = mapped_column(String(64), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    profile_id: Mapped[int | None] = mapped_column(ForeignKey("needs_profile.id"))
    suggestion_run_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion_run.id"))
    state: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    reason_text: Mapped[str | None] = mapped_column(EncryptedText)
    holds_slot: Mapped[bool] = mapped_column(Boolean, default=False)
    proposed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    placed_at: Mapped[datetime | None] = mapped_column(Timestamp)
    ended_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    transitions: Mapped[list[PlacementTransition]] = relationship(
        lazy="raise", order_by="PlacementTransition.id"
    )

    # Optimistic locking: two users moving the same placement at once → one ConcurrentUpdate.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class PlacementTransition(Base):
    """One state change of a placement: the day it happened, when it was entered, who, why."""

    __tablename__ = "placement_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    skipped: Mapped[list[str]] = mapped_column(JSON, default=list)
    reason_code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    # The date in Japan the step happened (entered later, as said); ``at`` is the entry.
    occurred_on: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64))


class RetentionContact(Base):
    """A dated 定着支援 contact of a placement, with the person or with the receiver."""

    __tablename__ = "retention_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    party: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    discussed: Mapped[str | None] = mapped_column(EncryptedText)
    next_action: Mapped[str | None] = mapped_column(EncryptedText)
    next_action_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class EvaluationSheet(Base):
    """評価シート (様式第3号): goal attainment, observed changes, the person's wish."""

    __tablename__ = "evaluation_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    round: Mapped[int] = mapped_column(Integer)
    evaluator_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    evaluated_on: Mapped[date] = mapped_column(Date)
    goal_attainment: Mapped[str | None] = mapped_column(EncryptedText)
    changes: Mapped[list[str]] = mapped_column(JSON, default=list)
    other_change: Mapped[str | None] = mapped_column(EncryptedText)
    no_change: Mapped[bool] = mapped_column(Boolean, default=False)
    current_situation: Mapped[str | None] = mapped_column(EncryptedText)
    wish: Mapped[str | None] = mapped_column(String(16))
    staff_opinion: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("person_id", "round"),)


class EvaluationRevision(Base):
    """One correction of an 評価シート: the fields before and after, who, when.

    The sheet row always holds the current version (the print shows it); this row keeps what
    was written before so a correction never erases it. Values hold personal notes, so the
    before/after JSON is encrypted like the sheet's own text.
    """

    __tablename__ = "evaluation_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation_sheet.id"), index=True)
    changes: Mapped[str] = mapped_column(EncryptedText)  # JSON {field: [old, new]}
    changed_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(64))


class HiddenSuggestion(Base):
    """A resource a coordinator hid from a person's suggestions (提案の非表示), with the note.

    Its own row, not a declined placement: hiding is allowed before any plan or proposal
    exists, and a hidden card is not a 辞退. Deleting the row shows the resource again.
    """

    __tablename__ = "hidden_suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    resource_id: Mapped[str] = mapped_column(String(64))
    reason_code: Mapped[str | None] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    hidden_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    hidden_by: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("person_id", "resource_id"),)


class FollowUp(Base):
    """Periodic contact after closure (終結後の定期的な連絡): interval and next due date."""

    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    interval_days: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[date] = mapped_column(Date)
    next_due_on: Mapped[date] = mapped_column(Date, index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(64))


class FollowUpContact(Base):
    """One follow-up contact after closure."""

    __tablename__ = "follow_up_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))


class CooperationFee(Base):
    """A 協力費 entry paid to a receiver for a placement, in integer yen.

    draft → approved → paid, or draft → rejected. Once approved the amounts are frozen (also
    enforced by a mapper event); corrections are new negative entries (``reverses_fee_id``).
    """

    __tablename__ = "cooperation_fee"

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placement.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    resource_id: Mapped[str] = mapped_column(String(64), index=True)
    receiver_id: Mapped[str] = mapped_column(String(64), index=True)
    fee_unit: Mapped[str] = mapped_column(String(16))
    unit_amount_yen: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    amount_yen: Mapped[int] = mapped_column(Integer)
    activity_dates: Mapped[list[str]] = mapped_column(JSON, default=list)
    covers_from_on: Mapped[date] = mapped_column(Date)
    covers_to_on: Mapped[date] = mapped_column(Date)
    fiscal_year: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16), default="draft")
    reverses_fee_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperation_fee.id"), unique=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(Timestamp)
    approved_by: Mapped[str | None] = mapped_column(String(64))
    paid_on: Mapped[date | None] = mapped_column(Date)
    paid_at: Mapped[datetime | None] = mapped_column(Timestamp)
    paid_by: Mapped[str | None] = mapped_column(String(64))
    rejected_at: Mapped[datetime | None] = mapped_column(Timestamp)
    rejected_by: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


FROZEN_FEE_FIELDS = (
    "placement_id",
    "person_id",
    "resource_id",
    "receiver_id",
    "fee_unit",
    "unit_amount_yen",
    "quantity",
    "amount_yen",
    "activity_dates",
    "covers_from_on",
    "covers_to_on",
    "fiscal_year",
    "reverses_fee_id",
    "idempotency_key",
)


@event.listens_for(CooperationFee, "before_update")
def _fees_frozen_after_approval(_mapper: Any, _conn: Any, fee: CooperationFee) -> None:
    """Last line of defence: no amount of an approved/paid fee changes, whatever the caller."""
    state = inspect(fee)
    old_state = state.attrs.state.history.deleted
    was = old_state[0] if old_state else fee.state
    if was not in ("approved", "paid", "rejected"):
        return
    for name in FROZEN_FEE_FIELDS:
        if state.attrs[name].history.has_changes():
            raise FeeLocked(f"cooperation fee {fee.id} is {was}: {name} cannot change")


class FeeBudget(Base):
    """The cooperation-fee budget of one fiscal year (年度予算), integer yen."""

    __tablename__ = "fee_budget"

    fiscal_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    budget_yen: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class AuditLog(Base):
    """Append-only, hash-chained audit trail; rows hold ids and codes, never personal data."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    source_ip: Mapped[str | None] = mapped_column(String(64))
    client: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_audit_log_entity", "entity_type", "entity_id"),)


class SignInAttempt(Base):
    """One sign-in attempt (or an admin's unlock), kept to throttle and lock guessing.

    Rows live in the database, not in process memory, so every worker sees the same counts.
    ``account`` is the user name as typed (case-folded), known or not, so a lock never reveals
    whether an account exists; ``address`` is the client address.
    """

    __tablename__ = "sign_in_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(Timestamp, default=utcnow)
    account: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(64))
    # failure | success | refused | unlock
    outcome: Mapped[str] = mapped_column(String(16))

    __table_args__ = (
        Index("ix_sign_in_attempt_account", "account", "occurred_at"),
        Index("ix_sign_in_attempt_address", "address", "occurred_at"),
    )
