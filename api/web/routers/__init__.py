"""The page routers, in the order they are included."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.routers import (
    account,
    admin_security,
    agencies,
    audit,
    auth,
    catalog,
    closure,
    consultations,
    dashboard,
    development,
    evaluations,
    fees,
    meetings,
    people,
    placements,
    plans,
    prints,
    progress_notes,
    suggestions,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    account.router,
    admin_security.router,
    dashboard.router,
    people.router,
    closure.router,
    suggestions.router,
    placements.router,
    plans.router,
    evaluations.router,
    prints.router,
    catalog.router,
    fees.router,
    audit.router,
    consultations.router,
    progress_notes.router,
    meetings.router,
    agencies.router,
    development.router,
)
