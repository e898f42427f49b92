"""The suggestion routes are tried first (the hot path) and no other route claims their paths.

FastAPI tries routes in the order they were included; ``api.app`` includes the matching
router first so a suggestion request skips ~60 regex matches. That order is only safe while
no other route matches a matching path with one of its methods: then it changes no answer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from starlette.routing import Match

from api.app import create_app
from api.routers import v1_matching
from tests.api.conftest import make_settings


def _app() -> FastAPI:
    return create_app(make_settings("sqlite://"))


def _flat_routes(app: FastAPI) -> Iterator[Any]:
    """Every route as the app dispatches it (included routers opened, prefixes applied)."""
    for route in app.router.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is None:
            yield route
        else:
            yield from contexts()


def _concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "17", path)


def test_the_suggestion_request_matches_the_first_router_the_app_tries() -> None:
    app = _app()
    scope = {"type": "http", "method": "POST", "path": "/api/v1/people/17/suggestions"}
    first_api_router = next(r for r in app.router.routes if hasattr(r, "effective_route_contexts"))
    match, _ = first_api_router.matches(dict(scope))
    assert match == Match.FULL


def test_no_other_route_matches_a_matching_path() -> None:
    app = _app()
    mine = {route.endpoint for route in v1_matching.router.routes if hasattr(route, "endpoint")}
    matching = [r for r in _flat_routes(app) if getattr(r, "endpoint", None) in mine]
    others = [r for r in _flat_routes(app) if getattr(r, "endpoint", None) not in mine]
    assert len(matching) == len(mine) and others
    clashes = []
    for route in matching:
        for method in route.methods:
            scope = {"type": "http", "method": method, "path": _concrete(route.path_format)}
            for other in others:
                match, _ = other.matches(dict(scope))
                if match == Match.FULL:
                    clashes.append((method, route.path_format, getattr(other, "path", other)))
    assert clashes == []
