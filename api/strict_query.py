"""Unknown query parameters are refused (422), as the OpenAPI document promises.

FastAPI ignores query parameters a route does not declare, so a misspelt filter
(``?wrad=若葉区``) silently answers the unfiltered list. Every documented operation now
names the parameters it takes and refuses the others with the usual validation body.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

_ALLOWED: dict[int, frozenset[str]] = {}


def _query_names(dependant: Dependant) -> set[str]:
    names = {field.alias for field in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


def _allowed(route: APIRoute) -> frozenset[str]:
    key = id(route)
    if key not in _ALLOWED:
        _ALLOWED[key] = frozenset(_query_names(route.dependant))
    return _ALLOWED[key]


async def refuse_unknown_query_parameters(request: Request) -> None:
    """422 when the query names a parameter the (documented) operation does not take.

    ``async``: it runs on every request and only reads the route, so it takes no thread.
    """
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not route.include_in_schema:
        return
    allowed = _allowed(route)
    unknown = sorted({name for name in request.query_params if name not in allowed})
    if unknown:
        raise RequestValidationError(
            [
                {
                    "type": "extra_forbidden",
                    "loc": ("query", name),
                    "msg": "Unknown query parameter",
                    "input": request.query_params.get(name),
                }
                for name in unknown[:20]
            ]
        )
