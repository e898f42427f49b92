"""The route class of the web pages: domain errors become Japanese HTML pages, not JSON.

The JSON API maps errors in api/errors.py; pages need a page, so their router uses this
route class and the two never fight over a global handler.

A form's handler does not catch domain refusals itself. It names the page to go back to with
``on_refusal(...)``; a refusal raised while it runs is rolled back, its Japanese message is
flashed, and the browser is sent back there (post/redirect/get). Without one a refusal
renders the error page. Either way nothing the failed request wrote is committed: the unit
of work only sees a normal return, so the rollback happens here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from api.web.forms import domain_message
from api.web.session import CsrfFailed, LoginRequired, PageForbidden
from api.web.templating import flash, render
from casework.errors import CaseworkError, Forbidden, NotFound
from resources_catalog.errors import CatalogError, ResourceNotFound

logger = logging.getLogger(__name__)


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    """The error page in the site layout."""
    return render(
        request, "web/error.html", {"title": title, "message": message}, status_code=status
    )


def on_refusal(path: str) -> Any:
    """Route dependency: a refusal in this handler flashes and redirects to ``path``.

    ``path`` may name the route's path parameters (``/plans/{plan_id}``).
    """

    def _remember(request: Request) -> None:
        refusal_target(request, path.format(**request.path_params))

    return Depends(_remember)


def refusal_target(request: Request, path: str) -> None:
    """Where a refusal raised from here on sends the browser (a target known only from the
    form, such as the page the form was embedded in)."""
    request.state.back_to = path


def form_refusal(session: Session, exc: CaseworkError, key: str = "_form") -> dict[str, str]:
    """For a form shown again with its values: roll back what the refused call wrote and
    return the refusal as the form's own error (``key``: which form, on a page with several)."""
    session.rollback()
    return {key: domain_message(exc)}


async def _discard_writes(request: Request) -> None:
    session: Session | None = getattr(request.state, "db_session", None)
    if session is not None:
        await run_in_threadpool(session.rollback)


class WebRoute(APIRoute):
    """An APIRoute whose errors render as pages (sign-in redirect, 403, 404, 409)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except Exception as exc:
                await _discard_writes(request)
                return _as_page(request, exc)

        return page_handler


def _as_page(request: Request, exc: Exception) -> Response:
    """The page for an error raised by a page's handler (re-raises what is not ours)."""
    target: str | None = getattr(request.state, "back_to", None)
    if isinstance(exc, LoginRequired):
        idle = "&idle=1" if exc.idle else ""
        return RedirectResponse(f"/login?next={quote(exc.next_url)}{idle}", status_code=303)
    if isinstance(exc, CsrfFailed):
        return error_page(
            request,
            403,
            "送信を受け付けられませんでした",
            "フォームの有効期限が切れたか、別の画面から送信されました。"
            "ページを読み込み直してからもう一度送信してください。",
        )
    if isinstance(exc, PageForbidden):
        return error_page(request, 403, "権限がありません", "この画面を使う権限がありません。")
    if isinstance(exc, Forbidden):
        return error_page(request, 403, "権限がありません", domain_message(exc))
    if isinstance(exc, NotFound) and target is not None:
        # A form naming something that is gone: say so on the page the form came from (which
        # itself answers 404 when its own subject is gone).
        flash(request, domain_message(exc), "error")
        return RedirectResponse(target, status_code=303)
    if isinstance(exc, NotFound | ResourceNotFound):
        return error_page(
            request, 404, "見つかりません", "対象が見つかりません（削除された可能性があります）。"
        )
    if isinstance(exc, CaseworkError | CatalogError):
        if isinstance(exc, CatalogError):
            logger.info("catalog error on a page: %s", exc.__class__.__name__)
        message = domain_message(exc) if isinstance(exc, CaseworkError) else str(exc)
        if target is not None:
            flash(request, message, "error")
            return RedirectResponse(target, status_code=303)
        status = exc.http_status if isinstance(exc, CaseworkError) else 409
        return error_page(request, status, "操作できませんでした", message)
    raise exc
