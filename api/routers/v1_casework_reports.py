"""Casework lists and figures: what falls due, outcome rows, counts.

``GET /api/v1/due`` is the coordinators' to-do list; outcome rows feed the ranker's learned
score; counts are the anonymised figures for reports. Every route calls one service function.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.common import error_responses
from casework.schemas import CaseCountsOut, DueItemOut, OutcomeRowOut
from casework.services import followup, outcomes, people

router = APIRouter(prefix="/api/v1")

AUTH = error_responses(401, 403, 422)


@router.get(
    "/due",
    response_model=list[DueItemOut],
    responses=AUTH,
    summary="Due list: monitoring, follow-ups, placements without contact",
    tags=["closure"],
    **guard("person:read"),
)
def due_list(
    session: SessionDep,
    who: CurrentPrincipal,
    no_contact_days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> list[DueItemOut]:
    """Ordered by due date; coordinators see their own and their team's cases."""
    items = followup.due_list(session, who, no_contact_days=no_contact_days)
    return [DueItemOut.model_validate(i) for i in items]


@router.get(
    "/outcomes",
    response_model=list[OutcomeRowOut],
    responses=AUTH,
    summary="Placement outcomes as training rows for the ranker",
    tags=["matching"],
    **guard("outcome:export"),
)
def outcome_rows(
    session: SessionDep,
    who: CurrentPrincipal,
    stable_weeks: Annotated[int, Query(ge=1, le=520)] = 12,
) -> list[OutcomeRowOut]:
    """Placed and stable after N weeks, ended early, declined and why (no free text)."""
    rows = outcomes.outcome_rows(session, who, stable_weeks=stable_weeks)
    return [OutcomeRowOut.model_validate(r) for r in rows]


@router.get(
    "/reports/counts",
    response_model=CaseCountsOut,
    responses=AUTH,
    summary="Anonymised counts (people per fiscal year and status, placements per state)",
    tags=["reports"],
    **guard("report:read"),
)
def case_counts(session: SessionDep, who: CurrentPrincipal) -> CaseCountsOut:
    """Survive erasure on request: no personal data."""
    counts = people.case_counts(session, who)
    return CaseCountsOut(
        people_by_fiscal_year=counts.people_by_fiscal_year,
        people_by_status=counts.people_by_status,
        deleted_people=counts.deleted_people,
        placements_by_state=counts.placements_by_state,
    )
