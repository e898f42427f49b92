"""/docs and /redoc work on an isolated network: every asset is served by the app."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

ASSET_RE = re.compile(r"""(?:src|href|spec-url|data-openapi-url)\s*=\s*["']([^"']+)["']""")


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_page_references_no_external_host_and_its_assets_load(
    client: TestClient, path: str
) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    urls = ASSET_RE.findall(page.text)
    assert urls, "the page references no assets"
    assert not re.search(r"https?://|//[a-z]", page.text.replace("<!doctype html>", ""))
    for url in urls:
        assert url.startswith("/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 0
    # No inline script: every <script> has a src, and the policy allows only this origin.
    scripts = re.findall(r"<script\b[^>]*>", page.text)
    assert scripts and all("src=" in tag for tag in scripts)
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp


def test_swagger_ui_is_started_by_a_static_file_pointing_at_the_schema(
    client: TestClient,
) -> None:
    page = client.get("/docs").text
    assert 'data-openapi-url="/openapi.json"' in page
    init = client.get("/static/swagger-init.js").text
    assert "SwaggerUIBundle(" in init and "data-openapi-url" in init
    assert client.get("/openapi.json").json()["info"]["title"].startswith("Tsunagu")
