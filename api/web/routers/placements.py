"""マッチング: status steps with dates, transitions, the retention support log, fee entries."""

from __future__ import annotations

import re
import secrets
from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import compact, labelled, text, validate, values
from api.web.helpers import see_other, today
from api.web.routers.fees import submit_reversal
from api.web.routing import WebRoute, form_refusal
from api.web.session import FormDep, PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import CaseworkError
from casework.models import Placement
from casework.permissions import Principal, has_permission
from casework.schemas import FeeIn, RetentionContactIn, TransitionIn
from casework.services import fees, people, placements
from resources_catalog import service as catalog
from resources_catalog.errors import ResourceNotFound

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]


def _steps(placement: Placement) -> list[dict[str, Any]]:
    """The forward path with the day each step happened, or skipped / still to come."""
    reached = {t.to_state: t for t in placement.transitions}
    skipped = {s for t in placement.transitions for s in (t.skipped or [])}
    steps = []
    for state in placements.PATH:
        t = reached.get(state)
        status = "done" if t else ("skipped" if state in skipped else "todo")
        steps.append({"state": state, "on": t.occurred_on if t else None, "status": status})
    end = next((t for t in placement.transitions if t.to_state in placements.TERMINAL), None)
    if end is not None:
        steps.append({"state": end.to_state, "on": end.occurred_on, "status": "end"})
    return steps


def _page(
    request: Request,
    session: Session,
    principal: Principal,
    placement_id: int,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    which: str = "",
    reverse: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    placement = placements.get_placement(session, principal, placement_id)
    person = people.get_person(session, principal, placement.person_id)
    try:
        record = catalog.get_resource(session, placement.resource_id).record
    except ResourceNotFound:
        record = None
    contacts = (
        placements.list_retention_contacts(session, principal, placement_id)
        if placement.state in ("trial", "placed", "ended")
        else []
    )
    entries = (
        [f for f in fees.list_fees(session, principal) if f.placement_id == placement.id]
        if has_permission(principal, "fee:read")
        else []
    )
    errors = errors or {}
    base_form: dict[str, Any] = {
        "contacted_on": today().isoformat(),
        "party": "person",
        "method": "visit",
        "idempotency_key": secrets.token_urlsafe(16),
        "activity_dates": today().isoformat(),
        "occurred_on": today().isoformat(),
    }
    if form:
        base_form.update(form)
    return render(
        request,
        "web/placement.html",
        {
            "title": "マッチング",
            "placement": placement,
            "person": person,
            "r": record,
            "steps": _steps(placement),
            "targets": placements.allowed_targets(placement.state),
            "contacts": contacts,
            "fees": entries,
            "fee_total": sum(f.amount_yen for f in entries if f.state in ("approved", "paid")),
            "days_since": placements.days_since_contact(placement, today()),
            "billable": placement.state in fees.BILLABLE_STATES,
            "share_ok": placements.may_contact_receiver(session, placement, today()),
            "form": base_form,
            "errors": errors,
            "field_errors": {k: v for k, v in errors.items() if not k.startswith("_")},
            "labelled": labelled({k: v for k, v in errors.items() if not k.startswith("_")}),
            "which": which,
            "reversible": fees.reversible_ids(entries),
            "new_key": lambda: secrets.token_urlsafe(16),
            "reverse": reverse or {},
        },
        status_code=status,
    )


@router.get("/placements/{placement_id}")
def placement_page(
    request: Request, session: SessionDep, principal: PrincipalDep, placement_id: int
) -> Response:
    """The placement's steps, log and fees."""
    require(principal, "person:read")
    return _page(request, session, principal, placement_id)


@router.post("/placements/{placement_id}/transition", dependencies=CSRF)
def placement_transition(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, placement_id: int
) -> Response:
    """Move to the chosen step (placed takes a slot; a conflict is explained, not a 500)."""
    require(principal, "person:write")
    raw = {
        "to_state": text(form, "to_state"),
        "reason_code": text(form, "reason_code"),
        "note": text(form, "note"),
        "expected_version": text(form, "expected_version"),
        "occurred_on": text(form, "occurred_on"),
    }
    data, errors = validate(TransitionIn, compact(raw))
    if data is not None:
        try:
            moved = placements.transition_placement(session, principal, placement_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_transition")
        else:
            flash(request, f"「{placements.STATE_LABELS[moved.state]}」に進めました。")
            return see_other(f"/placements/{placement_id}")
    return _page(
        request, session, principal, placement_id,
        form=values(form), errors=errors, which="transition", status=422,
    )  # fmt: skip


@router.post("/placements/{placement_id}/retention", dependencies=CSRF)
def retention_add(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, placement_id: int
) -> Response:
    """Log a 定着支援 contact."""
    require(principal, "person:write")
    raw = {
        name: text(form, name)
        for name in (
            "contacted_on",
            "party",
            "method",
            "discussed",
            "next_action",
            "next_action_on",
        )
    }
    data, errors = validate(RetentionContactIn, compact(raw))
    if data is not None:
        try:
            placements.add_retention_contact(session, principal, placement_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_retention")
        else:
            flash(request, "定着支援の記録を追加しました。")
            return see_other(f"/placements/{placement_id}#retention")
    return _page(
        request, session, principal, placement_id,
        form=values(form), errors=errors, which="retention", status=422,
    )  # fmt: skip


_DATE_SPLIT = re.compile(r"[\s,、，]+")


@router.post("/placements/{placement_id}/fees", dependencies=CSRF)
def fee_add(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep, placement_id: int
) -> Response:
    """Enter a cooperation fee (draft) for the activity dates; a resend never duplicates."""
    require(principal, "fee:write")
    dates = [d for d in _DATE_SPLIT.split(text(form, "activity_dates") or "") if d]
    raw = {
        "idempotency_key": text(form, "idempotency_key"),
        "activity_dates": dates,
        "unit_amount_yen": text(form, "unit_amount_yen"),
        "unit": text(form, "unit"),
        "note": text(form, "note"),
    }
    data, errors = validate(FeeIn, compact(raw))
    if data is not None:
        try:
            fee, created = fees.create_fee(session, principal, placement_id, data)
        except CaseworkError as exc:
            errors = form_refusal(session, exc, "_fee")
        else:
            flash(
                request,
                f"協力費 {fee.amount_yen:,}円 を登録しました（承認待ち）。"
                if created
                else "この協力費はすでに登録されています。",
            )
            return see_other(f"/placements/{placement_id}#fees")
    return _page(
        request, session, principal, placement_id,
        form=values(form), errors=errors, which="fee", status=422,
    )  # fmt: skip


@router.post("/placements/{placement_id}/fees/{fee_id}/reverse", dependencies=CSRF)
def fee_reverse(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    form: FormDep,
    placement_id: int,
    fee_id: int,
) -> Response:
    """取消（訂正）of one of this placement's approved or paid entries."""
    require(principal, "fee:write")
    reversal, typed = submit_reversal(request, session, principal, form, fee_id)
    if reversal is not None:
        return see_other(f"/placements/{reversal.placement_id}#fees")
    return _page(request, session, principal, placement_id, reverse=typed, status=422)
