"""Plans (参加支援事業のプラン 様式第2号); evaluation sheets are in ``v1_evaluations``.

Plan status: draft → submitted (to the 重層的支援会議) → decided | returned; support may
start early with a reason. Routes parse, call one service function and shape the answer.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import DecideIn, IdPath, PlanBody, ReasonIn, StartEarlyIn
from api.schemas.common import error_responses
from casework.schemas import PlanForm, PlanOut
from casework.services import plans

router = APIRouter(prefix="/api/v1", tags=["plans"])

NOT_FOUND = error_responses(401, 403, 404, 422)
CONFLICT = error_responses(401, 403, 404, 409, 422)


@router.post(
    "/people/{person_id}/plans",
    status_code=status.HTTP_201_CREATED,
    response_model=PlanOut,
    responses=NOT_FOUND,
    summary="Start the next plan round (第n回; copies the previous round)",
    **guard("person:write"),
)
def create_plan(
    person_id: IdPath,
    session: SessionDep,
    who: CurrentPrincipal,
    body: PlanBody | None = None,
) -> PlanOut:
    """A draft round; fields sent override the copy of the previous round."""
    return PlanOut.model_validate(plans.create_plan(session, who, person_id, body))


@router.get(
    "/people/{person_id}/plans",
    response_model=list[PlanOut],
    responses=NOT_FOUND,
    summary="Every plan round of a person",
    **guard("person:read"),
)
def list_plans(person_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> list[PlanOut]:
    """Oldest round first, with action rows."""
    return [PlanOut.model_validate(p) for p in plans.list_plans(session, who, person_id)]


@router.get(
    "/plans/{plan_id}",
    response_model=PlanForm,
    responses=NOT_FOUND,
    summary="The plan as 様式第2号 (every field of the form)",
    **guard("person:read"),
)
def plan_form(plan_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> PlanForm:
    """Header from the intake record, the plan's fields and its status."""
    return plans.plan_form(session, who, plan_id)


@router.patch(
    "/plans/{plan_id}",
    response_model=PlanOut,
    responses=CONFLICT,
    summary="Edit a draft or returned plan",
    **guard("person:write"),
)
def update_plan(
    plan_id: IdPath, body: PlanBody, session: SessionDep, who: CurrentPrincipal
) -> PlanOut:
    """Fields sent are changed; ``actions`` replaces the whole table."""
    return PlanOut.model_validate(plans.update_plan(session, who, plan_id, body))


@router.post(
    "/plans/{plan_id}/submit",
    response_model=PlanOut,
    responses=CONFLICT,
    summary="Submit to the 重層的支援会議",
    **guard("person:write"),
)
def submit_plan(plan_id: IdPath, session: SessionDep, who: CurrentPrincipal) -> PlanOut:
    """draft or returned → submitted; needs 解決したい課題 and 目標."""
    return PlanOut.model_validate(plans.submit_plan(session, who, plan_id))


@router.post(
    "/plans/{plan_id}/decide",
    response_model=PlanOut,
    responses=CONFLICT,
    summary="Record the meeting's decision",
    **guard("plan:decide"),
)
def decide_plan(
    plan_id: IdPath, body: DecideIn, session: SessionDep, who: CurrentPrincipal
) -> PlanOut:
    """submitted → decided, with the date."""
    return PlanOut.model_validate(
        plans.decide_plan(session, who, plan_id, decided_on=body.decided_on)
    )


@router.post(
    "/plans/{plan_id}/return",
    response_model=PlanOut,
    responses=CONFLICT,
    summary="Return the plan for changes",
    **guard("plan:decide"),
)
def return_plan(
    plan_id: IdPath, body: ReasonIn, session: SessionDep, who: CurrentPrincipal
) -> PlanOut:
    """submitted → returned, with the reason."""
    return PlanOut.model_validate(plans.return_plan(session, who, plan_id, reason=body.reason))


@router.post(
    "/plans/{plan_id}/start-early",
    response_model=PlanOut,
    responses=CONFLICT,
    summary="Start support before the decision (決定前の支援開始)",
    **guard("person:write"),
)
def start_early(
    plan_id: IdPath, body: StartEarlyIn, session: SessionDep, who: CurrentPrincipal
) -> PlanOut:
    """Allowed once per plan before the decision, with a reason."""
    plan = plans.start_early(session, who, plan_id, started_on=body.started_on, reason=body.reason)
    return PlanOut.model_validate(plan)


# --- evaluations (様式第3号) ---------------------------------------------------------------
