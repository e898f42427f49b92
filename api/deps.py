"""Request dependencies as ``Annotated`` aliases: settings, one unit of work, the caller
(``CurrentPrincipal``, ``require``/``guard`` for permissions), actor, ranker, paging."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Annotated, Any

import anyio
import anyio.to_thread
from fastapi import Depends, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials
from sqlalchemy.orm import Session

from api.auth import authenticate, bearer_scheme, check_permission, permission_extra
from api.errors import NO_VERSION, ApiError
from api.settings import Settings
from casework.permissions import Principal
from casework.ranker_provider import RankerProvider
from resources_catalog import service as catalog
from resources_catalog.service import StoredResource
from storage.engine import end_unit_of_work

# Offsets and page numbers beyond this are nonsense and would overflow a BIGINT OFFSET.
MAX_OFFSET = 1_000_000_000


# Dependencies that only read request or app state are ``async def``: FastAPI runs a sync
# dependency in the thread pool, and each such hop cost more than the work it wrapped (the
# load test of issue 8 made four per suggestion request). Anything that touches the
# database stays sync.


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with (built once, in the factory)."""
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One unit of work per request: commit when the route succeeds, roll back on error.

    The session is also left on ``request.state``: a web page that turns a domain error into
    a page or a redirect returns normally, so the unit of work would commit; the page's route
    class rolls back through this handle first (``api.web.routing``).

    ``async``: opening a session does no I/O (the connection is taken at its first query, in
    the thread that makes it), so only the commit or rollback takes a worker thread, and
    none when the route left no transaction open (closing is then bookkeeping only). As in
    FastAPI's own handling of sync generator dependencies, that end is shielded from
    cancellation (a client that hangs up must not leave the transaction, and SQLite's writer
    lock, open) and runs under a limiter of its own, so it never waits for a free slot.
    """
    session = request.app.state.session_factory()
    request.state.db_session = session
    try:
        yield session
    except BaseException:
        await _end(session, commit=False)
        raise
    await _end(session, commit=True)


async def _end(session: Session, *, commit: bool) -> None:
    if not session.in_transaction():
        session.close()
        return
    with anyio.CancelScope(shield=True):
        await anyio.to_thread.run_sync(
            partial(end_unit_of_work, session, commit=commit), limiter=anyio.CapacityLimiter(1)
        )


def get_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    """Who is calling: the web session's principal, else the API key's; 401 without either."""
    return authenticate(request, session, credentials)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(permission: str) -> Any:
    """A route dependency that answers 403 unless the caller holds ``permission``."""

    async def _check(principal: CurrentPrincipal) -> Principal:
        return check_permission(principal, permission)

    _check.__name__ = f"require_{permission.replace(':', '_')}"
    return Depends(_check)


def guard(permission: str) -> dict[str, Any]:
    """Route decorator arguments: enforce ``permission`` and document it in OpenAPI.

    The coarse role check runs before the body is validated, so a caller without the
    permission always gets 403; the casework services check again (with own/team scoping).
    """
    return {"dependencies": [require(permission)], "openapi_extra": permission_extra(permission)}


def get_actor(
    principal: CurrentPrincipal,
    x_actor: Annotated[
        str | None,
        Header(
            max_length=100,
            pattern=NO_NUL,
            description=(
                "API clients: the staff member on whose behalf the case system makes the "
                "change, recorded in the edit history (default: the client's reference)."
            ),
        ),
    ] = None,
) -> str:
    """The name recorded as the author of catalog changes; needs ``catalog:write`` (403).

    Staff signed in on the web are recorded by their reference (``user:3``). A case system
    may name the person operating it in ``X-Actor``; the key itself was authenticated.
    """
    check_permission(principal, "catalog:write")
    if principal.kind != "api_client" or not x_actor:
        return principal.ref
    try:
        # Starlette decodes headers as latin-1; clients send Japanese names as UTF-8 bytes.
        name = x_actor.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        name = x_actor
    return name.strip() or principal.ref


async def get_ranker_provider(request: Request) -> RankerProvider:
    """The app's ranker provider (built in the lifespan; refits when the catalog changes)."""
    provider: RankerProvider = request.app.state.ranker
    return provider


SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the commit runs before the response is sent, so a failed commit is an
# error response rather than a 2xx for data that was never stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ActorDep = Annotated[str, Depends(get_actor)]
RankerDep = Annotated[RankerProvider, Depends(get_ranker_provider)]


def _too_large(field: str, value: int, maximum: int) -> RequestValidationError:
    return RequestValidationError(
        [
            {
                "type": "less_than_equal",
                "loc": ("query", field),
                "msg": f"Input should be less than or equal to {maximum}",
                "input": value,
                "ctx": {"le": maximum},
            }
        ]
    )


@dataclass(frozen=True)
class OffsetPaging:
    """``offset`` / ``limit`` paging of the catalog API."""

    offset: int
    limit: int


