"""Map domain errors to HTTP answers, in one place, with one stable JSON body.

Every error response is ``{"error": "<code>", "detail": <str | list | dict>}``. Human
messages are Japanese then English (``"…。 / …."``). A 500 means a bug: bad input always
gets a 4xx from a handler below.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from api.schemas.catalog import ImportReportOut, RowErrorOut
from casework.crypto import CryptoNotConfigured
from casework.errors import CaseworkError, InvalidDate
from matching import UnknownResourceError
from resources_catalog.errors import (
    CatalogError,
    ImportRejected,
    InvalidResource,
    ResourceAlreadyExists,
    ResourceNotFound,
    StaleVersion,
    UnsupportedFile,
)
from resources_catalog.records import control_characters_message

# Versions start at 1: an If-Match naming no version expects -1, which never matches.
NO_VERSION = -1

logger = logging.getLogger(__name__)


class ApiError(Exception):
    """An HTTP-level error raised by the API layer itself (not a domain rule)."""

    def __init__(
        self,
        status_code: int,
        error: str,
        detail: Any,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{error}: {detail}")
        self.status_code = status_code
        self.error = error
        self.detail = detail
        self.headers = dict(headers) if headers else None


def etag_for(version: int) -> str:
    """The ETag header value of a resource version (strong, quoted)."""
    return f'"{version}"'


def error_response(
    status_code: int, error: str, detail: Any, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """The one error body shape: ``{"error", "detail"}``."""
    return JSONResponse(
        status_code=status_code,
        content={"error": error, "detail": detail},
        headers=dict(headers) if headers else None,
    )


def _validation_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors without the echoed input (it may be large or personal)."""
    cleaned: list[dict[str, Any]] = []
    for err in errors:
        item: dict[str, Any] = {
            "type": str(err.get("type", "value_error")),
            "loc": [p if isinstance(p, int) else str(p) for p in err.get("loc", ())],
            "msg": control_characters_message(err) or str(err.get("msg", "")),
        }
        ctx = err.get("ctx")
        if ctx:
            item["ctx"] = {
                str(k): v if isinstance(v, int | float | str | bool) or v is None else str(v)
                for k, v in ctx.items()
            }
        cleaned.append(item)
    return cleaned


def _status_code_name(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "http_error"


async def _not_found(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ResourceNotFound)
    return error_response(
        404,
        "resource_not_found",
        f"受入先が見つかりません / Resource not found: {exc.resource_id}",
    )


async def _already_exists(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ResourceAlreadyExists)
    return error_response(
        409,
        "resource_already_exists",
        f"この ID の受入先は既に登録されています / Resource already exists: {exc.resource_id}",
    )


async def _stale_version(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StaleVersion)
    if exc.expected == NO_VERSION:
        # The If-Match tag named no version at all (api.deps.parse_if_match).
        sent = request.headers.get("if-match", "")[:80]
        return error_response(
            412,
            "precondition_failed",
            f"If-Match の値が版を表していません / If-Match names no version: {sent}",
            headers={"ETag": etag_for(exc.current)},
        )
    return error_response(
        412,
        "stale_version",
        {
            "message": (
                "他の人が先に更新しました。最新の内容を読み込み直してください / "
                "The resource was changed by someone else; reload it and try again."
            ),
            "resource_id": exc.resource_id,
            "expected_version": exc.expected,
            "current_version": exc.current,
        },
        headers={"ETag": etag_for(exc.current)},
    )


async def _unsupported_file(_: Request, exc: Exception) -> JSONResponse:
    return error_response(
        415,
        "unsupported_file",
        f"CSV・Excel (xlsx)・HSDS JSON のいずれかを送ってください / "
        f"Send a CSV, xlsx or HSDS JSON file: {exc}",
    )


async def _import_rejected(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ImportRejected)
    n = len(exc.report.errors)
    return error_response(
        422,
        "import_rejected",
        {
            "message": (
                f"{n} 件の誤りがあるため取り込みませんでした(変更なし) / "
                f"Import rejected: {n} error(s), nothing was changed."
            ),
            "report": ImportReportOut.from_report(exc.report).model_dump(mode="json"),
        },
    )


async def _invalid_resource(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InvalidResource)
    return error_response(
        422,
        "invalid_resource",
        {
            "message": (
                "受入先の内容に誤りがあります / The resource breaks a catalog rule: "
                f"{exc.resource_id}"
            ),
            "errors": [RowErrorOut.from_row_error(e).model_dump(mode="json") for e in exc.errors],
        },
    )


async def _catalog_error(_: Request, exc: Exception) -> JSONResponse:
    # An unmapped domain rule is still a refusal of this request, not a crash.
    return error_response(400, "catalog_error", str(exc))


async def _api_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status_code, exc.error, exc.detail, exc.headers)


