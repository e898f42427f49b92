"""Response shapes of the receiver pipeline and the receiver's own side."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


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
