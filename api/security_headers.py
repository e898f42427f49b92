"""Security headers on every response (pure ASGI middleware, so errors get them too).

HTML pages get a Content-Security-Policy that allows only this origin's scripts and styles
(the templates carry no inline script, handler or style attribute) and no framing; JSON and
files get a deny-all policy, since a browser should never render them as a page. A route can
set its own ``Content-Security-Policy`` (the API docs do); the middleware then leaves it.
"""

from __future__ import annotations

from collections.abc import Iterable

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
# The same as raw ASGI header pairs (lower-case names, as Starlette's MutableHeaders writes
# them), built once: every response passes through here.
_COMMON_RAW = [
    (name.lower().encode("latin-1"), value.encode("latin-1"))
    for name, value in COMMON_HEADERS.items()
]
_CSP = b"content-security-policy"
_HTML_CSP_RAW = HTML_CSP.encode("latin-1")
_OTHER_CSP_RAW = OTHER_CSP.encode("latin-1")


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
                message["headers"] = _with_security_headers(message.get("headers", ()))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _with_security_headers(raw: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``raw`` with each missing security header appended (what ``setdefault`` on Starlette's
    ``MutableHeaders`` did, in the same order, with one pass over the response's headers)."""
    headers = list(raw)
    present = set()
    content_type: bytes | None = None
    # Names are compared as sent, lower-case per ASGI (as MutableHeaders compares them);
    # the first Content-Type counts, as in ``Headers.get``.
    for name, value in headers:
        present.add(name)
        if name == b"content-type" and content_type is None:
            content_type = value
    headers.extend(pair for pair in _COMMON_RAW if pair[0] not in present)
    if _CSP not in present:
        is_html = content_type is not None and content_type.startswith(b"text/html")
        headers.append((_CSP, _HTML_CSP_RAW if is_html else _OTHER_CSP_RAW))
    return headers
