"""評価シート (様式第3号): the entry form and the print view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import compact, labelled, many, text, validate, values
from api.web.helpers import see_other, today
from api.web.routing import WebRoute, form_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.checklists import NO_CHANGE_LABEL, OTHER_LABEL, items_in
from casework.errors import CaseworkError
from casework.permissions import Principal
from casework.schemas import EvaluationIn
from casework.services import accounts, audit, evaluations, people, plans

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    *,
    editing: evaluations.EvaluationForm | None = None,
) -> Response:
    person = people.get_person(session, principal, person_id)
    if editing is None:
        round_no = len(evaluations.list_evaluations(session, principal, person_id)) + 1
        history: list[evaluations.EvaluationCorrection] = []
    else:
        round_no = editing.round
        history = evaluations.evaluation_history(session, principal, editing.evaluation_id)
    return render(
        request,
        "web/evaluation_form.html",
        {
            "title": "評価シートの訂正" if editing else "評価シートの記入",
            "person": person,
            "round": round_no,
            "editing": editing,
            "history": history,
            "staff": accounts.staff_choices(session, principal),
            "plans": plans.list_plans(session, principal, person_id),
            "life": items_in("life"),
            "social": items_in("social"),
            "other_label": OTHER_LABEL,
            "no_change_label": NO_CHANGE_LABEL,
            "form": form,
            "errors": errors,
            "labelled": labelled(errors),
        },
        status_code=status,
    )


def _raw(form: Any) -> dict[str, Any]:
    """The sheet's fields as typed (the entry and the correction forms are the same form)."""
    return {
        "plan_id": text(form, "plan_id"),
        "evaluator_id": text(form, "evaluator_id"),
        "evaluated_on": text(form, "evaluated_on"),
        "goal_attainment": text(form, "goal_attainment"),
        "changes": many(form, "changes"),
        "other_change": text(form, "other_change"),
        "no_change": form.get("no_change") is not None,
        "current_situation": text(form, "current_situation"),
        "wish": text(form, "wish"),
        "staff_opinion": text(form, "staff_opinion"),
    }


@router.get("/people/{person_id}/evaluations/new")
def evaluation_new(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """The empty sheet (next round)."""
    require(principal, "person:write")
    form: dict[str, Any] = {
        "evaluated_on": today().isoformat(),
        "changes": [],
        "evaluator_id": principal.user_id,
    }
    with audit.page_view(session, principal, "evaluation_form", "person", person_id):
        return _page(request, session, principal, person_id, form, {})


@router.post("/people/{person_id}/evaluations/new", dependencies=[Depends(verify_csrf)])
def evaluation_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Store the sheet; on errors the ticks and texts stay as typed."""
    require(principal, "person:write")
    data, errors = validate(EvaluationIn, compact(_raw(form)))
    if data is not None:
        try:
            sheet = evaluations.create_evaluation(session, principal, person_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            flash(request, f"評価シート第{sheet.round}回を記録しました。")
            return see_other(f"/evaluations/{sheet.id}/print")
    typed = values(form)
    typed["changes"] = many(form, "changes")
    return _page(request, session, principal, person_id, typed, errors, 422)


@router.get("/evaluations/{evaluation_id}/print")
def evaluation_print(
    request: Request, session: SessionDep, principal: PrincipalDep, evaluation_id: int
) -> Response:
    """様式第3号 laid out like the city's form, for A4 printing."""
    require(principal, "person:read")
    sheet = evaluations.evaluation_form(session, principal, evaluation_id)
    return render(
        request,
        "web/evaluation_print.html",
        {
            "title": f"評価シート 第{sheet.round}回",
            "sheet": sheet,
            "back_url": f"/people/{sheet.person_id}",
            "history": evaluations.evaluation_history(session, principal, evaluation_id),
        },
    )


@router.get("/evaluations/{evaluation_id}/edit")
def evaluation_edit(
    request: Request, session: SessionDep, principal: PrincipalDep, evaluation_id: int
) -> Response:
    """The correction form, prefilled with the sheet as it reads now, and its history."""
    require(principal, "person:write")
    sheet = evaluations.evaluation_form(session, principal, evaluation_id)
    form = {
        "plan_id": sheet.plan_id,
        "evaluator_id": sheet.evaluator_id,
        "evaluated_on": sheet.evaluated_on,
        "goal_attainment": sheet.goal_attainment,
        "changes": sheet.changes,
        "other_change": sheet.other_change,
        "no_change": sheet.no_change,
        "current_situation": sheet.current_situation,
        "wish": sheet.wish,
        "staff_opinion": sheet.staff_opinion,
    }
    return _page(request, session, principal, sheet.person_id, form, {}, editing=sheet)


@router.post("/evaluations/{evaluation_id}/edit", dependencies=[Depends(verify_csrf)])
def evaluation_correct(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    evaluation_id: int,
) -> Response:
    """Store the correction (the old values go to the history); errors keep what was typed."""
    require(principal, "person:write")
    sheet = evaluations.evaluation_form(session, principal, evaluation_id)
    data, errors = validate(EvaluationIn, compact(_raw(form)))
    if data is not None:
        try:
            evaluations.correct_evaluation(session, principal, evaluation_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            note = "訂正前の内容は履歴に残ります"
            flash(request, f"評価シート第{sheet.round}回を訂正しました（{note}）。")
            return see_other(f"/evaluations/{evaluation_id}/print")
    typed = values(form)
    typed["changes"] = many(form, "changes")
    return _page(request, session, principal, sheet.person_id, typed, errors, 422, editing=sheet)
