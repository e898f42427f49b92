"""The 支援関係機関 directory page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.consult_view import page
from api.web.routing import WebRoute
from api.web.session import PrincipalDep, require
from consultation.services import agencies

router = APIRouter(route_class=WebRoute, include_in_schema=False)


# --- 支援関係機関 ---------------------------------------------------------------------------


@router.get("/agencies")
def agency_list(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    ward: Annotated[str | None, Query(max_length=10)] = None,
) -> Response:
    """The directory, filterable by kind and ward."""
    require(principal, "agency:read")
    rows = agencies.list_agencies(session, principal, kind=kind or None, ward=ward or None)
    return page(
        request,
        "web/consult_agencies.html",
        {"title": "支援関係機関", "rows": rows, "kind": kind or "", "ward": ward or ""},
    )
