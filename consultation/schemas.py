"""Validated inputs of the consultation services and the shapes they return."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from casework.reference import WARDS
from casework.schemas import PersonIn
from consultation.reference import AGENCY_KINDS, tags

Channel = Literal["visit", "phone", "outreach", "email", "agency"]
FromWhom = Literal["self", "family", "agency", "community"]
Outcome = Literal["info_only", "referral", "continued", "participation_application"]
NoteKind = Literal["interview", "phone", "visit", "accompany", "meeting", "email", "agency_contact"]
ReferralStatus = Literal["requested", "accepted", "in_progress", "completed", "failed"]
FailureReason = Literal["person_declined", "not_eligible", "unreachable", "other_agency", "other"]
ConsentBasis = Literal["consent_written", "consent_verbal", "support_meeting", "anonymous"]


def _as_utc(value: datetime) -> datetime:
    # SQLite hands back naive values; every stored instant is UTC. Serialise with the offset.
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


Instant = Annotated[datetime, AfterValidator(_as_utc)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _ward_ok(value: str | None) -> str | None:
    if value is not None and value not in WARDS:
        raise ValueError(f"ward must be one of {', '.join(WARDS)}")
    return value


def _tags_ok(values: list[str]) -> list[str]:
    known = tags()
    unknown = [v for v in values if v not in known]
    if unknown:
        raise ValueError(f"unknown tag(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return list(dict.fromkeys(values))


# --- consultations -----------------------------------------------------------------------


class HouseholdMemberIn(_In):
    """A household member (世帯員): relation to the person, age, their own needs and tags."""

    relation: str = Field(min_length=1, max_length=32, examples=["母"])
    age: int | None = Field(default=None, ge=0, le=130)
    sex: str | None = Field(default=None, max_length=50)
    needs: str | None = Field(default=None, max_length=4000)
    tags: list[str] = Field(default_factory=list, max_length=20)

    _tags = field_validator("tags")(_tags_ok)


class HouseholdMemberOut(BaseModel):
    """A stored household member."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    position: int
    relation: str
    age: int | None
    sex: str | None
    needs: str | None
    tags: list[str]


class ConsultationIn(_In):
    """A consultation as received; everything about the person may be left out (anonymous)."""

    received_on: date | None = None
    channel: Channel
    from_whom: FromWhom
    from_agency_id: int | None = None
    caller_note: str | None = Field(default=None, max_length=2000)
    name: str | None = Field(default=None, max_length=100)
    furigana: str | None = Field(default=None, max_length=100)
    sex: str | None = Field(default=None, max_length=50)
    born_on: date | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    phone: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=300)
    ward: str | None = None
    town: str | None = Field(default=None, max_length=50)
    chief_complaint: str | None = Field(default=None, max_length=4000)
    content: str | None = Field(default=None, max_length=20000)
    tags: list[str] = Field(default_factory=list, max_length=30)
    household: list[HouseholdMemberIn] = Field(default_factory=list, max_length=20)
    info_given: str | None = Field(default=None, max_length=4000)
    outcome: Outcome | None = None
    person_id: int | None = None
    primary_staff_id: int | None = None
    team: str | None = Field(default=None, max_length=64)

    _ward = field_validator("ward")(_ward_ok)
    _tags = field_validator("tags")(_tags_ok)


