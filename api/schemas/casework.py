"""Request and response bodies of the casework API (``/api/v1``), with OpenAPI examples.

Inputs extend the domain schemas of ``casework.schemas`` only to bound ids and amounts (a
number too large for the database column is a 422 here, not a driver error) and to add
examples; the domain keeps every rule. Outputs are the domain's ``*Out`` shapes plus a few
API-only views.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.schemas.strict_numbers import reject_bool_numbers
from casework.permissions import ROLES, Role
from casework.reference import PLACEMENT_REASONS
from casework.schemas import (
    ClosureIn,
    ConsentIn,
    EvaluationIn,
    FollowUpContactIn,
    NeedsProfileIn,
    PersonIn,
    PersonOut,
    PersonUpdate,
    PlacementState,
    PlanActionOut,
    PlanIn,
    RetentionContactIn,
    SupportMeetingIn,
    TransitionOut,
    UserIn,
)

# Ids are 32-bit integers in both databases.
MAX_ID = 2_147_483_647
MAX_UNIT_YEN = 10_000_000
MAX_BUDGET_YEN = 2_000_000_000

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id", examples=[1])]
FiscalYear = Annotated[int, Field(ge=2000, le=2100, description="年度 (April–March)")]
ShortText = Annotated[str, Field(min_length=1, max_length=2000)]


def _reject_nul(value: Any) -> None:
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("text may not contain NUL (\\u0000)")
    elif isinstance(value, dict):
        for key, item in value.items():
            _reject_nul(key)
            _reject_nul(item)
    elif isinstance(value, list):
        for item in value:
            _reject_nul(item)


class NoNul(BaseModel):
    """Refuses NUL characters anywhere in the body (PostgreSQL text cannot store them), so
    both databases answer the same 422."""

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        _reject_nul(data)
        reject_bool_numbers(cls, data)
        return data


class _In(NoNul):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _examples(*examples: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": list(examples)})


# --- people ----------------------------------------------------------------------------


class PersonCreate(NoNul, PersonIn):
    """相談受付・申込票 (様式第1号): every item the person did not answer may be left out."""

    model_config = _examples(
        {
            "name": "千葉 花子",
            "furigana": "ちば はなこ",
            "sex": "女性",
            "born_on": "1990-05-01",
            "ward": "稲毛区",
            "referral_source": "あんしんケアセンター",
            "referred_on": "2026-11-01",
            "received_on": "2026-11-22",
            "health_notes": "通院中",
        }
    )

    primary_staff_id: Id | None = None


class PersonPatch(NoNul, PersonUpdate):
    """Change only the intake fields that are sent."""

    model_config = _examples({"phone": "043-000-0000", "ward": "若葉区"})

    primary_staff_id: Id | None = None


class PeoplePageOut(BaseModel):
    """A page of people the caller may see (coordinators: own and team cases)."""

    items: list[PersonOut]
    offset: int
    limit: int


class ErasureOut(BaseModel):
    """What remains after erasure on request: an anonymised tombstone for counts."""

    id: int
    status: str
    fiscal_year: int
    ward: str | None


class NeedsProfileBody(NoNul, NeedsProfileIn):
    """The matching contract's person profile; every PUT stores a new version."""

    model_config = _examples(
        {
            "needs_text": "人と話すのは苦手だが、土に触れる作業ならやってみたい",
            "avoid_text": "大人数・電話対応",
            "has_certificate": False,
            "days": ["tue", "thu"],
            "home": {"ward": "稲毛区"},
            "max_travel_km": 8,
            "prefers_quiet": True,
            "prefers_small_group": True,
            "preferred_categories": ["farm"],
            "excluded_resource_ids": [],
        }
    )


# --- consent, meetings -----------------------------------------------------------------


class ConsentCreate(NoNul, ConsentIn):
    """A consent: scope, the receiver when sharing, how it was obtained, until when."""

    model_config = _examples(
        {"scope": "matching", "given_on": "2026-11-22", "method": "written"},
        {
            "scope": "share_with_receiver",
            "receiver_kind": "resource",
            "receiver_id": "R001",
            "given_on": "2026-11-22",
            "method": "written",
            "expires_on": "2027-11-21",
        },
    )


class WithdrawIn(_In):
    """The withdrawal (撤回) of a consent."""

    model_config = _examples({"withdrawn_on": "2026-12-01", "note": "本人の申し出"})

    withdrawn_on: date
    note: str | None = Field(default=None, max_length=2000)


class SupportMeetingCreate(NoNul, SupportMeetingIn):
    """A 支援会議 discussion of the case without the person's consent."""

    model_config = _examples(
        {"held_on": "2026-11-25", "members": "区保健福祉センター, 地域包括", "summary": "見守り"}
    )


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


# --- plans (様式第2号) --------------------------------------------------------------------


