"""The security headers are added to the raw ASGI headers exactly as ``setdefault`` did."""

from __future__ import annotations

import pytest
from starlette.datastructures import MutableHeaders

from api.security_headers import COMMON_HEADERS, HTML_CSP, OTHER_CSP, _with_security_headers


def _as_mutable_headers_did(raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    message = {"headers": list(raw)}
    headers = MutableHeaders(scope=message)
    for name, value in COMMON_HEADERS.items():
        headers.setdefault(name, value)
    is_html = headers.get("content-type", "").startswith("text/html")
    headers.setdefault("Content-Security-Policy", HTML_CSP if is_html else OTHER_CSP)
    return list(message["headers"])


@pytest.mark.parametrize(
    "raw",
    [
        [],
        [(b"content-type", b"application/json"), (b"content-length", b"10")],
        [(b"content-type", b"text/html; charset=utf-8")],
        [(b"content-type", b"text/html"), (b"x-frame-options", b"SAMEORIGIN")],
        [(b"content-security-policy", b"default-src 'self'"), (b"content-type", b"text/html")],
        [(b"content-type", b"text/plain"), (b"content-type", b"text/html")],
        [(b"Content-Type", b"text/html")],
    ],
)
def test_same_headers_in_the_same_order(raw: list[tuple[bytes, bytes]]) -> None:
    assert _with_security_headers(raw) == _as_mutable_headers_did(raw)
