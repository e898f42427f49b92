"""ダッシュボード: my people, due monitoring, overdue follow-ups, quiet placements, fees."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.helpers import current_fiscal_year, resources_by_id, today
from api.web.routing import WebRoute
from api.web.session import PrincipalDep
from api.web.templating import render
from casework.permissions import has_permission
from casework.services import fees, followup, people, plans
from consultation.services import referrals

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/dashboard")
def dashboard(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    no_contact_days: Annotated[int, Query(ge=1, le=365)] = 30,
) -> Response:
    """What needs attention today, by role."""
    ctx: dict[str, Any] = {"title": "ダッシュボード", "no_contact_days": no_contact_days}
    if has_permission(principal, "person:read"):
        my_people = people.list_people(session, principal, status="open", limit=200)
        due = followup.due_list(session, principal, today=today(), no_contact_days=no_contact_days)
        names = {p.id: p.name for p in my_people}
        ctx.update(
            my_people=[p for p in my_people if p.primary_staff_id == principal.id][:20]
            or my_people[:20],
            monitoring=[d for d in due if d.kind == "monitoring"],
            follow_ups=[d for d in due if d.kind == "follow_up"],
            quiet=[d for d in due if d.kind == "placement_no_contact"],
            names=names,
            resources=resources_by_id(
                session, [d.resource_id for d in due if d.resource_id is not None]
            ),
        )
    if has_permission(principal, "consultation:read"):
        # つなぎ still waiting for the agency's answer after the reply due date.
        ctx.update(
            overdue_referrals=referrals.overdue_referrals(session, principal, today()),
            agency_names=referrals.agency_names(session),
        )
    if has_permission(principal, "plan:decide"):
        ctx.update(plans_awaiting=plans.plans_awaiting_decision(session, principal))
    if has_permission(principal, "fee:read"):
        fy = current_fiscal_year()
        entries = fees.list_fees(session, principal, fiscal_year=fy)
        pending = [f for f in entries if f.state == "draft"]
        ctx.update(
            fiscal_year=fy,
            pending_fees=pending[:20],
            pending_total=sum(f.amount_yen for f in pending),
            pending_count=len(pending),
            budget=fees.budget_status(session, principal, fy),
        )
    return render(request, "web/dashboard.html", ctx)
