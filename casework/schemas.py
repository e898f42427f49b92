"""Validated inputs of the casework services and the shapes they return to the API."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from casework import normalize
from casework.checklists import CHANGE_ITEMS_BY_CODE
from casework.reference import (
    CLOSURE_REASONS,
    CONSENT_METHODS,
    CONSENT_SHARE_RECEIVER,
    CONTACT_METHODS,
    HIDE_REASONS,
    PLACEMENT_REASONS,
    PLAN_ACTORS,
    WARDS,
)

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
ConsentScope = Literal["matching", "share_with_receiver", "multi_agency"]
ReceiverKind = Literal["organization", "resource"]
PlacementState = Literal[
    "proposed",
    "contacted",
    "visit",
    "trial",
    "placed",
    "ended",
    "declined",
    "no_capacity",
    "withdrawn",
]
PlanStatus = Literal["draft", "submitted", "decided", "returned"]
FeeState = Literal["draft", "approved", "paid", "rejected"]
FeeUnit = Literal["per_session", "per_month"]

# Ids are 32-bit integers in both databases: a larger one is bad input, refused before any
# query runs rather than failing in the driver.
MAX_ID = 2_147_483_647
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# A unit price above this is a typing error, not a fee; a year of weekly sessions is far
# below the date limit.
MAX_UNIT_YEN = 10_000_000
MAX_ACTIVITY_DATES = 400


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _enum(codes: Iterable[str | None], *extra: str | None) -> dict[str, Any]:
    """The codes a validator accepts, shown as the field's enum in the OpenAPI schema."""
    return {"enum": [*codes, *extra]}


def _ward_ok(value: str | None) -> str | None:
    if value is not None and value not in WARDS:
        raise ValueError(f"ward must be one of {', '.join(WARDS)}")
    return value


def _normalise_contact(model: Any) -> None:
    """Phone and e-mail in their normal forms (NFKC, ASCII hyphens); ValueError when malformed.

    Checked on the whole model rather than per field: the JSON schema cannot state what a
    Japanese phone number is, so the refusal is a rule of the intake, not of one field's type
    (the web form still shows the message beside the field it names).
    """
    if model.phone:
        model.phone = normalize.phone(model.phone)
    if model.email:
        model.email = normalize.email(model.email)


# --- intake (相談受付・申込票 様式第1号) -------------------------------------------------


class PersonIn(_In):
    """Intake fields; everything the person chose not to answer may stay empty."""

    name: str = Field(min_length=1, max_length=100)
    furigana: str | None = Field(default=None, max_length=100)
    sex: str | None = Field(default=None, max_length=50, description="男性 / 女性 / free text")
    born_on: date | None = None
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(
        default=None,
        max_length=300,
        description="住所 (encrypted at rest). Without home_lat/home_lon it is geocoded offline "
        "to its town (町丁目), postal code or ward centre; home_location_source says which.",
        examples=["千葉市若葉区桜木北2丁目"],
    )
    ward: str | None = Field(default=None, json_schema_extra=_enum(WARDS, None))
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lon: float | None = Field(default=None, ge=-180, le=180)
    referral_source: str | None = Field(default=None, max_length=200)
    referred_on: date | None = None
    received_on: date | None = None
    health_notes: str | None = None
    disability_notes: str | None = None
    family_notes: str | None = None
    primary_staff_id: int | None = None
    team: str | None = Field(default=None, max_length=64)

    _ward = field_validator("ward")(_ward_ok)

    @model_validator(mode="after")
    def _lat_lon_together(self) -> PersonIn:
        if (self.home_lat is None) != (self.home_lon is None):
            raise ValueError("home_lat and home_lon go together")
        _normalise_contact(self)
        return self