class ConsultationUpdate(_In):
    """A partial update: only the fields sent change (household is replaced whole)."""

    channel: Channel | None = None
    from_whom: FromWhom | None = None
    caller_note: str | None = Field(default=None, max_length=2000)
    name: str | None = Field(default=None, max_length=100)
    furigana: str | None = Field(default=None, max_length=100)
    sex: str | None = Field(default=None, max_length=50)
    born_on: date | None = None
    age: int | None = Field(default=None, ge=0, le=130)
    phone: str | None = Field(default=None, max_length=50)
    address: str | None = Field(default=None, max_length=300)
    ward: str | None = None
    town: str | None = Field(default=None, max_length=50)
    chief_complaint: str | None = Field(default=None, max_length=4000)
    content: str | None = Field(default=None, max_length=20000)
    tags: list[str] | None = Field(default=None, max_length=30)
    household: list[HouseholdMemberIn] | None = Field(default=None, max_length=20)
    info_given: str | None = Field(default=None, max_length=4000)
    outcome: Outcome | None = None

    _ward = field_validator("ward")(_ward_ok)

    @field_validator("tags")
    @classmethod
    def _tags_known(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _tags_ok(value)


class ConsultationOut(BaseModel):
    """A consultation as shown to staff allowed to read it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    received_on: date
    channel: str
    from_whom: str
    from_agency_id: int | None
    caller_note: str | None
    person_id: int | None
    anonymous: bool = False
    name: str | None
    furigana: str | None
    sex: str | None
    born_on: date | None
    age: int | None
    phone: str | None
    address: str | None
    ward: str | None
    town: str | None
    chief_complaint: str | None
    content: str | None
    tags: list[str]
    household: list[HouseholdMemberOut]
    info_given: str | None
    outcome: str | None
    primary_staff_id: int | None
    team: str | None
    linked_at: Instant | None
    created_at: Instant
    updated_at: Instant


class LinkIn(_In):
    """Link a consultation to an existing person (``person_id``) or a new one (``new_person``)."""

    person_id: int | None = None
    new_person: PersonIn | None = None


# --- progress notes (支援経過) -------------------------------------------------------------


class ProgressNoteIn(_In):
    """A contact of the 支援経過: kind, when (with zone), who, what, what next."""

    kind: NoteKind
    occurred_at: AwareDatetime
    staff_id: int | None = None
    involved: str | None = Field(default=None, max_length=1000)
    content: str = Field(min_length=1, max_length=20000)
    next_action: str | None = Field(default=None, max_length=2000)
    next_action_on: date | None = None


class ProgressNoteCorrection(ProgressNoteIn):
    """A corrected version of a note; the reason is kept with it."""

    correction_reason: str = Field(min_length=1, max_length=1000)


class ProgressNoteOut(BaseModel):
    """One version of a note (``current`` is False once corrected)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    series_id: int | None
    version: int
    current: bool
    kind: str
    occurred_at: Instant
    staff_id: int | None
    involved: str | None
    content: str | None
    next_action: str | None
    next_action_on: date | None
    correction_reason: str | None
    created_at: Instant
    created_by: str


class TimelineEntryOut(BaseModel):
    """One line of a person's timeline: a consultation, a note, or a referral status change."""

    at: Instant
    kind: str
    label: str
    summary: str | None = None
    ref_type: str
    ref_id: int


# --- agencies (支援関係機関) ----------------------------------------------------------------


class AgencyIn(_In):
    """A 支援関係機関; ``towns`` (あんしんケアセンター districts) or ``wards`` it serves."""

    code: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_\-]+$")
    kind: str
    name: str = Field(min_length=1, max_length=200)
    wards: list[str] = Field(default_factory=list)
    towns: list[str] = Field(default_factory=list)
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)
    address: str | None = Field(default=None, max_length=300)
    hours: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    active: bool = True

    @field_validator("kind")
    @classmethod
    def _kind_known(cls, value: str) -> str:
        if value not in AGENCY_KINDS:
            raise ValueError(f"kind must be one of {', '.join(AGENCY_KINDS)}")
        return value

    @field_validator("wards")
    @classmethod
    def _wards_known(cls, values: list[str]) -> list[str]:
        bad = [v for v in values if v not in WARDS]
        if bad:
            raise ValueError(f"unknown ward(s): {', '.join(bad)}")
        return values


class AgencyOut(BaseModel):
    """A stored 支援関係機関."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    code: str
    kind: str
    kind_label: str = ""
    name: str
    wards: list[str]
    towns: list[str]
    phone: str | None
    email: str | None
    address: str | None
    hours: str | None
    note: str | None
    active: bool


class AgencyFitOut(BaseModel):
    """An agency that fits a person, with the reason in Japanese."""

    agency: AgencyOut
    reason: str


# --- referrals (つなぎ) ---------------------------------------------------------------------


class ReferralIn(_In):
    """A referral to an agency from a consultation and/or for a person."""

    agency_id: int
    person_id: int | None = None
    consultation_id: int | None = None
    request: str | None = Field(default=None, max_length=4000)
    consent_basis: ConsentBasis
    requested_on: date | None = None
    reply_due_on: date | None = None


class ReferralTransitionIn(_In):
    """Move a referral: to which status, on which day, why (a reason code for 不成立)."""

    to: ReferralStatus
    on: date | None = None
    reason_code: FailureReason | None = None
    note: str | None = Field(default=None, max_length=2000)


class ReferralEventOut(BaseModel):
    """One status change of a referral."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    from_status: str | None
    to_status: str
    happened_on: date
    reason_code: str | None
    note: str | None
    at: Instant
    actor: str


