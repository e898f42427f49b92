"""評価シート (様式第3号): the entry form and the print view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import compact, domain_message, labelled, many, text, validate, values
from api.web.helpers import see_other, today
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.checklists import NO_CHANGE_LABEL, OTHER_LABEL, items_in
from casework.errors import CaseworkError
from casework.permissions import Principal
from casework.schemas import EvaluationIn
from casework.services import audit, evaluations, people, plans

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: int,
    form: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    person = people.get_person(session, principal, person_id)
    rounds = evaluations.list_evaluations(session, principal, person_id)
    return render(
        request,
        "web/evaluation_form.html",
        {
            "title": "評価シートの記入",
            "person": person,
            "round": len(rounds) + 1,
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


@router.get("/people/{person_id}/evaluations/new")
def evaluation_new(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """The empty sheet (next round)."""
    require(principal, "person:write")
    form = {"evaluated_on": today().isoformat(), "changes": []}
    with audit.page_view(session, principal, "evaluation_form", "person", person_id):
        return _page(request, session, principal, person_id, form, {})


@router.post("/people/{person_id}/evaluations/new", dependencies=[Depends(verify_csrf)])
def evaluation_create(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Store the sheet; on errors the ticks and texts stay as typed."""
    require(principal, "person:write")
    plan_id = text(form, "plan_id")
    raw = {
        "plan_id": plan_id,
        "evaluated_on": text(form, "evaluated_on"),
        "goal_attainment": text(form, "goal_attainment"),
        "changes": many(form, "changes"),
        "other_change": text(form, "other_change"),
        "no_change": form.get("no_change") is not None,
        "current_situation": text(form, "current_situation"),
        "wish": text(form, "wish"),
        "staff_opinion": text(form, "staff_opinion"),
    }
    data, errors = validate(EvaluationIn, compact(raw))
    if data is not None:
        try:
            sheet = evaluations.create_evaluation(session, principal, person_id, data)
        except CaseworkError as exc:
            session.rollback()
            errors = {"_form": domain_message(exc)}
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
        {"title": f"評価シート 第{sheet.round}回", "sheet": sheet},
    )
