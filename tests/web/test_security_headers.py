"""Security headers on pages, JSON and files; templates free of inline script and style;
the session cookie's flags."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from api.security_headers import HTML_CSP
from tests.web.conftest import Web, csrf_of, intake

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "templates"


def _csp_directives(value: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in value.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def _assert_page_headers(response: Any) -> None:
    headers = response.headers
    assert headers["content-type"].startswith("text/html"), response.url
    csp = _csp_directives(headers["content-security-policy"])
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_every_page_a_coordinator_visits_carries_the_headers(web: Web) -> None:
    web.client.cookies.clear()
    for path in ("/", "/login"):
        _assert_page_headers(web.client.get(path))
    web.login(web.add_user("coordinator"))
    person_id = intake(web)
    for path in ("/dashboard", "/people", f"/people/{person_id}", "/catalog", "/people/99999"):
        _assert_page_headers(web.client.get(path))


def test_a_failed_sign_in_page_carries_the_headers(web: Web) -> None:
    web.client.cookies.clear()
    page = web.client.get("/login")
    response = web.client.post(
        "/login",
        data={"username": "x", "password": "y", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 401
    _assert_page_headers(response)


@pytest.mark.parametrize("path", ["/health", "/api/v1/people", "/static/tsunagu.js", "/nowhere"])
def test_json_and_files_get_a_deny_all_policy(web: Web, path: str) -> None:
    response = web.client.get(path)
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_templates_hold_no_inline_script_handler_or_style() -> None:
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        html = template.read_text(encoding="utf-8")
        for tag in re.findall(r"<script\b[^>]*>", html):
            if "src=" not in tag:
                offenders.append(f"{template.name}: inline {tag}")
        if re.search(r"\son[a-z]+\s*=", html):
            offenders.append(f"{template.name}: inline event handler")
        if re.search(r"\sstyle\s*=", html) or "<style" in html:
            offenders.append(f"{template.name}: inline style")
        if re.search(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html):
            offenders.append(f"{template.name}: external asset")
    assert offenders == []
    assert "unsafe-inline" not in HTML_CSP


def _session_cookie(make_web: Callable[..., Any], **settings: Any) -> str:
    """The Set-Cookie of the session that the sign-in page starts (for its CSRF token)."""
    with make_web(**settings) as web:
        web.client.cookies.clear()
        response = web.client.get("/login")
        cookies = [v for k, v in response.headers.multi_items() if k == "set-cookie"]
        return next(c for c in cookies if c.startswith("tsunagu_session="))


def test_session_cookie_is_httponly_samesite_and_secure_when_configured(
    make_web: Callable[..., Any],
) -> None:
    secure = _session_cookie(make_web, cookie_secure=True).lower()
    assert "httponly" in secure and "samesite=lax" in secure and "secure" in secure.split("; ")
    plain = _session_cookie(make_web, cookie_secure=False).lower()
    assert "httponly" in plain and "secure" not in plain.split("; ")
