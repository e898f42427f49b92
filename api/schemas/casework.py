"""What the casework API (``/api/v1``) adds to the domain's schemas: HTTP-only bodies.

The shapes of casework data, in and out, are ``casework.schemas``; routers answer with those
``*Out`` classes directly. Here a request body extends a domain input only with what the HTTP
contract adds: OpenAPI examples, refusing NUL and ``true``-as-a-number in the raw JSON (both
databases then answer the same 422), a path id, and wording that names HTTP statuses. What is
left are bodies with no domain counterpart (small action bodies, a page of people, the views
of a ranker's answer, a new API key shown once).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from api.schemas.strict_numbers import reject_bool_numbers
from casework.permissions import ROLES, Role
from casework.reference import PLACEMENT_REASONS
from casework.schemas import (
    MAX_ACTIVITY_DATES,
    MAX_ID,
    MAX_UNIT_YEN,
    ClosureIn,
    ConsentIn,
    EvaluationIn,
    FeeTerms,
    FollowUpContactIn,
    Id,
    NeedsProfileIn,
    PersonIn,
    PersonOut,
    PersonUpdate,
    PlacementIn,
    PlacementState,
    PlanIn,
    RetentionContactIn,
    SupportMeetingIn,
    TransitionIn,
    UserIn,
)

MAX_BUDGET_YEN = 2_000_000_000

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="Numeric id", examples=[1])]
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

    # Bounded here only: PersonIn is also the new person of the consultation intake, whose
    # documented schema has no bound (yet), so the domain field stays as it is.
    primary_staff_id: Id | None = None


class PersonPatch(NoNul, PersonUpdate):
    """Change only the intake fields that are sent."""

    model_config = _examples({"phone": "043-000-0000", "ward": "若葉区"})


class PeoplePageOut(BaseModel):
    """A page of people the caller may see (coordinators: own and team cases)."""

    items: list[PersonOut]
    offset: int
    limit: int


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


class PlacementCreate(NoNul, PlacementIn):
    """Propose a resource for a person (support must have started)."""

    model_config = _examples({"person_id": 1, "resource_id": "R001"})

    person_id: Id
    occurred_on: date | None = Field(
        default=None, description="提案日 (default today in Japan; 422 when in the future)"
    )

    def to_domain(self) -> PlacementIn:
        """The domain input: every field but the person, which the service takes apart."""
        return PlacementIn.model_validate(self.model_dump(exclude={"person_id"}))


class TransitionBody(_In):
    """Move a placement: ``to`` a state, with a reason code when it ends or is declined."""

    # Not a TransitionIn subclass: the wire names (``to``, ``reason``) are the API's own.

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

    def to_domain(self) -> TransitionIn:
        """The domain input under its own names (``to_state``, ``reason_code``)."""
        return TransitionIn(
            to_state=self.to,
            reason_code=self.reason,
            note=self.note,
            expected_version=self.expected_version,
            occurred_on=self.occurred_on,
        )


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


# --- cooperation fees (協力費) ---------------------------------------------------------------


class FeeCreate(NoNul, FeeTerms):
    """A fee entry; unit and amount default to the receiver's catalog terms."""

    model_config = _examples(
        {"activity_dates": ["2026-12-01", "2026-12-08"]},
        {"activity_dates": ["2026-12-01"], "unit_amount_yen": 1000, "unit": "per_session"},
    )


class FeePatch(_In):
    """Correct a draft entry (approved entries are locked: reverse them instead)."""

    model_config = _examples({"activity_dates": ["2026-12-01"], "note": "1日取消"})

    activity_dates: list[date] | None = Field(
        default=None, min_length=1, max_length=MAX_ACTIVITY_DATES
    )
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


# --- audit, outcomes, counts, accounts -------------------------------------------------------


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
