"""The day's agenda as JSON (``GET /api/v1/agenda``)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class AgendaItemOut(BaseModel):
    """One line: what (kind, Japanese title), for whom, by when, and the page to act on."""

    model_config = ConfigDict(from_attributes=True)

    kind: Literal[
        "retention_next_action",
        "follow_up",
        "monitoring",
        "referral_reply",
        "waiting_on_receiver",
        "placement_no_contact",
        "plan_awaiting_decision",
        "no_contact",
        "plan_decided",
        "fee_approval",
    ]
    section: Literal["overdue", "today", "week", "queue", "recent"]
    title: str
    href: str = Field(description="the web page where the work is done")
    due_on: date | None
    days_overdue: int
    person_id: int | None
    person_name: str | None
    reception_number: str | None
    detail: str | None


class AgendaOut(BaseModel):
    """The agenda of the caller on ``today`` (JST), the week ahead ending on ``week_end``."""

    model_config = ConfigDict(from_attributes=True)

    today: date
    week_end: date
    waiting_days: int
    no_contact_days: int
    items: list[AgendaItemOut]