async def _request_validation(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return error_response(422, "validation_error", _validation_errors(exc.errors()))


async def _domain_validation(_: Request, exc: Exception) -> JSONResponse:
    # A domain schema built inside a route refused a value: the caller's input, so 422.
    assert isinstance(exc, ValidationError)
    return error_response(422, "validation_error", _validation_errors(exc.errors()))


def allowed_methods(request: Request, answered: str | None = None) -> list[str]:
    """Every method this path answers: the documented operations plus the route Starlette
    found (which names only the first of several routes sharing a path)."""
    methods = {m.strip().upper() for m in (answered or "").split(",") if m.strip()}
    path = request.url.path
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            methods |= {m.upper() for m in operations if m in _HTTP_METHODS}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        allowed = allowed_methods(request, headers.get("Allow"))
        if allowed:
            headers["Allow"] = ", ".join(allowed)
    return error_response(
        exc.status_code,
        _status_code_name(exc.status_code),
        exc.detail,
        headers=headers or None,
    )


async def _casework_error(_: Request, exc: Exception) -> JSONResponse:
    # Every casework error carries its status and code: one generic mapping for all of them.
    assert isinstance(exc, CaseworkError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.http_status == 401 else None
    if exc.http_status >= 500:
        logger.error("casework error %s on the server side", exc.code)
    if isinstance(exc, InvalidDate):
        # Say which field as data, so a client can put the message beside it.
        detail: Any = {"field": exc.field, "message": str(exc)}
        return error_response(exc.http_status, exc.code, detail, headers)
    return error_response(exc.http_status, exc.code, str(exc), headers)


async def _unknown_resource(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UnknownResourceError)
    resource_id = exc.args[0] if exc.args else ""
    return error_response(
        404,
        "resource_not_found",
        f"受入先が見つかりません / Resource not found: {resource_id}",
    )


async def _crypto_not_configured(_: Request, exc: Exception) -> JSONResponse:
    logger.error("TSUNAGU_ENCRYPTION_KEY is not set; casework records cannot be stored")
    return error_response(
        503,
        "encryption_not_configured",
        "暗号鍵が設定されていません / The server has no TSUNAGU_ENCRYPTION_KEY configured.",
    )


async def _integrity_error(request: Request, exc: Exception) -> JSONResponse:
    # Last guard: the services check references first; a constraint the database still
    # refuses (a concurrent insert, an id that vanished meanwhile) is a conflict, not a crash.
    logger.warning("integrity error on %s %s", request.method, request.url.path)
    return error_response(
        409,
        "integrity_conflict",
        "参照先が存在しないか、同時に変更されました / "
        "A referenced record does not exist or was changed at the same time.",
    )


async def _data_error(request: Request, exc: Exception) -> JSONResponse:
    # The database refused a value (too long for its column, out of range): bad input.
    logger.warning("data error on %s %s", request.method, request.url.path)
    return error_response(
        422,
        "invalid_value",
        "値がデータベースの制約に合いません(長すぎる・範囲外) / "
        "A value does not fit its column (too long or out of range).",
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(
        500,
        "internal_error",
        "サーバー内部の不具合です / Internal server error (this is a bug).",
    )


Handler = Callable[[Request, Exception], Awaitable[Response]]


def _for_browsers(handler: Handler) -> Handler:
    """The same handler, but a browser opening a page gets the Japanese error page."""

    async def answer(request: Request, exc: Exception) -> Response:
        # Imported here: the web package depends on api.deps, which depends on this module.
        from api.web.error_pages import error_page_response, wants_html

        response = await handler(request, exc)
        if not wants_html(request):
            return response
        kept = {k: v for k, v in response.headers.items() if k.lower() in ("allow", "retry-after")}
        return error_page_response(request, response.status_code, kept or None)

    return answer


def register_error_handlers(app: FastAPI) -> None:
    """Install every handler; more specific exception classes win over their bases.

    Each answers JSON to API clients and the Japanese error page to browsers.
    """
    for exc_class, handler in _HANDLERS:
        app.add_exception_handler(exc_class, _for_browsers(handler))


# More specific exception classes win over their bases, whatever the order.
_HANDLERS: list[tuple[type[Exception], Handler]] = [
    (ResourceNotFound, _not_found),
    (ResourceAlreadyExists, _already_exists),
    (StaleVersion, _stale_version),
    (UnsupportedFile, _unsupported_file),
    (ImportRejected, _import_rejected),
    (InvalidResource, _invalid_resource),
    (CatalogError, _catalog_error),
    (ApiError, _api_error),
    (CaseworkError, _casework_error),
    (UnknownResourceError, _unknown_resource),
    (CryptoNotConfigured, _crypto_not_configured),
    (IntegrityError, _integrity_error),
    (DataError, _data_error),
    (RequestValidationError, _request_validation),
    (ValidationError, _domain_validation),
    (StarletteHTTPException, _http_exception),
    (Exception, _unexpected),
]
