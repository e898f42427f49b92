"""Security headers on every response (pure ASGI middleware, so errors get them too).

HTML pages get a Content-Security-Policy that allows only this origin's scripts and styles
(the templates carry no inline script, handler or style attribute) and no framing; JSON and
files get a deny-all policy, since a browser should never render them as a page. A route can
set its own ``Content-Security-Policy`` (the API docs do); the middleware then leaves it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HTML_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
OTHER_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds CSP, framing, sniffing and referrer headers unless the response set them."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)
                is_html = headers.get("content-type", "").startswith("text/html")
                headers.setdefault("Content-Security-Policy", HTML_CSP if is_html else OTHER_CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)
