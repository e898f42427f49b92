"""API documentation pages (/docs Swagger UI, /redoc ReDoc) that work on an isolated network.

FastAPI's own pages load Swagger UI and ReDoc from a public CDN, which a municipal network
without internet cannot reach. The assets come from the ``fastapi-offline`` package instead
(served under /static-docs), and the pages hold no inline script: Swagger UI starts from
/static/swagger-init.js, so the pages keep a script policy of this origin only.
"""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_ASSETS = Path(str(files("fastapi_offline") / "static"))
ASSETS_URL = "/static-docs"
# Swagger UI and ReDoc style themselves at run time (ReDoc injects <style> elements and
# starts a worker from a blob), so their pages allow inline styles and blob workers;
# scripts stay this origin's only.
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'; form-action 'self'"
)

router = APIRouter(include_in_schema=False)


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = (
        '<!doctype html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{head}</head>\n<body>\n{body}</body>\n</html>\n"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_CSP})


@router.get("/docs")
def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI for trying the API out, from local assets."""
    root = request.scope.get("root_path", "")
    spec = escape(f"{root}{request.app.openapi_url}")
    return _page(
        f"{request.app.title} - Swagger UI",
        f'<link rel="stylesheet" href="{root}{ASSETS_URL}/swagger-ui.css">\n'
        f'<link rel="icon" href="{root}{ASSETS_URL}/favicon.png">\n',
        f'<div id="swagger-ui" data-openapi-url="{spec}"></div>\n'
        f'<script src="{root}{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
        f'<script src="{root}/static/swagger-init.js"></script>\n',
    )


@router.get("/redoc")
def redoc(request: Request) -> HTMLResponse:
    """ReDoc reference pages, from local assets."""
    root = request.scope.get("root_path", "")
    spec = escape(f"{root}{request.app.openapi_url}")
    return _page(
        f"{request.app.title} - ReDoc",
        f'<link rel="icon" href="{root}{ASSETS_URL}/favicon.png">\n',
        f'<redoc spec-url="{spec}"></redoc>\n'
        f'<script src="{root}{ASSETS_URL}/redoc.standalone.js"></script>\n',
    )


def setup_docs(app: FastAPI) -> None:
    """Mount the packaged assets and the two pages (create the app with docs_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=DOCS_ASSETS), name="static-docs")
    app.include_router(router)
