"""Signed-cookie sessions for the web pages: sign-in, the current principal, CSRF tokens.

The session cookie is signed (itsdangerous, through Starlette's SessionMiddleware) and holds
only the user id, the sign-in time, the display name and the CSRF token. Every request
reloads the user, so a deactivated account or a changed role takes effect at once.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from api.deps import SessionDep
from casework import repository as casework_repo
from casework.permissions import Principal, has_permission
from casework.services.accounts import principal_for_user

SESSION_COOKIE = "tsunagu_session"
# Idle expiry when the settings do not say (TSUNAGU_SESSION_IDLE_MINUTES): checked on the
# server against the last request's time kept in the signed cookie, so an idle session is
# told apart from no session and the sign-in page can say why.
DEFAULT_IDLE_MINUTES = 30
# Absolute expiry: a sign-in is good for one working day at most (also the cookie's life).
ABSOLUTE_SECONDS = 10 * 60 * 60
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


class LoginRequired(Exception):
    """No valid session: the page handler redirects to the sign-in page."""

    def __init__(self, next_url: str, *, idle: bool = False) -> None:
        super().__init__("login required")
        self.next_url = next_url
        self.idle = idle


def _now() -> float:
    """Seconds since the epoch (one place, so tests can move the clock)."""
    return time.time()


def idle_minutes(request: Request) -> int:
    """The idle limit of web sessions, from the app's settings."""
    settings = getattr(request.app.state, "settings", None)
    return int(getattr(settings, "session_idle_minutes", DEFAULT_IDLE_MINUTES))


class PageForbidden(Exception):
    """The signed-in user's role does not allow this page."""

    def __init__(self, permission: str) -> None:
        super().__init__(f"forbidden: {permission}")
        self.permission = permission


class CsrfFailed(Exception):
    """A POST without the session's CSRF token."""


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def form_data(request: Request) -> FormData:
    """The request's form (parsed once; sync routes receive it through this dependency)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


async def verify_csrf(request: Request) -> None:
    """Refuse unsafe methods whose token (form field or header) is not the session's."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not (isinstance(expected, str) and sent and hmac.compare_digest(expected, sent)):
        raise CsrfFailed()


def sign_in(request: Request, principal: Principal, display_name: str) -> None:
    """Start a fresh session for the user (a new CSRF token guards against fixation)."""
    request.session.clear()
    request.session.update(
        {
            "uid": principal.id,
            "name": display_name,
            "role": principal.role,
            "login_at": int(_now()),
            "seen_at": int(_now()),
            "csrf": secrets.token_urlsafe(32),
        }
    )


def sign_out(request: Request) -> None:
    """End the session."""
    request.session.clear()


def _client(request: Request) -> tuple[str | None, str | None]:
    ip = request.client.host if request.client else None
    return ip, (request.headers.get("user-agent") or "")[:200] or None


def session_principal(request: Request, session: Session) -> Principal | None:
    """The principal of the signed-in user, or None (no session, expired, deactivated)."""
    uid = request.session.get("uid")
    login_at = request.session.get("login_at")
    if not isinstance(uid, int) or not isinstance(login_at, int):
        return None
    now = int(_now())
    if now - login_at > ABSOLUTE_SECONDS:
        request.session.clear()
        return None
    seen_at = request.session.get("seen_at")
    if not isinstance(seen_at, int) or now - seen_at > idle_minutes(request) * 60:
        request.session.clear()
        request.state.session_idle = True
        return None
    request.session["seen_at"] = now
    user = casework_repo.get_staff_user(session, uid)
    if user is None or not user.active:
        request.session.clear()
        return None
    ip, client = _client(request)
    return principal_for_user(user, ip=ip, client=f"web {client}" if client else "web")


def current_principal(request: Request, session: SessionDep) -> Principal:
    """The signed-in principal; redirects to the sign-in page when there is none."""
    principal = session_principal(request, session)
    if principal is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target, idle=getattr(request.state, "session_idle", False))
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(current_principal)]


def require(principal: Principal, permission: str) -> None:
    """Raise PageForbidden unless the role has ``permission`` (pages check before work)."""
    if not has_permission(principal, permission):
        raise PageForbidden(permission)


def client_info(request: Request) -> dict[str, Any]:
    """ip and user agent for authenticate_user."""
    ip, client = _client(request)
    return {"ip": ip, "client": f"web {client}" if client else "web"}