class PlanBody(NoNul, PlanIn):
    """The editable fields of a plan round; on create, unset fields copy the last round."""

    model_config = _examples(
        {
            "issues_text": "外出の機会がなく生活リズムが乱れている",
            "goal_text": "週に1回、決まった時間に外に出る",
            "actions": [
                {
                    "actor_kind": "person",
                    "content": "農園での作業体験に参加する",
                    "period": "3か月",
                    "frequency": "週1回",
                },
                {"actor_kind": "agency", "actor_name": "相談支援員", "content": "同行支援"},
            ],
            "period_end_on": "2027-03-31",
            "next_monitoring_on": "2027-01-01",
        }
    )

    primary_staff_id: Id | None = None


class DecideIn(_In):
    """The 重層的支援会議 decision date."""

    model_config = _examples({"decided_on": "2026-12-10"})

    decided_on: date


class ReasonIn(_In):
    """A reason (plan returned, fee rejected, fee reversed)."""

    model_config = _examples({"reason": "目標をもう少し具体的に"})

    reason: ShortText


class StartEarlyIn(_In):
    """決定前の支援開始: when and why."""

    model_config = _examples({"started_on": "2026-11-25", "reason": "早期に関わる必要がある"})

    started_on: date
    reason: ShortText


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


# --- matching --------------------------------------------------------------------------


class SuggestionOut(BaseModel):
    """One suggested resource, its score and Japanese reasons."""

    resource_id: str
    score: float
    reasons: list[str]
    may_share_details: bool = Field(
        description="True when a consent names this receiver: details may be shared; "
        "otherwise only an anonymised referral."
    )


class SuggestionsOut(BaseModel):
    """A stored suggestion run: which profile and ranker versions produced it."""

    model_config = _examples(
        {
            "run_id": 1,
            "suggestions": [
                {
                    "resource_id": "R001",
                    "score": 0.82,
                    "reasons": ["土に触れる作業(農作業)が希望に合う", "少人数"],
                    "may_share_details": False,
                }
            ],
            "ranker_version": "tsunagu-match-1.0/hashing/onto-1/hand-0a1b2c3d",
            "profile_version": 2,
        }
    )

    run_id: int
    suggestions: list[SuggestionOut]
    ranker_version: str
    profile_version: int


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


class RuleBreakOut(BaseModel):
    """A hard rule the resource breaks for this person."""

    rule: str
    message_ja: str


class ExclusionOut(BaseModel):
    """Why a named resource is (or is not) excluded from a person's suggestions."""

    model_config = _examples(
        {
            "resource_id": "R007",
            "excluded": True,
            "rules": [{"rule": "days", "message_ja": "希望の曜日に活動日がありません"}],
            "ranker_version": "tsunagu-match-1.0/hashing/onto-1/hand-0a1b2c3d",
            "profile_version": 2,
        }
    )

    resource_id: str
    excluded: bool
    rules: list[RuleBreakOut]
    ranker_version: str
    profile_version: int


class ExcludedOut(BaseModel):
    """A resource that would rank high but breaks a hard rule."""

    resource_id: str
    would_rank: int = Field(description="1-based position if no hard rule applied")
    rules: list[RuleBreakOut]


class UnservedOut(BaseModel):
    """A preferred category with no feasible resource, and why."""

    category: str
    label_ja: str
    n_resources: int
    rule_counts: dict[str, int]
    message_ja: str


class LocatedOut(BaseModel):
    """Where a resource the coordinator asked about stands for this person."""

    resource_id: str
    feasible: bool
    rank: int | None = Field(description="1-based among feasible resources; null if excluded")
    reasons: list[str]
    rules: list[RuleBreakOut]


class WhyNotOut(BaseModel):
    """What the hard rules keep out around a person's list, and the asked resources."""

    near_excluded: list[ExcludedOut]
    unserved_preferences: list[UnservedOut]
    asked: list[LocatedOut]
    ranker_version: str
    profile_version: int


# --- placements ------------------------------------------------------------------------


class PlacementCreate(_In):
    """Propose a resource for a person (support must have started)."""

    model_config = _examples({"person_id": 1, "resource_id": "R001"})

    person_id: Id
    resource_id: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")
    plan_id: Id | None = None
    suggestion_run_id: Id | None = None
    note: str | None = Field(default=None, max_length=2000)
    occurred_on: date | None = Field(
        default=None, description="提案日 (default today in Japan; 422 when in the future)"
    )


class TransitionBody(_In):
    """Move a placement: ``to`` a state, with a reason code when it ends or is declined."""

    model_config = _examples(
        {"to": "placed"},
        {"to": "visit", "occurred_on": "2026-12-02"},
        {"to": "declined", "reason": "person_declined", "note": "作業時間が合わない"},
    )

    to: PlacementState
    reason: str | None = Field(
        default=None,
        description=f"reason code: {', '.join(PLACEMENT_REASONS)}",
        json_schema_extra={"enum": [*PLACEMENT_REASONS, None]},
    )
    note: str | None = Field(default=None, max_length=2000)
    expected_version: Id | None = Field(default=None, description="409 when it changed")
    occurred_on: date | None = Field(
        default=None,
        description="the day the step happened (default today in Japan); 422 when in the "
        "future or before the previous step",
    )

    @field_validator("reason")
    @classmethod
    def _known_reason(cls, value: str | None) -> str | None:
        if value is not None and value not in PLACEMENT_REASONS:
            raise ValueError(f"reason must be one of {', '.join(PLACEMENT_REASONS)}")
        return value


