"""終結とフォローアップ: close / reopen a case and keep in touch afterwards (person detail)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep
from api.schemas.casework import (
    ClosureCreate,
    FollowUpContactCreate,
    FollowUpEndIn,
    FollowUpIntervalIn,
)
from api.web.forms import compact, text, validate, values
from api.web.helpers import see_other
from api.web.routers.people import detail_context
from api.web.routing import WebRoute, form_refusal, on_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, fmt_date, render
from casework.errors import CaseworkError
from casework.permissions import Principal
from casework.services import followup

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
SECTION = "#follow-up"


def _again(
    request: Request,
    session: Session,
    principal: Principal,
    person_id: int,
    form: FormData,
    errors: dict[str, str],
    which: str,
) -> Response:
    """The person page again with the posted form, its values and the Japanese errors."""
    ctx = detail_context(
        session, principal, person_id, form=values(form), errors=errors, which=which
    )
    return render(request, "web/person_detail.html", ctx, status_code=422)


@router.post("/people/{person_id}/close", dependencies=CSRF)
def case_close(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """終結: date and reason; with an interval the person joins the follow-up list."""
    require(principal, "person:write")
    raw: dict[str, Any] = {
        name: text(form, name)
        for name in ("closed_on", "reason", "note", "follow_up_interval_days")
    }
    data, errors = validate(ClosureCreate, compact(raw))
    if data is not None:
        try:
            followup.close_case(session, principal, person_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_closure")
        else:
            flash(request, f"{fmt_date(data.closed_on)}付けで終結しました。")
            return see_other(f"/people/{person_id}{SECTION}")
    return _again(request, session, principal, person_id, form, errors, "closure")


@router.post("/people/{person_id}/reopen", dependencies=[*CSRF, on_refusal("/people/{person_id}")])
def case_reopen(
    request: Request, session: SessionDep, principal: PrincipalDep, person_id: int
) -> Response:
    """Reopen a closed case (support resumes; follow-up stops)."""
    require(principal, "person:write")
    followup.reopen_case(session, principal, person_id)
    flash(request, "支援を再開しました。")
    return see_other(f"/people/{person_id}")


@router.post("/people/{person_id}/follow-up/interval", dependencies=CSRF)
def follow_up_interval(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Change how often the closed case is contacted (the next due date moves)."""
    require(principal, "person:write")
    data, errors = validate(
        FollowUpIntervalIn, compact({"interval_days": text(form, "interval_days")})
    )
    if data is not None:
        try:
            row = followup.set_follow_up_interval(
                session, principal, person_id, interval_days=data.interval_days
            )
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_follow_up")
        else:
            due = fmt_date(row.next_due_on)
            flash(request, f"連絡の間隔を{row.interval_days}日にしました（次回 {due}）。")
            return see_other(f"/people/{person_id}{SECTION}")
    return _again(request, session, principal, person_id, form, errors, "interval")


@router.post("/people/{person_id}/follow-up/contacts", dependencies=CSRF)
def follow_up_contact(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Log a follow-up contact; the next one falls due one interval later."""
    require(principal, "person:write")
    raw = {name: text(form, name) for name in ("contacted_on", "method", "note")}
    data, errors = validate(FollowUpContactCreate, compact(raw))
    if data is not None:
        try:
            followup.record_follow_up_contact(session, principal, person_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_follow_up")
        else:
            flash(request, "フォローアップの連絡を記録しました。")
            return see_other(f"/people/{person_id}{SECTION}")
    return _again(request, session, principal, person_id, form, errors, "contact")


@router.post("/people/{person_id}/follow-up/end", dependencies=CSRF)
def follow_up_end(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, person_id: int
) -> Response:
    """Stop the periodic contacts."""
    require(principal, "person:write")
    data, errors = validate(FollowUpEndIn, compact({"ended_on": text(form, "ended_on")}))
    if data is not None:
        try:
            followup.end_follow_up(session, principal, person_id, ended_on=data.ended_on)
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_follow_up")
        else:
            flash(request, "フォローアップを終了しました。")
            return see_other(f"/people/{person_id}{SECTION}")
    return _again(request, session, principal, person_id, form, errors, "end")
