"""プラン (様式第2号): rounds, editing, the 重層的支援会議 decision, and the print view."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import domain_message, labelled, text, validate, values
from api.web.helpers import parse_date, see_other, today
from api.web.routing import WebRoute, form_refusal, on_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError
from casework.permissions import Principal
from casework.schemas import PlanForm, PlanIn
from casework.services import accounts, people, plans

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
BACK = [*CSRF, on_refusal("/plans/{plan_id}")]
# Rows of 実施内容 offered on the form beyond those already filled in.
SPARE_ACTION_ROWS = 2
MIN_ACTION_ROWS = 4
ACTION_FIELDS = ("actor_kind", "actor_name", "content", "period", "frequency")


def _form_from_plan(form: PlanForm) -> dict[str, Any]:
    data: dict[str, Any] = {
        "created_on": form.created_on.isoformat(),
        "primary_staff_id": str(form.primary_staff_id) if form.primary_staff_id else "",
        "issues_text": form.issues_text or "",
        "goal_text": form.goal_text or "",
        "period_end_on": form.period_end_on.isoformat() if form.period_end_on else "",
        "next_monitoring_on": (
            form.next_monitoring_on.strftime("%Y-%m") if form.next_monitoring_on else ""
        ),
    }
    for i, action in enumerate(form.actions):
        for name in ACTION_FIELDS:
            data[f"actions.{i}.{name}"] = getattr(action, name) or ""
    return data


def _action_rows(form: dict[str, Any]) -> int:
    filled = {int(k.split(".")[1]) for k in form if k.startswith("actions.")}
    return max(MIN_ACTION_ROWS, (max(filled) + 1 if filled else 0) + SPARE_ACTION_ROWS)


def _plan_data(form: FormData) -> dict[str, Any]:
    actions = []
    i = 0
    while f"actions.{i}.actor_kind" in form:
        row = {name: text(form, f"actions.{i}.{name}") for name in ACTION_FIELDS}
        i += 1
        if not any(row[name] for name in ("actor_name", "content", "period", "frequency")):
            continue  # an empty row of the form is no action
        actions.append({k: v for k, v in row.items() if v is not None})
    month = text(form, "next_monitoring_on")
    # An empty choice leaves 主担当者 as it is (the person's lead, copied when the plan began).
    staff = (
        {"primary_staff_id": text(form, "primary_staff_id")}
        if text(form, "primary_staff_id")
        else {}
    )
    return {
        **staff,
        "created_on": text(form, "created_on"),
        "issues_text": text(form, "issues_text"),
        "goal_text": text(form, "goal_text"),
        "period_end_on": text(form, "period_end_on"),
        # <input type="month"> sends 2027-03; the plan stores the first of the month.
        "next_monitoring_on": f"{month}-01" if month and len(month) == 7 else month,
        "actions": actions,
    }


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    plan_id: int,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    plan = plans.plan_form(session, principal, plan_id)
    person = people.get_person(session, principal, plan.person_id)
    typed = form if form is not None else _form_from_plan(plan)
    errors = errors or {}
    return render(
        request,
        "web/plan.html",
        {
            "title": f"プラン 第{plan.round}回",
            "plan": plan,
            "person": person,
            "form": typed,
            "rows": _action_rows(typed),
            "errors": errors,
            "labelled": labelled(errors),
            "editable": plan.status in plans.EDITABLE,
            "staff": accounts.staff_choices(session, principal),
            "today": today(),
        },
        status_code=status,
    )


@router.post("/people/{person_id}/plans/new", dependencies=CSRF)
def plan_create(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """Start the next round (a copy of the previous one)."""
    require(principal, "person:write")
    plan = plans.create_plan(session, principal, person_id, today=today())
    flash(request, f"プラン第{plan.round}回を作成しました。")
    return see_other(f"/plans/{plan.id}")


@router.get("/plans/{plan_id}")
def plan_view(
    request: Request, session: SessionDep, principal: PrincipalDep, plan_id: int
) -> Response:
    """The plan with its entry form (editable while draft or returned) and status actions."""
    require(principal, "person:read")
    return _page(request, session, principal, plan_id)


@router.post("/plans/{plan_id}", dependencies=CSRF)
def plan_save(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, plan_id: int
) -> Response:
    """Save the form; errors come back beside the fields with what was typed.

    「保存して提出」 keeps the save when the submission is refused (a savepoint holds the
    submission alone), and says why it was not submitted.
    """
    require(principal, "person:write")
    data, errors = validate(PlanIn, _plan_data(form))
    if data is not None:
        try:
            plans.update_plan(session, principal, plan_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc)
        else:
            flash(request, "プランを保存しました。")
            if form.get("then") == "submit":
                try:
                    with session.begin_nested():
                        plans.submit_plan(session, principal, plan_id)
                except CaseworkError as exc:
                    flash(request, "提出はしていません: " + domain_message(exc), "error")
                else:
                    flash(request, "重層的支援会議に提出しました。")
            return see_other(f"/plans/{plan_id}")
    return _page(request, session, principal, plan_id, form=values(form), errors=errors, status=422)


@router.post("/plans/{plan_id}/submit", dependencies=BACK)
def plan_submit(
    request: Request, session: SessionDep, principal: PrincipalDep, plan_id: int
) -> Response:
    """Submit to the 重層的支援会議."""
    require(principal, "person:write")
    plans.submit_plan(session, principal, plan_id)
    flash(request, "重層的支援会議に提出しました。")
    return see_other(f"/plans/{plan_id}")


@router.post("/plans/{plan_id}/decide", dependencies=BACK)
def plan_decide(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, plan_id: int
) -> Response:
    """Record the meeting's decision (supervisors)."""
    require(principal, "plan:decide")
    day = parse_date(text(form, "decided_on")) or today()
    plans.decide_plan(session, principal, plan_id, decided_on=day)
    flash(request, f"{day.year}年{day.month}月{day.day}日の決定を記録しました。")
    return see_other(f"/plans/{plan_id}")


@router.post("/plans/{plan_id}/return", dependencies=BACK)
def plan_return(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, plan_id: int
) -> Response:
    """The meeting sends the plan back (supervisors), with the reason."""
    require(principal, "plan:decide")
    plans.return_plan(session, principal, plan_id, reason=text(form, "reason") or "")
    flash(request, "差し戻しを記録しました。")
    return see_other(f"/plans/{plan_id}")


@router.post("/plans/{plan_id}/early-start", dependencies=BACK)
def plan_early_start(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, plan_id: int
) -> Response:
    """Start support before the decision, with the reason."""
    require(principal, "person:write")
    day = parse_date(text(form, "started_on")) or today()
    reason = text(form, "reason") or ""
    plans.start_early(session, principal, plan_id, started_on=day, reason=reason)
    flash(request, "決定前の支援開始を記録しました。")
    return see_other(f"/plans/{plan_id}")


@router.get("/plans/{plan_id}/print")
def plan_print(
    request: Request, session: SessionDep, principal: PrincipalDep, plan_id: int
) -> Response:
    """様式第2号 laid out like the city's form, for A4 printing."""
    require(principal, "person:read")
    plan = plans.plan_form(session, principal, plan_id)
    return render(
        request,
        "web/plan_print.html",
        {
            "title": f"参加支援事業のプラン 第{plan.round}回",
            "plan": plan,
            "back_url": f"/people/{plan.person_id}",
        },
    )