class PlacementDetailOut(BaseModel):
    """A placement with its transitions."""

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
    transitions: list[TransitionOut]


class RetentionContactCreate(NoNul, RetentionContactIn):
    """A 定着支援 contact with the person or the receiver."""

    model_config = _examples(
        {
            "contacted_on": "2026-12-15",
            "party": "receiver",
            "method": "phone",
            "discussed": "作業に慣れてきた",
            "next_action": "月末に訪問",
            "next_action_on": "2026-12-28",
        }
    )


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


# --- evaluations (様式第3号) ----------------------------------------------------------------


class EvaluationCreate(NoNul, EvaluationIn):
    """評価シート: ``changes`` are checklist codes of 生活面 and 社会面."""

    model_config = _examples(
        {
            "evaluated_on": "2027-01-20",
            "goal_attainment": "週1回の外出が定着した",
            "changes": ["lifestyle_improved", "isolation_resolved"],
            "current_situation": "体調の波がある",
            "wish": "continue",
            "staff_opinion": "継続して定着支援を行う",
        }
    )

    plan_id: Id | None = None
    evaluator_id: Id | None = None


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


# --- closure and follow-up ----------------------------------------------------------------


class ClosureCreate(NoNul, ClosureIn):
    """終結: date, reason code, and the follow-up interval (omit for no follow-up)."""

    model_config = _examples(
        {"closed_on": "2027-03-31", "reason": "stable", "follow_up_interval_days": 90}
    )


class FollowUpIntervalIn(_In):
    """How often a closed case is contacted."""

    model_config = _examples({"interval_days": 60})

    interval_days: int = Field(ge=1, le=366)


class FollowUpContactCreate(NoNul, FollowUpContactIn):
    """A follow-up contact after closure."""

    model_config = _examples({"contacted_on": "2027-06-30", "method": "phone"})


class FollowUpEndIn(_In):
    """Stop periodic follow-up contacts."""

    model_config = _examples({"ended_on": "2028-03-31"})

    ended_on: date


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


# --- cooperation fees (協力費) ---------------------------------------------------------------


class FeeCreate(_In):
    """A fee entry; unit and amount default to the receiver's catalog terms."""

    model_config = _examples(
        {"activity_dates": ["2026-12-01", "2026-12-08"]},
        {"activity_dates": ["2026-12-01"], "unit_amount_yen": 1000, "unit": "per_session"},
    )

    activity_dates: list[date] = Field(min_length=1, max_length=400)
    unit_amount_yen: int | None = Field(default=None, ge=0, le=MAX_UNIT_YEN)
    unit: Literal["per_session", "per_month"] | None = None
    note: str | None = Field(default=None, max_length=500)


class FeePatch(_In):
    """Correct a draft entry (approved entries are locked: reverse them instead)."""

    model_config = _examples({"activity_dates": ["2026-12-01"], "note": "1日取消"})

    activity_dates: list[date] | None = Field(default=None, min_length=1, max_length=400)
    unit_amount_yen: int | None = Field(default=None, ge=0, le=MAX_UNIT_YEN)
    note: str | None = Field(default=None, max_length=500)


class PayIn(_In):
    """The payment date (支払日)."""

    model_config = _examples({"paid_on": "2027-01-31"})

    paid_on: date


class BudgetIn(_In):
    """The cooperation-fee budget of a fiscal year, in yen."""

    model_config = _examples({"budget_yen": 1_200_000})

    budget_yen: int = Field(ge=0, le=MAX_BUDGET_YEN)


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


# --- audit, outcomes, counts, accounts -------------------------------------------------------


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


class ApiClientCreate(_In):
    """A new API client: a role's permissions, or explicit scopes."""

    # Exactly one of role and scopes, as the route checks; the schema says so too.
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "ケース記録システム", "role": "coordinator"}],
            "oneOf": [
                {"required": ["role"], "properties": {"role": {"type": "string"}}},
                {"required": ["scopes"], "properties": {"scopes": {"type": "array"}}},
            ],
        }
    )

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")
    role: Role | None = Field(default=None, description=f"one of {', '.join(ROLES)}")
    scopes: list[str] | None = Field(default=None, min_length=1, max_length=50)


class ApiClientCreatedOut(BaseModel):
    """The new client; ``api_key`` is shown once and never again."""

    id: int
    name: str
    scopes: list[str]
    api_key: str


class UserCreate(NoNul, UserIn):
    """A new staff account (argon2-hashed password)."""

    model_config = _examples(
        {
            "username": "tanaka",
            "display_name": "田中 一郎",
            "role": "coordinator",
            "team": "team-a",
            "password": "correct horse battery",
        }
    )


class UserOut(BaseModel):
    """A staff account (never the password hash)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    role: str
    team: str | None
    active: bool
