"""協力費台帳: entries by fiscal year, receiver and state; approve / reject; budget; xlsx."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from api.deps import SessionDep
from api.schemas.casework import ReasonIn
from api.web.forms import text, validate
from api.web.helpers import current_fiscal_year, parse_date, resources_by_id, see_other, today
from api.web.routing import WebRoute, form_refusal, refusal_target
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError
from casework.models import CooperationFee
from casework.permissions import Principal
from casework.services import fees

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]


def _back(fy: str | None) -> str:
    return f"/fees?fy={fy}" if fy and fy.isdecimal() else "/fees"


async def _back_to_ledger(request: Request) -> None:
    """A refused ledger action returns to the ledger of the fiscal year it was posted from."""
    form = await request.form()
    fy = form.get("fy")
    refusal_target(request, _back(fy if isinstance(fy, str) else None))


LEDGER = [*CSRF, Depends(_back_to_ledger)]


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
    return _ledger(request, session, principal, fy or current_fiscal_year(), receiver, state)


def _ledger(
    request: Request,
    session: Session,
    principal: Principal,
    year: int,
    receiver: str | None,
    state: str | None,
    *,
    reverse: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    """The ledger page; ``reverse`` re-opens one row's 取消 form with what was typed."""
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
            "reversible": fees.reversible_ids(entries),
            "new_key": lambda: secrets.token_urlsafe(16),
            "reverse": reverse or {},
        },
        status_code=status,
    )


def _reverse_input(form: FormData) -> tuple[str, str, str | None]:
    """(reason, idempotency key, Japanese error or None) of a posted 取消 form."""
    reason = text(form, "reason") or ""
    key = text(form, "idempotency_key") or ""
    if not 8 <= len(key) <= 128:
        return reason, key, "送信キーがありません。画面を読み込み直してください。"
    _, errors = validate(ReasonIn, {"reason": reason})
    if errors:
        return reason, key, f"取消の理由: {errors.get('reason', '入力内容を確認してください。')}"
    return reason, key, None


def submit_reversal(
    request: Request, session: Session, principal: Principal, form: FormData, fee_id: int
) -> tuple[CooperationFee | None, dict[str, Any]]:
    """Post a 取消 form: the reversal entry (flashed), or None and the typed values to redisplay."""
    reason, key, error = _reverse_input(form)
    if error is None:
        try:
            reversal, created = fees.reverse_fee(
                session, principal, fee_id, idempotency_key=key, reason=reason
            )
        except CaseworkError as exc:
            error = form_refusal(session, exc)["_form"]
        else:
            flash(
                request,
                f"協力費 {fee_id} の取消（{reversal.amount_yen:,}円）を登録しました（承認待ち）。"
                if created
                else "この取消はすでに登録されています。",
            )
            return reversal, {}
    return None, {"fee_id": fee_id, "reason": reason, "idempotency_key": key, "error": error}


@router.post("/fees/{fee_id}/reverse", dependencies=CSRF)
def fee_reverse(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """取消（訂正）: a negative draft entry cancelling an approved or paid one."""
    require(principal, "fee:write")
    reversal, typed = submit_reversal(request, session, principal, form, fee_id)
    if reversal is not None:
        return see_other(_back(text(form, "fy")))
    fy = text(form, "fy") or ""
    year = int(fy) if fy.isdecimal() and 2000 <= int(fy) <= 2100 else current_fiscal_year()
    return _ledger(request, session, principal, year, None, None, reverse=typed, status=422)


@router.post("/fees/{fee_id}/approve", dependencies=LEDGER)
def fee_approve(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """draft → approved (refused over budget)."""
    require(principal, "fee:approve")
    fees.approve_fee(session, principal, fee_id)
    flash(request, f"協力費 {fee_id} を承認しました。")
    return see_other(_back(text(form, "fy")))


@router.post("/fees/{fee_id}/reject", dependencies=LEDGER)
def fee_reject(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """draft → rejected with the reason."""
    require(principal, "fee:approve")
    reason = text(form, "reason") or ""
    if not reason:
        flash(request, "却下の理由を入力してください。", "error")
        return see_other(_back(text(form, "fy")))
    fees.reject_fee(session, principal, fee_id, reason=reason)
    flash(request, f"協力費 {fee_id} を却下しました。")
    return see_other(_back(text(form, "fy")))


@router.post("/fees/{fee_id}/paid", dependencies=LEDGER)
def fee_paid(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, fee_id: int
) -> Response:
    """approved → paid on a date."""
    require(principal, "fee:pay")
    fees.mark_fee_paid(
        session, principal, fee_id, paid_on=parse_date(text(form, "paid_on")) or today()
    )
    flash(request, f"協力費 {fee_id} を支払済みにしました。")
    return see_other(_back(text(form, "fy")))


@router.post("/fees/budget", dependencies=LEDGER)
def fee_budget(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Set the fiscal year's budget."""
    require(principal, "fee:budget")
    fy, amount = text(form, "fy") or "", (text(form, "budget_yen") or "").replace(",", "")
    if not (fy.isdecimal() and amount.isdecimal()):
        flash(request, "予算額は0以上の整数（円）で入力してください。", "error")
        return see_other(_back(fy))
    fees.set_budget(session, principal, int(fy), budget_yen=int(amount))
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
