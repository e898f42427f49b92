"""ダッシュボード: the day's agenda by role (casework.services.agenda), and links to work on."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.helpers import current_fiscal_year, today
from api.web.routing import WebRoute
from api.web.session import PrincipalDep
from api.web.templating import render
from casework.permissions import has_permission
from casework.services import agenda, fees, people

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/dashboard")
def dashboard(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    no_contact_days: Annotated[int, Query(ge=1, le=365)] = 30,
    waiting_days: Annotated[int, Query(ge=1, le=365)] = 14,
) -> Response:
    """What needs attention: overdue, today, the week ahead, queues and recent decisions."""
    day = today()
    plan = agenda.agenda(
        session, principal, today=day, waiting_days=waiting_days, no_contact_days=no_contact_days
    )
    ctx: dict[str, Any] = {
        "title": "ダッシュボード",
        "agenda": plan,
        "sections": [(name, label, plan.section(name)) for name, label in _SECTIONS],
        "no_contact_days": no_contact_days,
        "waiting_days": waiting_days,
    }
    if has_permission(principal, "person:read"):
        mine = people.list_people(session, principal, status="open", limit=200)
        ctx["my_people"] = [p for p in mine if p.primary_staff_id == principal.id][:20] or mine[:20]
    if has_permission(principal, "fee:read"):
        fy = current_fiscal_year()
        ctx.update(fiscal_year=fy, budget=fees.budget_status(session, principal, fy))
    return render(request, "web/dashboard.html", ctx)


_SECTIONS: tuple[tuple[agenda.AgendaSection, str], ...] = tuple(
    (name, agenda.SECTION_LABELS[name]) for name in ("overdue", "today", "week", "queue", "recent")
)