class PersonUpdate(_In):
    """A partial update of intake fields: only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    furigana: str | None = Field(default=None, max_length=100)
    sex: str | None = Field(default=None, max_length=50)
    born_on: date | None = None
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=300)
    ward: str | None = Field(default=None, json_schema_extra=_enum(WARDS, None))
    home_lat: float | None = Field(default=None, ge=-90, le=90)
    home_lon: float | None = Field(default=None, ge=-180, le=180)
    referral_source: str | None = Field(default=None, max_length=200)
    referred_on: date | None = None
    health_notes: str | None = None
    disability_notes: str | None = None
    family_notes: str | None = None
    primary_staff_id: Id | None = None
    team: str | None = Field(default=None, max_length=64)

    _ward = field_validator("ward")(_ward_ok)

    @model_validator(mode="after")
    def _contact_details(self) -> PersonUpdate:
        _normalise_contact(self)
        return self


class PersonOut(BaseModel):
    """A person's record as shown to staff allowed to read it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    reception_number: str | None
    fiscal_year: int
    received_on: date
    referral_source: str | None
    referred_on: date | None
    name: str | None
    furigana: str | None
    sex: str | None
    born_on: date | None
    age: int | None = None
    phone: str | None
    email: str | None
    address: str | None
    ward: str | None
    home_lat: float | None
    home_lon: float | None
    home_location_source: str | None = Field(
        description="where home_lat/lon came from: address, town, postal, ward or manual"
    )
    health_notes: str | None
    disability_notes: str | None
    family_notes: str | None
    primary_staff_id: int | None
    team: str | None
    status: str
    closed_on: date | None
    closure_reason: str | None
    created_at: datetime
    updated_at: datetime


class PossibleDuplicateOut(BaseModel):
    """An existing record that may be the same person (same reading and birth date, or phone).

    ``name`` is given only for records the caller may read; others show their 受付番号 so the
    coordinator can ask the record's team.
    """

    id: int
    name: str | None
    reception_number: str | None
    matched_on: list[Literal["reading_and_birth_date", "phone"]]
    readable: bool


class PersonCreatedOut(PersonOut):
    """The registered person and the records that look like the same person."""

    possible_duplicates: list[PossibleDuplicateOut] = Field(default_factory=list)


class ErasureOut(BaseModel):
    """What remains after erasure on request: an anonymised tombstone for counts."""

    id: int
    status: str
    fiscal_year: int
    ward: str | None


# --- needs profile (matching contract person) ----------------------------------------


class HomeIn(_In):
    """Where the person starts from: coordinates, else an address (geocoded), else a ward."""

    ward: str | None = Field(default=None, json_schema_extra=_enum(WARDS, None))
    address: str | None = Field(
        default=None,
        max_length=300,
        description="a starting address other than the intake one (encrypted at rest); "
        "geocoded offline to its town when no lat/lon is given",
    )
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)

    _ward = field_validator("ward")(_ward_ok)


class NeedsProfileIn(_In):
    """The matching contract's person profile (shared/eval/README.md); PUT = new version."""

    needs_text: str = ""
    avoid_text: str = ""
    age: int | None = Field(default=None, ge=0, le=130)
    has_certificate: bool = False
    days: list[Weekday] = Field(default_factory=list)
    home: HomeIn | None = None
    max_travel_km: float | None = Field(default=None, gt=0)
    needs_wheelchair_access: bool = False
    prefers_quiet: bool = False
    prefers_small_group: bool = False
    wants_paid: bool = False
    preferred_categories: list[str] = Field(default_factory=list)
    excluded_resource_ids: list[str] = Field(default_factory=list)


class NeedsProfileOut(BaseModel):
    """One stored version of a profile."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    version: int
    needs_text: str | None
    avoid_text: str | None
    age: int | None
    has_certificate: bool
    days: list[str]
    home_ward: str | None
    home_lat: float | None
    home_lon: float | None
    home_location_source: str | None = None
    home_address: str | None = None
    max_travel_km: float | None
    needs_wheelchair_access: bool
    prefers_quiet: bool
    prefers_small_group: bool
    wants_paid: bool
    preferred_categories: list[str]
    excluded_resource_ids: list[str]
    created_at: datetime
    created_by: str


class SuggestionIn(_In):
    """One ranked resource as the ranker returned it."""

    resource_id: str = Field(min_length=1, max_length=64)
    score: float
    reasons: list[Any] = Field(default_factory=list)


class SuggestionRunIn(_In):
    """A ranker run to store: the profile version it used and the ranker's version."""

    profile_version: int | None = Field(default=None, ge=1, description="None: the latest")
    ranker_version: str = Field(min_length=1, max_length=100)
    items: list[SuggestionIn]


