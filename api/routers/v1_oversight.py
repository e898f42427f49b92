"""What needs attention, the audit log, outcome rows, counts, and API clients / staff accounts.

``GET /api/v1/due`` is the coordinators' to-do list; the audit routes are for auditors (and
write their own audit rows); outcome rows feed the ranker's learned score; account routes
are for administrators. Every route calls one service function.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import (
    ApiClientCreate,
    ApiClientCreatedOut,
    AuditRowOut,
    CaseCountsOut,
    ChainReportOut,
    DueItemOut,
    IdPath,
    OutcomeRowOut,
    UserCreate,
    UserOut,
)
from api.schemas.common import error_responses
from casework.errors import InvalidInput
from casework.permissions import ROLE_PERMISSIONS
from casework.schemas import ApiClientIn
from casework.services import accounts, audit, followup, outcomes, people

router = APIRouter(prefix="/api/v1")

AUTH = error_responses(401, 403, 422)
NoNulText = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]


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
    "/audit",
    response_model=list[AuditRowOut],
    responses=AUTH,
    summary="Read the audit log (auditors)",
    tags=["audit"],
    **guard("audit:read"),
)
def read_audit_log(
    session: SessionDep,
    who: CurrentPrincipal,
    entity_type: Annotated[NoNulText, Query(description="e.g. person")] = None,
    entity_id: Annotated[NoNulText, Query(description="e.g. 12")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[AuditRowOut]:
    """Newest first; rows carry ids and codes, never personal data."""
    rows = audit.read_audit_log(
        session, who, entity_type=entity_type, entity_id=entity_id, limit=limit
    )
    return [AuditRowOut.model_validate(r) for r in rows]


@router.post(
    "/audit/verify",
    response_model=ChainReportOut,
    responses=AUTH,
    summary="Verify the audit log's hash chain",
    tags=["audit"],
    **guard("audit:read"),
)
def verify_audit_chain(session: SessionDep, who: CurrentPrincipal) -> ChainReportOut:
    """Recomputes every hash; ``ok`` false names the first row that does not match."""
    return ChainReportOut.model_validate(audit.verify_audit_chain(session, who))


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


@router.post(
    "/api-clients",
    status_code=status.HTTP_201_CREATED,
    response_model=ApiClientCreatedOut,
    responses=AUTH,
    summary="Create an API client (the key is shown once)",
    tags=["accounts"],
    **guard("apikey:admin"),
)
def create_api_client(
    body: ApiClientCreate, session: SessionDep, who: CurrentPrincipal
) -> ApiClientCreatedOut:
    """Scopes are a role's permissions or an explicit list; only the key's hash is stored."""
    if (body.role is None) == (body.scopes is None):
        raise InvalidInput("give either role or scopes")
    scopes = sorted(ROLE_PERMISSIONS[body.role]) if body.role else list(body.scopes or [])
    client, token = accounts.create_api_client(
        session, who, ApiClientIn(name=body.name, scopes=scopes)
    )
    return ApiClientCreatedOut(id=client.id, name=client.name, scopes=client.scopes, api_key=token)


@router.post(
    "/api-clients/{client_id}/revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(401, 403, 404, 422),
    summary="Revoke an API client's key",
    tags=["accounts"],
    **guard("apikey:admin"),
)
def revoke_api_client(client_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> None:
    """The key stops working at once."""
    accounts.revoke_api_client(session, who, client_id)


@router.post(
    "/users",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    responses=AUTH,
    summary="Create a staff account",
    tags=["accounts"],
    **guard("user:admin"),
)
def create_user(body: UserCreate, session: SessionDep, who: CurrentPrincipal) -> UserOut:
    """The password is stored as an argon2 hash."""
    user = accounts.create_user(session, who, body)
    return UserOut.model_validate(user)
