"""協力費台帳: entries by fiscal year, receiver and state; approve / reject; budget; xlsx."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import domain_message, text
from api.web.helpers import current_fiscal_year, parse_date, resources_by_id, see_other, today
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError
from casework.services import fees

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]


def _back(fy: str | None) -> str:
    return f"/fees?fy={fy}" if fy and fy.isdecimal() else "/fees"


@router.get("/fees")
def fee_ledger(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    fy: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    receiver: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[str | None, Query(pattern="^(draft|approved|paid|rejected)?$")] = None,
) -> Response:
    """The ledger of one fiscal year with totals against the budget."""
    require(principal, "fee:read")
    year = fy or current_fiscal_year()
    entries = fees.list_fees(session, principal, fiscal_year=year)
    resources = resources_by_id(session, [f.resource_id for f in entries])
    receivers = sorted(
        {
            (
                f.receiver_id,
                r.organization if (r := resources.get(f.resource_id)) else f.receiver_id,
            )
            for f in entries
        },
        key=lambda pair: pair[1],
    )
    shown = [
        f
        for f in entries
        if (not receiver or f.receiver_id == receiver) and (not state or f.state == state)
    ]
    totals = fees.fee_totals(session, principal, group_by="resource", fiscal_year=year)
    return render(
        request,
        "web/fees.html",
        {
            "title": "協力費台帳",
            "fy": year,
            "years": list(range(current_fiscal_year() + 1, current_fiscal_year() - 5, -1)),
            "entries": shown,
            "receivers": receivers,
            "filters": {"receiver": receiver or "", "state": state or ""},
            "totals": totals,
            "budget": fees.budget_status(session, principal, year),
            "resources": resources,
            "shown_total": sum(f.amount_yen for f in shown if f.state != "rejected"),
            "today": today(),
        },
    )


@router.post("/fees/{fee_id}/approve", dependencies=CSRF)
def fee_approve(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """draft → approved (refused over budget)."""
    require(principal, "fee:approve")
    try:
        fees.approve_fee(session, principal, fee_id)
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
    else:
        flash(request, f"協力費 {fee_id} を承認しました。")
    return see_other(_back(text(form, "fy")))


@router.post("/fees/{fee_id}/reject", dependencies=CSRF)
def fee_reject(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """draft → rejected with the reason."""
    require(principal, "fee:approve")
    reason = text(form, "reason") or ""
    if not reason:
        flash(request, "却下の理由を入力してください。", "error")
        return see_other(_back(text(form, "fy")))
    try:
        fees.reject_fee(session, principal, fee_id, reason=reason)
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
    else:
        flash(request, f"協力費 {fee_id} を却下しました。")
    return see_other(_back(text(form, "fy")))


@router.post("/fees/{fee_id}/paid", dependencies=CSRF)
def fee_paid(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """approved → paid on a date."""
    require(principal, "fee:pay")
    try:
        fees.mark_fee_paid(
            session, principal, fee_id, paid_on=parse_date(text(form, "paid_on")) or today()
        )
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
    else:
        flash(request, f"協力費 {fee_id} を支払済みにしました。")
    return see_other(_back(text(form, "fy")))


@router.post("/fees/budget", dependencies=CSRF)
def fee_budget(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Set the fiscal year's budget."""
    require(principal, "fee:budget")
    fy, amount = text(form, "fy") or "", (text(form, "budget_yen") or "").replace(",", "")
    if not (fy.isdecimal() and amount.isdecimal()):
        flash(request, "予算額は0以上の整数（円）で入力してください。", "error")
        return see_other(_back(fy))
    try:
        fees.set_budget(session, principal, int(fy), budget_yen=int(amount))
    except CaseworkError as exc:
        session.rollback()
        flash(request, domain_message(exc), "error")
    else:
        flash(request, f"{fy}年度の予算を {int(amount):,}円 にしました。")
    return see_other(_back(fy))


@router.get("/fees/export.{fmt}")
def fee_export(
    session: SessionDep,
    principal: PrincipalDep,
    fmt: str,
    fy: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The year's entries as xlsx (or CSV) for the city's accounting."""
    require(principal, "fee:export")
    body = fees.export_fees(session, principal, fmt=fmt, fiscal_year=fy)
    media = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"cooperation-fees-{fy or 'all'}.{fmt}"
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