def offset_paging(
    settings: SettingsDep,
    offset: Annotated[
        int, Query(ge=0, le=MAX_OFFSET, description="Number of resources to skip.")
    ] = 0,
    limit: Annotated[
        int,
        Query(ge=1, description="Page size; at most the server's page_size_max (default 500)."),
    ] = 50,
) -> OffsetPaging:
    """Validated paging; a limit above ``page_size_max`` is a 422, not a slow query."""
    if limit > settings.page_size_max:
        raise _too_large("limit", limit, settings.page_size_max)
    return OffsetPaging(offset=offset, limit=limit)


@dataclass(frozen=True)
class PageNumberPaging:
    """HSDS ``page`` (1-based) / ``per_page`` paging."""

    page: int
    per_page: int


def page_number_paging(
    settings: SettingsDep,
    page: Annotated[int, Query(ge=1, le=MAX_OFFSET, description="Page number, starting at 1.")] = 1,
    per_page: Annotated[
        int, Query(ge=1, description="Results per page; at most page_size_max.")
    ] = 50,
) -> PageNumberPaging:
    """Validated HSDS paging; page * per_page stays far below any integer limit."""
    if per_page > settings.page_size_max:
        raise _too_large("per_page", per_page, settings.page_size_max)
    return PageNumberPaging(page=page, per_page=per_page)


OffsetPagingDep = Annotated[OffsetPaging, Depends(offset_paging)]
PageNumberPagingDep = Annotated[PageNumberPaging, Depends(page_number_paging)]


def parse_if_match(value: str) -> int | None:
    """The version named by an ``If-Match`` value; ``*`` means any version (None).

    Accepts ``"3"``, ``W/"3"`` and bare ``3``. A tag that names no version can never match:
    it becomes ``NO_VERSION``, which the service answers with 412 as RFC 9110 says for a
    failed If-Match, after the body was validated (so a bad body is still a 422).
    """
    tag = value.strip()
    if tag == "*":
        return None
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    if tag.isdecimal() and len(tag) <= 18:
        return int(tag)
    return NO_VERSION


# One entity tag (RFC 9110: ``"3"``, ``W/"3"``), ``*``, or a bare version number; anything else
# is malformed (422, with the body's errors). A well-formed tag naming no version is a 412.
ETAG_PATTERN = r'^\s*(\*|(W/)?"[\x21\x23-\x7e]*"|[0-9]{1,18})\s*$'


def required_if_match(
    if_match: Annotated[
        str | None,
        Header(
            max_length=200,
            pattern=ETAG_PATTERN,
            description='ETag of the version you edited, e.g. `"3"` (required; `*` = any).',
        ),
    ] = None,
) -> int | None:
    """The expected version for a replace; a missing If-Match is 428 (lost-update guard)."""
    if if_match is None:
        raise ApiError(
            428,
            "precondition_required",
            "If-Match ヘッダー(取得時の ETag)が必要です / "
            "The If-Match header (the ETag you read) is required.",
        )
    return parse_if_match(if_match)


def optional_if_match(
    if_match: Annotated[
        str | None,
        Header(
            max_length=200,
            pattern=ETAG_PATTERN,
            description='ETag of the version you saw, e.g. `"3"` (optional).',
        ),
    ] = None,
) -> int | None:
    """The expected version when the client sent one; otherwise no check."""
    return None if if_match is None else parse_if_match(if_match)


RequiredIfMatchDep = Annotated[int | None, Depends(required_if_match)]
OptionalIfMatchDep = Annotated[int | None, Depends(optional_if_match)]

# PostgreSQL text cannot hold NUL: refuse it at the edge instead of failing in the driver.
NO_NUL = r"^[^\x00]*$"

ResourceIdPath = Annotated[
    str,
    Path(min_length=1, max_length=64, pattern=NO_NUL, description="resource_id", examples=["R001"]),
]


def valid_resource(resource_id: ResourceIdPath, session: SessionDep) -> StoredResource:
    """The resource named in the path; raises ResourceNotFound (404)."""
    return catalog.get_resource(session, resource_id)


ValidResourceDep = Annotated[StoredResource, Depends(valid_resource)]


def idempotency_key(
    idempotency_key: Annotated[
        str,
        Header(
            min_length=8,
            max_length=128,
            pattern=r"^[\x21-\x7e]+$",
            description="A key unique to this request (e.g. a UUID); a retry with the same key "
            "returns the entry made the first time (200 instead of 201).",
            examples=["3f0c9a52-6a0e-4b8e-9d55-2f1f3f2a7c10"],
        ),
    ],
) -> str:
    """The ``Idempotency-Key`` header (required; 422 when missing or malformed)."""
    return idempotency_key


IdempotencyKeyDep = Annotated[str, Depends(idempotency_key)]
