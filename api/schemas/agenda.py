"""The day's agenda as JSON (``GET /api/v1/agenda``).

Kinds and sections are the service's own literals, so a kind added there is in the schema too.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from casework.services.agenda import AgendaKind, AgendaSection


class AgendaItemOut(BaseModel):
    """One line: what (kind, Japanese title), for whom, by when, and the page to act on."""

    model_config = ConfigDict(from_attributes=True)

    kind: AgendaKind
    section: AgendaSection
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
