"""Japanese error pages for browsers: any URL a person opens answers a page, never raw JSON.

The JSON API keeps its ``{"error", "detail"}`` body (api/errors.py); this module only decides
whether a request comes from a browser and renders ``web/error.html`` for it. It renders
without the session where the session is not available (a 500 is handled outside the
session middleware), so an error page can never fail in turn.
"""

from __future__ import annotations

import logging

from fastapi import Request
from starlette.responses import Response

from api.web.templating import templates

logger = logging.getLogger(__name__)

# Machine interfaces keep JSON whatever the client accepts.
_API_PREFIXES = ("/api/", "/hsds", "/health", "/openapi.json", "/static/")

ERROR_TEXT: dict[int, tuple[str, str]] = {
    400: ("送信内容を受け付けられませんでした", "入力内容を確かめて、もう一度送信してください。"),
    403: ("権限がありません", "この画面を使う権限がありません。"),
    404: ("ページが見つかりません", "お探しのページは見つかりません。アドレスを確かめてください。"),
    405: ("この操作はできません", "この画面ではその操作を受け付けていません。"),
    409: ("操作できませんでした", "ほかの記録と食い違うため、操作できませんでした。"),
    412: ("ほかの人が先に変更しました", "画面を読み込み直してから、もう一度操作してください。"),
    413: ("ファイルが大きすぎます", "もっと小さいファイルを選んでください。"),
    422: ("入力内容に誤りがあります", "入力内容を確かめて、もう一度送信してください。"),
    429: ("しばらくお待ちください", "操作が続いたため、少し時間をおいてからお試しください。"),
    500: (
        "システムの不具合です",
        "申し訳ありません。システムで問題が起きました。管理者に連絡してください。",
    ),
    503: ("ただいま利用できません", "しばらくしてからもう一度お試しください。"),
}  # fmt: skip


def wants_html(request: Request) -> bool:
    """A browser asking for a page: Accept names text/html and the path is not an API."""
    path = request.url.path
    if path == "/api" or path.startswith(_API_PREFIXES):
        return False
    return "text/html" in request.headers.get("accept", "")


def error_page_response(
    request: Request, status: int, headers: dict[str, str] | None = None
) -> Response:
    """The Japanese error page for ``status`` (title and message in the coordinator's words)."""
    title, message = ERROR_TEXT.get(
        status,
        ERROR_TEXT[500] if status >= 500 else ("操作できませんでした", "もう一度お試しください。"),
    )
    signed_in = "session" in request.scope and bool(request.session.get("uid"))
    context = {
        "title": title,
        "message": message,
        "status": status,
        # The layout's menu needs a principal; an error page shows only the way back.
        "principal": None,
        "user_name": None,
        "csrf_token": "",
        "messages": [],
        "can": lambda _permission: False,
        "errors": {},
        "form": {},
        "signed_in": signed_in,
    }
    response = templates.TemplateResponse(
        request, "web/error.html", context, status_code=status, headers=headers
    )
    response.headers["Cache-Control"] = "no-store"
    return response