class HideSuggestionIn(_In):
    """Hide one resource from a person's suggestions, with why (kept as ranker feedback)."""

    resource_id: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")
    reason_code: str = Field(json_schema_extra=_enum(HIDE_REASONS))
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("reason_code")
    @classmethod
    def _known_reason(cls, value: str) -> str:
        if value not in HIDE_REASONS:
            raise ValueError(f"reason_code must be one of {', '.join(HIDE_REASONS)}")
        return value


class HiddenSuggestionOut(BaseModel):
    """A resource hidden from a person's suggestions: by whom, when, why."""

    model_config = ConfigDict(from_attributes=True)

    resource_id: str
    reason_code: str | None
    note: str | None
    hidden_at: datetime
    hidden_by: str


class SuggestionItemOut(BaseModel):
    """A stored item of a run."""

    model_config = ConfigDict(from_attributes=True)

    rank: int
    resource_id: str
    score: float
    reasons: list[Any]


class SuggestionRunOut(BaseModel):
    """A stored run with its items."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    profile_version: int
    ranker_version: str
    created_at: datetime
    created_by: str
    items: list[SuggestionItemOut]


# --- consent -------------------------------------------------------------------------


class ConsentIn(_In):
    """A consent the person gave: scope, receiver when sharing, how and when, until when."""

    scope: ConsentScope
    receiver_kind: ReceiverKind | None = None
    receiver_id: str | None = Field(default=None, max_length=64)
    given_on: date
    method: str = Field(json_schema_extra=_enum(CONSENT_METHODS))
    note: str | None = None
    expires_on: date | None = None

    @model_validator(mode="after")
    def _receiver_when_sharing(self) -> ConsentIn:
        if self.method not in CONSENT_METHODS:
            raise ValueError(f"method must be one of {', '.join(CONSENT_METHODS)}")
        if self.scope == CONSENT_SHARE_RECEIVER:
            if not (self.receiver_kind and self.receiver_id):
                raise ValueError("sharing with a receiver names the receiver (kind and id)")
        elif self.receiver_kind or self.receiver_id:
            raise ValueError("only share_with_receiver consents name a receiver")
        if self.expires_on is not None and self.expires_on < self.given_on:
            raise ValueError("expires_on is before given_on")
        return self


class ConsentOut(BaseModel):
    """A stored consent."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    scope: str
    receiver_kind: str | None
    receiver_id: str | None
    given_on: date
    method: str
    note: str | None
    expires_on: date | None
    withdrawn_on: date | None
    withdrawal_note: str | None
    created_at: datetime
    created_by: str


class SupportMeetingIn(_In):
    """A 支援会議 discussion held without the person's consent."""

    held_on: date
    members: str | None = None
    summary: str | None = None


