"""Shapes of 資源開拓 and the receiver's own side: inputs (validated at the edge) and what
the API answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from resources_catalog.records import Weekday

Stage = Literal["candidate", "contacted", "negotiating", "agreed", "registered", "declined"]
ProspectSource = Literal["own_contact", "city_facility", "wam", "kaigo", "unmet_needs"]
SupportKind = Literal["visit", "advice", "preparation", "problem", "other"]
NoNul = r"^[^\x00]*$"
HHMM = r"^([01]\d|2[0-3]):[0-5]\d$"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProspectIn(_In):
    """A prospective receiver: who, where, from which source, and for which theme."""

    name: str = Field(min_length=1, max_length=200, pattern=NoNul)
    source: ProspectSource = "own_contact"
    source_ref: str | None = Field(default=None, max_length=64, pattern=NoNul)
    theme: str | None = Field(
        default=None, max_length=64, pattern=NoNul, description="unmet-needs theme"
    )
    ward: str | None = Field(default=None, max_length=10, pattern=NoNul)
    address: str | None = Field(default=None, max_length=300, pattern=NoNul)
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    contact_name: str | None = Field(default=None, max_length=100, pattern=NoNul)
    phone: str | None = Field(default=None, max_length=50, pattern=NoNul)
    email: str | None = Field(default=None, max_length=254, pattern=NoNul)


class AgreedConditions(_In):
    """What was agreed (「本来業務に支障のない範囲」で、何を・誰に・いつ・何人まで)."""

    within_core_business: bool = Field(True, description="受け入れは本来業務に支障のない範囲で行う")
    offer: str = Field(min_length=1, max_length=500, pattern=NoNul, description="提供できる活動")
    for_whom: str | None = Field(default=None, max_length=300, pattern=NoNul)
    place: str | None = Field(
        default=None, max_length=300, pattern=NoNul, description="活動の場所（住所）"
    )
    days: list[Weekday] = Field(default_factory=list)
    start_time: str | None = Field(default=None, pattern=HHMM)
    end_time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-4]):[0-5]\d$")
    capacity: int = Field(default=1, ge=0, le=1000)
    cooperation_fee_yen: int = Field(default=0, ge=0, le=10_000_000)


class ProspectContactIn(_In):
    """The prospect's contact details as a coordinator edits them (None clears a field)."""

    contact_name: str | None = Field(default=None, max_length=100, pattern=NoNul)
    phone: str | None = Field(default=None, max_length=50, pattern=NoNul)
    email: str | None = Field(default=None, max_length=254, pattern=NoNul)
    address: str | None = Field(default=None, max_length=300, pattern=NoNul)


class MoveIn(_In):
    """A stage change, with a note (a reason is required for 見送り)."""

    to: Stage
    note: str | None = Field(default=None, max_length=2000, pattern=NoNul)


class ProspectNoteIn(_In):
    """A contact made or a note taken about a prospect."""

    kind: Literal["contact", "note"] = "note"
    note: str = Field(min_length=1, max_length=2000, pattern=NoNul)


class RegisterIn(_In):
    """Catalog fields decided on registration; the rest comes from the prospect and conditions."""

    resource_id: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    categories: list[str] = Field(default_factory=list)
    description: str | None = Field(default=None, max_length=2000, pattern=NoNul)


class SupportIn(_In):
    """Support given to a receiver (訪問・助言・受け入れ準備・課題の相談)."""

    supported_on: date
    kind: SupportKind
    note: str | None = Field(default=None, max_length=2000, pattern=NoNul)


class ReferralAnswerIn(_In):
    """A receiver accepts or declines a referral; a decline needs a reason."""

    decision: Literal["accepted", "declined"]
    reason: str | None = Field(default=None, max_length=1000, pattern=NoNul)


class AttendanceIn(_In):
    """Dates the person attended (JST dates), confirmed by the receiver."""

    dates: list[date] = Field(min_length=1, max_length=62)


class ListingUpdateIn(_In):
    """What a receiver may change in its own listing: free places, days and hours."""

    capacity_remaining: int | None = Field(default=None, ge=0, le=100_000)
    days: list[Weekday] | None = None
    start_time: str | None = Field(default=None, pattern=HHMM)
    end_time: str | None = Field(default=None, pattern=r"^([01]\d|2[0-4]):[0-5]\d$")


# --- what the pipeline and the receiver's side answer ----------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ProspectOut(_Out):
    """A prospective receiver and where it stands (stage_label in Japanese)."""

    id: int
    name: str
    source: str
    source_ref: str | None
    theme: str | None
    ward: str | None
    address: str | None
    lat: float | None
    lon: float | None
    contact_name: str | None
    phone: str | None
    email: str | None
    stage: str
    stage_label: str = ""
    conditions: dict[str, Any]
    decline_reason: str | None
    resource_id: str | None
    created_at: datetime
    updated_at: datetime


class ProspectEventOut(_Out):
    """One step in a prospect's history."""

    id: int
    kind: str
    from_stage: str | None
    to_stage: str | None
    note: str | None
    at: datetime
    actor: str


class ProspectDetailOut(ProspectOut):
    """A prospect with its history."""

    events: list[ProspectEventOut]


class SupportOut(_Out):
    """One entry of a receiver's support log."""

    id: int
    receiver_ref: str
    supported_on: date
    kind: str
    note: str | None
    created_at: datetime
    created_by: str


class ReferralOut(_Out):
    """A referral as the receiver sees it (summary: only what the person consented to)."""

    placement_id: int
    resource_id: str
    resource_name: str
    state: str
    referred_at: datetime
    anonymised: bool
    summary: dict[str, Any]
    decision: str | None
    reason: str | None
    responded_at: datetime | None
    attendance: list[date]


class ReceiverStatsOut(_Out):
    """Answers per receiver organisation."""

    organization_id: str
    answered: int
    accepted: int
    acceptance_rate: float | None
    median_response_hours: float | None


class ReferralResponseOut(_Out):
    """A receiver's answer, for the coordinator."""

    placement_id: int
    organization_id: str
    decision: str
    reason: str | None
    referred_at: datetime
    responded_at: datetime
    responder: str


class ReceiverLinkIn(BaseModel):
    """Tie a receiver account to its organisation."""

    model_config = ConfigDict(extra="forbid")

    principal_ref: str = Field(
        min_length=3,
        max_length=64,
        # ids are 32-bit integers in the database: at most nine digits
        pattern=r"^(user|api_client):[1-9]\d{0,8}$",
        examples=["user:12"],
    )
    organization_id: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")


class ReceiverLinkOut(_Out):
    """The link made."""

    principal_ref: str
    organization_id: str


class AttendanceOut(BaseModel):
    """Every attendance date now confirmed for the placement."""

    placement_id: int
    dates: list[date]


class RecheckOut(_Out):
    """A catalog entry due for a re-check."""

    resource_id: str
    name: str
    organization: str
    assured_date: date | None
    assurer: str | None


class ProspectImportOut(BaseModel):
    """What an import of public data did."""

    rows: int
    created: int
    already_listed: int
    errors: list[str]
