"""``GET /api/v1/agenda``: the day's agenda, the same lines as the dashboard page."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.agenda import AgendaOut
from api.schemas.common import error_responses
from casework.services import agenda as agenda_service

router = APIRouter(prefix="/api/v1", tags=["closure"])


@router.get(
    "/agenda",
    response_model=AgendaOut,
    responses=error_responses(401, 403, 422),
    summary="The day's agenda: overdue, today, the week ahead, queues (今日の予定)",
    **guard("person:read"),
)
def get_agenda(
    session: SessionDep,
    who: CurrentPrincipal,
    on: Annotated[date | None, Query(description="the day (default: today in Japan)")] = None,
    waiting_days: Annotated[int, Query(ge=1, le=365)] = 14,
    no_contact_days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> AgendaOut:
    """Lines by section; supervisors also get plans awaiting decision and quiet cases."""
    result = agenda_service.agenda(
        session, who, today=on, waiting_days=waiting_days, no_contact_days=no_contact_days
    )
    return AgendaOut.model_validate(result)