class ReferralOut(BaseModel):
    """A referral with its status history and whether the reply is overdue."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int | None
    consultation_id: int | None
    agency_id: int
    request: str | None
    consent_basis: str
    status: str
    status_label: str = ""
    reason_code: str | None
    requested_on: date
    reply_due_on: date | None
    accepted_on: date | None
    closed_on: date | None
    overdue: bool = False
    events: list[ReferralEventOut]
    created_at: Instant


# --- 重層的支援会議 ------------------------------------------------------------------------


class MultiAgencyMeetingIn(_In):
    """A case discussed at a 重層的支援会議: attendees, 役割分担, decisions, the plan decided."""

    held_on: date
    plan_id: int | None = None
    attendees: str | None = Field(default=None, max_length=2000)
    role_sharing: str | None = Field(default=None, max_length=4000)
    decisions: str | None = Field(default=None, max_length=4000)


class MeetingCaseIn(_In):
    """One case a 重層的支援会議 covers: the person, the plan decided there, its decisions."""

    person_id: int
    plan_id: int | None = None
    decisions: str | None = Field(default=None, max_length=4000)


class JointMeetingIn(_In):
    """A 重層的支援会議 covering several cases: attendees, 役割分担, overall decisions."""

    held_on: date
    attendees: str | None = Field(default=None, max_length=2000)
    role_sharing: str | None = Field(default=None, max_length=4000)
    decisions: str | None = Field(default=None, max_length=4000)
    cases: list[MeetingCaseIn] = Field(min_length=1, max_length=50)

    @model_validator(mode="after")
    def _each_person_once(self) -> JointMeetingIn:
        people = [c.person_id for c in self.cases]
        if len(set(people)) != len(people):
            raise ValueError("each person is covered once per meeting")
        return self


class MeetingCaseOut(BaseModel):
    """A case covered by a stored 重層的支援会議 record."""

    model_config = ConfigDict(from_attributes=True)

    person_id: int
    plan_id: int | None
    decisions: str | None


class MultiAgencyMeetingOut(BaseModel):
    """A stored 重層的支援会議 record and every case it covers."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    person_id: int
    plan_id: int | None
    held_on: date
    attendees: str | None
    role_sharing: str | None
    decisions: str | None
    created_at: Instant
    cases: list[MeetingCaseOut] = Field(default_factory=list)


# --- 相談受付・申込票 (様式第1号) ---------------------------------------------------------


class IntakeFormIn(_In):
    """Who filled each part (self / proxy / interview) and the items the person declined."""

    filled_by: dict[str, Literal["self", "proxy", "interview"]] = Field(default_factory=dict)
    declined_items: list[str] = Field(default_factory=list, max_length=50)
    filled_on: date | None = None
    new_person: PersonIn | None = None

    @field_validator("filled_by")
    @classmethod
    def _parts_known(cls, value: dict[str, str]) -> dict[str, str]:
        from consultation.reference import intake_form_layout

        known = {p.code for p in intake_form_layout()[1]}
        bad = sorted(set(value) - known)
        if bad:
            raise ValueError(
                f"unknown part(s): {', '.join(bad)}; known: {', '.join(sorted(known))}"
            )
        return value

    @field_validator("declined_items")
    @classmethod
    def _items_known(cls, value: list[str]) -> list[str]:
        from consultation.reference import intake_form_layout

        known = {i.code for p in intake_form_layout()[1] for i in p.items}
        bad = sorted(set(value) - known)
        if bad:
            raise ValueError(f"unknown item(s): {', '.join(bad)}")
        return list(dict.fromkeys(value))


class IntakeItemOut(BaseModel):
    """One item of the form: its answer, or that the person chose not to answer."""

    code: str
    label: str
    value: str | None
    declined: bool


class IntakePartOut(BaseModel):
    """One part of the form and who filled it."""

    code: str
    label: str
    filled_by: str | None
    filled_by_label: str | None
    items: list[IntakeItemOut]


class IntakeFormOut(BaseModel):
    """様式第1号 of a person, filled from the intake record."""

    person_id: int
    consultation_id: int | None
    reception_number: str | None
    filled_on: date
    parts: list[IntakePartOut]