class SupportMeetingOut(BaseModel):
    """A stored 支援会議 record (members are bound by confidentiality)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    held_on: date
    members: str | None
    summary: str | None
    without_consent: bool
    confidentiality_bound: bool
    created_at: datetime
    created_by: str


class ReferralSummaryOut(BaseModel):
    """What may go to a receiver: full details with consent naming it, else anonymised."""

    anonymised: bool
    resource_id: str
    details: dict[str, Any]


# --- plan (様式第2号) ------------------------------------------------------------------


class PlanActionIn(_In):
    """A row of 実施内容: 実施者 and 実施内容 (実施事項・期間・頻度)."""

    actor_kind: str = Field(
        description="person 本人 / family 家族等 / agency 関係支援機関 / other",
        json_schema_extra=_enum(PLAN_ACTORS),
    )
    actor_name: str | None = Field(default=None, max_length=200)
    content: str | None = None
    period: str | None = Field(default=None, max_length=200)
    frequency: str | None = Field(default=None, max_length=200)

    @field_validator("actor_kind")
    @classmethod
    def _known_actor(cls, value: str) -> str:
        if value not in PLAN_ACTORS:
            raise ValueError(f"actor_kind must be one of {', '.join(PLAN_ACTORS)}")
        return value


class PlanIn(_In):
    """The editable fields of a plan round (the header comes from the person's record)."""

    created_on: date | None = None
    primary_staff_id: Id | None = None
    issues_text: str | None = None
    goal_text: str | None = None
    actions: list[PlanActionIn] = Field(default_factory=list)
    period_end_on: date | None = None
    next_monitoring_on: date | None = Field(
        default=None, description="次回モニタリング時期: any day of the month (stored as day 1)"
    )


class PlanActionOut(BaseModel):
    """A stored action row."""

    model_config = ConfigDict(from_attributes=True)

    position: int
    actor_kind: str
    actor_name: str | None
    content: str | None
    period: str | None
    frequency: str | None


class PlanOut(BaseModel):
    """A plan round with its status and action rows."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    round: int
    status: str
    created_on: date
    primary_staff_id: int | None
    issues_text: str | None
    goal_text: str | None
    actions: list[PlanActionOut]
    period_end_on: date | None
    next_monitoring_on: date | None
    submitted_at: datetime | None
    decided_on: date | None
    returned_at: datetime | None
    return_reason: str | None
    early_start_on: date | None
    early_start_reason: str | None
    copied_from_plan_id: int | None


class PlanForm(BaseModel):
    """Every field of 様式第2号 参加支援事業のプラン, ready to render or print."""

    plan_id: int
    person_id: int
    status: PlanStatus
    reception_number: str | None  # 受付番号
    referred_or_received_on: date | None  # 紹介日・相談受付日
    round: int  # 作成回 プラン(n)回目
    primary_staff_id: int | None  # 主担当者
    primary_staff_name: str | None
    furigana: str | None
    name: str | None
    sex: str | None  # 男性 / 女性 / (free text)
    born_on: date | None
    age: int | None  # (歳) on the plan's creation date
    issues_text: str | None  # ■解決したい課題
    goal_text: str | None  # ■目標(目指す姿)＜本人が設定＞
    actions: list[PlanActionOut]  # ■実施内容
    period_end_on: date | None  # プラン期間 … まで
    next_monitoring_on: date | None  # 次回モニタリング時期 (year-month)
    created_on: date
    submitted_at: datetime | None
    decided_on: date | None
    returned_at: datetime | None
    return_reason: str | None
    early_start_on: date | None
    early_start_reason: str | None


# --- placement (マッチング) ------------------------------------------------------------


class PlacementIn(_In):
    """Propose a resource for a person."""

    resource_id: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")
    plan_id: Id | None = None
    suggestion_run_id: Id | None = None
    note: str | None = Field(default=None, max_length=2000)
    occurred_on: date | None = Field(
        default=None, description="the day it was proposed (default today in Japan)"
    )


class TransitionIn(_In):
    """Move a placement to another state."""

    to_state: PlacementState
    reason_code: str | None = Field(default=None, json_schema_extra=_enum(PLACEMENT_REASONS, None))
    note: str | None = None
    expected_version: int | None = None
    occurred_on: date | None = Field(
        default=None,
        description="the day the step happened (default today in Japan); not in the future, "
        "not before the previous step",
    )

    @field_validator("reason_code")
    @classmethod
    def _known_reason(cls, value: str | None) -> str | None:
        if value is not None and value not in PLACEMENT_REASONS:
            raise ValueError(f"reason_code must be one of {', '.join(PLACEMENT_REASONS)}")
        return value


class TransitionOut(BaseModel):
    """A stored transition."""

    model_config = ConfigDict(from_attributes=True)

    from_state: str | None
    to_state: str
    skipped: list[str]
    reason_code: str | None
    note: str | None
    occurred_on: date
    at: datetime
    actor: str


class _PlacementState(BaseModel):
    """The fields every view of a placement shows: who, which resource, where it stands."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    resource_id: str
    plan_id: int | None
    state: str
    reason_code: str | None
    reason_text: str | None
    holds_slot: bool
    proposed_at: datetime
    placed_at: datetime | None
    ended_at: datetime | None
    last_contact_on: date | None
    version: int


class PlacementOut(_PlacementState):
    """A placement and its current state."""

    profile_id: int | None


class RetentionContactIn(_In):
    """A 定着支援 contact with the person or the receiver."""

    contacted_on: date
    party: Literal["person", "receiver"]
    method: str = Field(json_schema_extra=_enum(CONTACT_METHODS))
    discussed: str | None = None
    next_action: str | None = None
    next_action_on: date | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        if value not in CONTACT_METHODS:
            raise ValueError(f"method must be one of {', '.join(CONTACT_METHODS)}")
        return value


class PlacementDetailOut(_PlacementState):
    """A placement with its transitions."""

    # No profile_id here: the detail view has never shown it, and the API keeps its shape.

    transitions: list[TransitionOut]


class RetentionContactOut(BaseModel):
    """A stored retention contact."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    placement_id: int
    contacted_on: date
    party: str
    method: str
    discussed: str | None
    next_action: str | None
    next_action_on: date | None
    created_at: datetime
    created_by: str


# --- evaluation (様式第3号) -------------------------------------------------------------


class EvaluationIn(_In):
    """The fields of 評価シート; ``changes`` are checklist codes (casework.checklists)."""

    plan_id: Id | None = None
    evaluator_id: Id | None = None
    evaluated_on: date
    goal_attainment: str | None = None
    changes: list[str] = Field(
        default_factory=list,
        json_schema_extra={"items": {"type": "string", "enum": list(CHANGE_ITEMS_BY_CODE)}},
    )
    other_change: str | None = None
    no_change: bool = False
    current_situation: str | None = None
    wish: Literal["end", "continue"] | None = None
    staff_opinion: str | None = None

    @model_validator(mode="after")
    def _checklist(self) -> EvaluationIn:
        unknown = [c for c in self.changes if c not in CHANGE_ITEMS_BY_CODE]
        if unknown:
            raise ValueError(f"unknown checklist codes: {', '.join(unknown)}")
        if len(set(self.changes)) != len(self.changes):
            raise ValueError("a checklist code is ticked twice")
        if self.no_change and (self.changes or self.other_change):
            raise ValueError("この間に変化は見られなかった excludes ticked changes")
        return self


class EvaluationOut(BaseModel):
    """A stored evaluation sheet."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    plan_id: int | None
    round: int
    evaluator_id: int | None
    evaluated_on: date
    goal_attainment: str | None
    changes: list[str]
    other_change: str | None
    no_change: bool
    current_situation: str | None
    wish: str | None
    staff_opinion: str | None
    created_at: datetime


class FieldChangeOut(BaseModel):
    """One corrected field: before and after."""

    model_config = ConfigDict(from_attributes=True)

    field: str
    label_ja: str
    old: Any
    new: Any
    old_ja: str
    new_ja: str


class EvaluationCorrectionOut(BaseModel):
    """One correction of an evaluation sheet."""

    model_config = ConfigDict(from_attributes=True)

    changed_at: datetime
    changed_by: str
    changed_by_name: str
    fields: list[FieldChangeOut]


class ChecklistLineOut(BaseModel):
    """One checkbox of the form."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    label_ja: str
    checked: bool


class EvaluationFormOut(BaseModel):
    """Every field of 様式第3号 for one sheet, with every checklist line."""

    model_config = ConfigDict(from_attributes=True)

    evaluation_id: int
    person_id: int
    plan_id: int | None
    changes: list[str]
    reception_number: str | None
    name: str | None
    round: int
    evaluator_id: int | None
    evaluator_name: str | None
    evaluated_on: str
    goal_attainment: str | None
    life: list[ChecklistLineOut]
    social: list[ChecklistLineOut]
    other_label: str
    other_change: str | None
    no_change_label: str
    no_change: bool
    current_situation: str | None
    wish: str | None
    wish_label: str | None
    staff_opinion: str | None


# --- closure and follow-up -----------------------------------------------------------


class ClosureIn(_In):
    """終結: when, why, and how often to keep in touch afterwards (None: no follow-up)."""

    closed_on: date
    reason: str = Field(min_length=1, max_length=32, json_schema_extra=_enum(CLOSURE_REASONS))
    note: str | None = None
    follow_up_interval_days: int | None = Field(default=None, ge=1, le=366)


class FollowUpContactIn(_In):
    """A follow-up contact after closure."""

    contacted_on: date
    method: str = Field(json_schema_extra=_enum(CONTACT_METHODS))
    note: str | None = None

    @field_validator("method")
    @classmethod
    def _known_method(cls, value: str) -> str:
        if value not in CONTACT_METHODS:
            raise ValueError(f"method must be one of {', '.join(CONTACT_METHODS)}")
        return value


class FollowUpOut(BaseModel):
    """A person's follow-up schedule."""

    model_config = ConfigDict(from_attributes=True)

    person_id: int
    interval_days: int
    started_on: date
    next_due_on: date
    ended_on: date | None


class FollowUpContactOut(BaseModel):
    """A stored follow-up contact."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    contacted_on: date
    method: str
    note: str | None
    created_at: datetime


# --- cooperation fees (協力費) ---------------------------------------------------------


class FeeTerms(_In):
    """What a fee entry claims: the activity dates, and the unit amount and unit where they
    differ from the receiver's catalog terms (None: the catalog's)."""

    activity_dates: list[date] = Field(min_length=1, max_length=MAX_ACTIVITY_DATES)
    unit_amount_yen: int | None = Field(default=None, ge=0, le=MAX_UNIT_YEN)
    unit: FeeUnit | None = None
    note: str | None = Field(default=None, max_length=500)


class FeeIn(FeeTerms):
    """A fee entry for a placement, with the key that makes a retried request harmless."""

    idempotency_key: str = Field(min_length=8, max_length=128)


class FeeOut(BaseModel):
    """A stored fee entry."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    idempotency_key: str
    placement_id: int
    person_id: int
    resource_id: str
    receiver_id: str
    fee_unit: str
    unit_amount_yen: int
    quantity: int
    amount_yen: int
    activity_dates: list[str]
    covers_from_on: date
    covers_to_on: date
    fiscal_year: int
    state: str
    reverses_fee_id: int | None
    note: str | None
    rejection_reason: str | None
    created_at: datetime
    created_by: str
    approved_at: datetime | None
    approved_by: str | None
    paid_on: date | None


