"""Placements (マッチング), their transitions and the retention support log (定着支援).

proposed → contacted → visit (見学) → trial (体験) → placed (定着支援中) → ended, or declined
/ no_capacity / withdrawn with a reason code. Moving to ``placed`` takes a capacity slot
atomically: when none is left the answer is 409 ``no_capacity``.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import IdPath, PlacementCreate, RetentionContactCreate, TransitionBody
from api.schemas.common import error_responses
from casework.schemas import PlacementDetailOut, PlacementOut, RetentionContactOut
from casework.services import placements

router = APIRouter(prefix="/api/v1", tags=["placements"])

NOT_FOUND = error_responses(401, 403, 404, 422)
CONFLICT = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/placements",
    status_code=status.HTTP_201_CREATED,
    response_model=PlacementOut,
    responses=CONFLICT,
    summary="Propose a resource for a person",
    **guard("person:write"),
)
def propose_placement(
    body: PlacementCreate, session: SessionDep, who: CurrentPrincipal
) -> PlacementOut:
    """409 ``support_not_started`` until a plan is decided or started early, and
    ``case_closed`` once the case is closed (終結): reopen it first. 422 ``invalid_date`` when
    ``occurred_on`` is in the future."""
    placement = placements.propose_placement(
        session,
        who,
        body.person_id,
        body.to_domain(),
    )
    return PlacementOut.model_validate(placement)


@router.get(
    "/placements/{placement_id}",
    response_model=PlacementDetailOut,
    responses=NOT_FOUND,
    summary="A placement with its transitions",
    **guard("person:read"),
)
def get_placement(
    placement_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> PlacementDetailOut:
    """Every transition with who made it and which steps were skipped."""
    return PlacementDetailOut.model_validate(placements.get_placement(session, who, placement_id))


@router.get(
    "/people/{person_id}/placements",
    response_model=list[PlacementDetailOut],
    responses=NOT_FOUND,
    summary="A person's placements",
    **guard("person:read"),
)
def list_placements(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[PlacementDetailOut]:
    """Oldest first, with transitions."""
    rows = placements.list_placements(session, who, person_id)
    return [PlacementDetailOut.model_validate(p) for p in rows]


@router.post(
    "/placements/{placement_id}/transitions",
    response_model=PlacementOut,
    responses=CONFLICT,
    summary="Move a placement to another state (placed takes a slot)",
    **guard("person:write"),
)
def transition_placement(
    placement_id: IdPath, body: TransitionBody, session: SessionDep, who: CurrentPrincipal
) -> PlacementOut:
    """409 ``no_capacity`` when the last slot is gone, ``invalid_transition`` for a bad move,
    ``concurrent_update`` when ``expected_version`` is stale, ``consent_required`` when moving
    to ``contacted`` or later without a consent to share with that receiver. 422
    ``invalid_date`` when ``occurred_on`` is in the future or before the previous step."""
    return PlacementOut.model_validate(
        placements.transition_placement(session, who, placement_id, body.to_domain())
    )


@router.post(
    "/placements/{placement_id}/retention-contacts",
    status_code=status.HTTP_201_CREATED,
    response_model=RetentionContactOut,
    responses=CONFLICT,
    summary="Log a retention-support contact (定着支援)",
    **guard("person:write"),
)
def add_retention_contact(
    placement_id: IdPath,
    body: RetentionContactCreate,
    session: SessionDep,
    who: CurrentPrincipal,
) -> RetentionContactOut:
    """A dated contact with the person or the receiver (trial, placed or ended); 422
    ``invalid_date`` when ``contacted_on`` is in the future."""
    contact = placements.add_retention_contact(session, who, placement_id, body)
    return RetentionContactOut.model_validate(contact)


@router.get(
    "/placements/{placement_id}/retention-contacts",
    response_model=list[RetentionContactOut],
    responses=NOT_FOUND,
    summary="The retention-support log of a placement",
    **guard("person:read"),
)
def list_retention_contacts(
    placement_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[RetentionContactOut]:
    """Oldest first."""
    rows = placements.list_retention_contacts(session, who, placement_id)
    return [RetentionContactOut.model_validate(r) for r in rows]
