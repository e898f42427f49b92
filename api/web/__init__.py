"""The coordinators' web app (Japanese, server-rendered): ``setup_web(app, settings)``.

Pages live at the site root (``/login``, ``/dashboard``, ``/people``, ``/catalog``, ``/fees``)
beside the JSON API under ``/api``; static files are served from ``/static`` (no CDN).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from api.settings import Settings
from api.web.session import ABSOLUTE_SECONDS, SESSION_COOKIE

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def setup_web(app: FastAPI, settings: Settings) -> None:
    """Add the session middleware, the static files and the page routers to ``app``."""
    from api.web.routers import ROUTERS

    secret = (
        settings.secret_key.get_secret_value()
        if settings.secret_key is not None
        # No key configured (tests, a first local run): sessions last as long as the process.
        else secrets.token_urlsafe(48)
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=ABSOLUTE_SECONDS,
        same_site="lax",
        # TSUNAGU_COOKIE_SECURE decides; unset, localhost is served over plain HTTP in
        # development and anywhere else only over HTTPS.
        https_only=(
            settings.cookie_secure
            if settings.cookie_secure is not None
            else settings.host not in LOCAL_HOSTS
        ),
    )
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in ROUTERS:
        app.include_router(router)