class BudgetStatusOut(BaseModel):
    """Budget, committed (approved + paid), paid, drafts and the remaining amount."""

    model_config = ConfigDict(from_attributes=True)

    fiscal_year: int
    budget_yen: int | None
    committed_yen: int
    paid_yen: int
    draft_yen: int
    remaining_yen: int | None


class FeeTotalOut(BaseModel):
    """Sums for one receiver / person / fiscal year."""

    key: str
    draft_yen: int
    approved_yen: int
    paid_yen: int
    rejected_yen: int
    committed_yen: int


# --- accounts ------------------------------------------------------------------------


class UserIn(_In):
    """A new staff account."""

    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str = Field(min_length=1, max_length=100)
    role: Literal["coordinator", "supervisor", "catalog_maintainer", "finance", "auditor", "admin"]
    team: str | None = Field(default=None, max_length=64)
    password: str = Field(min_length=12, max_length=256)


class UserOut(BaseModel):
    """A staff account (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    team: str | None
    active: bool


class ApiClientIn(_In):
    """A new API client and the permissions it may use."""

    name: str = Field(min_length=1, max_length=100)
    scopes: list[str] = Field(min_length=1)


# --- agenda, audit, reports ----------------------------------------------------------


class DueItemOut(BaseModel):
    """Something due: monitoring, a follow-up contact, or a placement without contact."""

    model_config = ConfigDict(from_attributes=True)

    kind: Literal["monitoring", "follow_up", "placement_no_contact"]
    person_id: int
    reception_number: str | None
    due_on: date
    overdue: bool
    days_overdue: int
    plan_id: int | None
    placement_id: int | None
    resource_id: str | None


class AuditRowOut(BaseModel):
    """One row of the hash-chained audit log (ids and codes only)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str | None
    source_ip: str | None
    client: str | None
    detail: dict[str, Any] | None
    prev_hash: str
    hash: str


class ChainReportOut(BaseModel):
    """Result of re-computing every hash of the audit chain."""

    model_config = ConfigDict(from_attributes=True)

    ok: bool
    first_bad_id: int | None
    rows_checked: int
    head_hash: str


class OutcomeRowOut(BaseModel):
    """A finished placement as a training row for the ranker (no free text)."""

    placement_id: int
    person: dict[str, Any]
    profile_version: int
    resource_id: str
    outcome: str
    reason_code: str | None
    reason: str | None


class CaseCountsOut(BaseModel):
    """Anonymised counts (survive erasure)."""

    people_by_fiscal_year: dict[int, int]
    people_by_status: dict[str, int]
    deleted_people: int
    placements_by_state: dict[str, int]
