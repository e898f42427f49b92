"""Service-level pages: the health check and the Japanese landing page."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import SessionDep
from api.schemas.common import HealthOut

router = APIRouter()

LANDING_PAGE = Path(__file__).resolve().parents[1] / "templates" / "index.html"


@router.get(
    "/health",
    response_model=HealthOut,
    tags=["system"],
    responses={503: {"model": HealthOut, "description": "The database is unreachable."}},
)
def health(session: SessionDep) -> HealthOut | JSONResponse:
    """Liveness plus a ``SELECT 1`` against the database."""
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        session.rollback()
        return JSONResponse(status_code=503, content={"status": "error", "database": "error"})
    return HealthOut(status="ok", database="ok")


@router.get("/", include_in_schema=False)
def landing_page(request: Request) -> RedirectResponse:
    """The site root leads a coordinator in: the dashboard when signed in, else sign-in.

    The page about the APIs for developers stays at ``/about``.
    """
    signed_in = bool(request.session.get("uid")) if "session" in request.scope else False
    return RedirectResponse("/dashboard" if signed_in else "/login", status_code=303)


@router.get("/about", response_class=HTMLResponse, include_in_schema=False)
def about_page() -> HTMLResponse:
    """A short Japanese page saying what the service is, with links to the APIs."""
    return HTMLResponse(LANDING_PAGE.read_text(encoding="utf-8"))
