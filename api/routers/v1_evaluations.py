"""Evaluation sheets (評価シート 様式第3号): written after a period of support, corrected
with their history kept. Routes parse, call one service function and shape the answer.
"""

from __future__ import annotations

from fastapi import APIRouter, status

from api.deps import CurrentPrincipal, SessionDep, guard
from api.schemas.casework import EvaluationCreate, IdPath
from api.schemas.common import error_responses
from casework.schemas import EvaluationCorrectionOut, EvaluationFormOut, EvaluationOut
from casework.services import evaluations

router = APIRouter(prefix="/api/v1", tags=["evaluations"])

NOT_FOUND = error_responses(401, 403, 404, 422)


@router.post(
    "/people/{person_id}/evaluations",
    status_code=status.HTTP_201_CREATED,
    response_model=EvaluationOut,
    responses=NOT_FOUND,
    summary="Record an evaluation sheet (評価シート)",
    tags=["evaluations"],
    **guard("person:write"),
)
def create_evaluation(
    person_id: IdPath, body: EvaluationCreate, session: SessionDep, who: CurrentPrincipal
) -> EvaluationOut:
    """The next evaluation round (評価n回目)."""
    sheet = evaluations.create_evaluation(session, who, person_id, body)
    return EvaluationOut.model_validate(sheet)


@router.get(
    "/people/{person_id}/evaluations",
    response_model=list[EvaluationOut],
    responses=NOT_FOUND,
    summary="A person's evaluation sheets",
    tags=["evaluations"],
    **guard("person:read"),
)
def list_evaluations(
    person_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[EvaluationOut]:
    """Oldest first."""
    rows = evaluations.list_evaluations(session, who, person_id)
    return [EvaluationOut.model_validate(e) for e in rows]


@router.get(
    "/evaluations/{evaluation_id}",
    response_model=EvaluationFormOut,
    responses=NOT_FOUND,
    summary="The sheet as 様式第3号 with every checklist line",
    tags=["evaluations"],
    **guard("person:read"),
)
def evaluation_form(
    evaluation_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> EvaluationFormOut:
    """生活面 and 社会面 checklists with the ticked items, wish and staff opinion."""
    return EvaluationFormOut.model_validate(
        evaluations.evaluation_form(session, who, evaluation_id)
    )


@router.put(
    "/evaluations/{evaluation_id}",
    response_model=EvaluationOut,
    responses=NOT_FOUND,
    summary="Correct an evaluation sheet (訂正; the old values stay in its history)",
    tags=["evaluations"],
    **guard("person:write"),
)
def correct_evaluation(
    evaluation_id: IdPath, body: EvaluationCreate, session: SessionDep, who: CurrentPrincipal
) -> EvaluationOut:
    """Every field as it should now read; an empty ``evaluator_id`` keeps the evaluator."""
    sheet = evaluations.correct_evaluation(session, who, evaluation_id, body)
    return EvaluationOut.model_validate(sheet)


@router.get(
    "/evaluations/{evaluation_id}/history",
    response_model=list[EvaluationCorrectionOut],
    responses=NOT_FOUND,
    summary="The corrections of an evaluation sheet (old and new values, who, when)",
    tags=["evaluations"],
    **guard("person:read"),
)
def evaluation_history(
    evaluation_id: IdPath, session: SessionDep, who: CurrentPrincipal
) -> list[EvaluationCorrectionOut]:
    """Oldest first."""
    rows = evaluations.evaluation_history(session, who, evaluation_id)
    return [EvaluationCorrectionOut.model_validate(r) for r in rows]
