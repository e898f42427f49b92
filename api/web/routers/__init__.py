"""The page routers, in the order they are included."""

from __future__ import annotations

from fastapi import APIRouter

from api.web.routers import (
    audit,
    auth,
    catalog,
    closure,
    dashboard,
    development,
    evaluations,
    fees,
    people,
    placements,
    plans,
    suggestions,
)

ROUTERS: tuple[APIRouter, ...] = (
    auth.router,
    dashboard.router,
    people.router,
    closure.router,
    suggestions.router,
    placements.router,
    plans.router,
    evaluations.router,
    catalog.router,
    fees.router,
    audit.router,
    development.router,
)
