"""監査ログ: recent audit rows for auditors (paged, newest first) and the chain check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.services import accounts, audit

router = APIRouter(route_class=WebRoute, include_in_schema=False)
CSRF = [Depends(verify_csrf)]
PAGE_SIZE = 50


@router.get("/audit")
def audit_log(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    before: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    """Who did what to which record, when and from where (no personal data, no detail)."""
    require(principal, "audit:read")
    rows = audit.read_audit_log(session, principal, limit=PAGE_SIZE + 1, before_id=before)
    shown = rows[:PAGE_SIZE]
    return render(
        request,
        "web/audit_log.html",
        {
            "title": "監査ログ",
            "rows": shown,
            "names": accounts.staff_names_for_actors(session, [r.actor for r in shown]),
            "before": before,
            "older": shown[-1].id if len(rows) > PAGE_SIZE else None,
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
