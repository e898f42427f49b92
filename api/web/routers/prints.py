"""Blank A4 forms to fill in by hand at an interview: 様式第2号 (plan) and 様式第3号 (evaluation).

様式第1号's blank lives with the consultations (``/intake-form/blank``). A blank form shows
no personal data, so it writes no audit row.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.web.routing import WebRoute
from api.web.session import PrincipalDep, require
from api.web.templating import render
from casework.checklists import CHANGE_ITEMS, NO_CHANGE_LABEL, OTHER_LABEL

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/plan-form/blank")
def plan_form_blank(request: Request, principal: PrincipalDep) -> Response:
    """様式第2号 with every field empty."""
    require(principal, "person:read")
    return render(
        request,
        "web/plan_print.html",
        {"title": "参加支援事業のプラン（空欄）", "plan": {"actions": []}, "blank": True},
    )


@router.get("/evaluation-form/blank")
def evaluation_form_blank(request: Request, principal: PrincipalDep) -> Response:
    """様式第3号 with every box unticked and every field empty."""
    require(principal, "person:read")
    lines = {
        section: [
            {"label_ja": i.label_ja, "checked": False} for i in CHANGE_ITEMS if i.section == section
        ]
        for section in ("life", "social")
    }
    sheet = {
        "evaluated_on": "",
        "life": lines["life"],
        "social": lines["social"],
        "other_label": OTHER_LABEL,
        "no_change_label": NO_CHANGE_LABEL,
    }
    return render(
        request,
        "web/evaluation_print.html",
        {"title": "評価シート（空欄）", "sheet": sheet, "blank": True},
    )
