"""監査ログ: audit rows for auditors in Japanese, filtered by person, staff, action and
period, paged newest first; and the chain check."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.audit_labels import PAGE_LABELS, action_label, record_label
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import PrincipalDep, require, verify_csrf
from api.web.templating import JST, flash, render
from casework.services import accounts, audit

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
PAGE_SIZE = 50
ID = Annotated[int | None, Query(ge=1, le=2**62)]


def _jst_midnight(day: date) -> datetime:
    """The instant a JST calendar day starts (the period filter counts whole JST days)."""
    return datetime.combine(day, time(0), tzinfo=JST)


@router.get("/audit")
def audit_log(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    before: ID = None,
    person: ID = None,
    staff: ID = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    """Who did what to which record, when and from where (no personal data, no detail)."""
    require(principal, "audit:read")
    action = action or None
    rows = audit.read_audit_log(
        session,
        principal,
        entity_type="person" if person is not None else None,
        entity_id=str(person) if person is not None else None,
        limit=PAGE_SIZE + 1,
        before_id=before,
        actor_user_id=staff,
        action=action,
        since=_jst_midnight(date_from) if date_from else None,
        until=_jst_midnight(date_to + timedelta(days=1)) if date_to else None,
    )
    shown = rows[:PAGE_SIZE]
    actions, staff_choices = audit.audit_filter_choices(session, principal)
    filters = {
        "person": person,
        "staff": staff,
        "action": action,
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
    }
    query = urlencode({k: v for k, v in filters.items() if v is not None})
    return render(
        request,
        "web/audit_log.html",
        {
            "title": "監査ログ",
            "rows": shown,
            "names": accounts.staff_names_for_actors(session, [r.actor for r in shown]),
            "before": before,
            "older": shown[-1].id if len(rows) > PAGE_SIZE else None,
            "filters": filters,
            "query": query,
            "actions": [(code, action_label(code)) for code in actions],
            "staff_choices": staff_choices,
            "action_label": action_label,
            "record_label": record_label,
            "page_labels": PAGE_LABELS,
        },
    )


@router.post("/audit/verify", dependencies=CSRF)
def audit_verify(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """Recompute the hash chain; say OK or name the first row that does not match."""
    require(principal, "audit:read")
    report = audit.verify_audit_chain(session, principal)
    if report.ok:
        flash(request, f"検証OK: {report.rows_checked:,}件の記録に改ざんは見つかりませんでした。")
    else:
        flash(
            request,
            f"検証NG: 記録 ID {report.first_bad_id} から先のつながりが一致しません"
            f"（それより前の{report.rows_checked:,}件は正常）。",
            "error",
        )
    return see_other("/audit")
