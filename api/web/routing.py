"""The route class of the web pages: domain errors become Japanese HTML pages, not JSON.

The JSON API maps errors in api/errors.py; pages need a page, so their router uses this
route class and the two never fight over a global handler.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.routing import APIRoute
from starlette.responses import RedirectResponse, Response

from api.web.forms import domain_message
from api.web.session import CsrfFailed, LoginRequired, PageForbidden
from api.web.templating import render
from casework.errors import CaseworkError, Forbidden, NotFound
from resources_catalog.errors import CatalogError, ResourceNotFound

logger = logging.getLogger(__name__)


def error_page(request: Request, status: int, title: str, message: str) -> Response:
    """The error page in the site layout."""
    return render(
        request, "web/error.html", {"title": title, "message": message}, status_code=status
    )


class WebRoute(APIRoute):
    """An APIRoute whose errors render as pages (sign-in redirect, 403, 404, 409)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired as exc:
                idle = "&idle=1" if exc.idle else ""
                return RedirectResponse(f"/login?next={quote(exc.next_url)}{idle}", status_code=303)
            except CsrfFailed:
                return error_page(
                    request,
                    403,
                    "送信を受け付けられませんでした",
                    "フォームの有効期限が切れたか、別の画面から送信されました。"
                    "ページを読み込み直してからもう一度送信してください。",
                )
            except (PageForbidden, Forbidden) as exc:
                message = (
                    domain_message(exc)
                    if isinstance(exc, Forbidden)
                    else "この画面を使う権限がありません。"
                )
                return error_page(request, 403, "権限がありません", message)
            except (NotFound, ResourceNotFound):
                return error_page(
                    request,
                    404,
                    "見つかりません",
                    "対象が見つかりません（削除された可能性があります）。",
                )
            except CaseworkError as exc:
                return error_page(
                    request, exc.http_status, "操作できませんでした", domain_message(exc)
                )
            except CatalogError as exc:
                logger.info("catalog error on a page: %s", exc.__class__.__name__)
                return error_page(request, 409, "操作できませんでした", str(exc))

        return page_handler
