"""ログイン / ログアウト."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import text
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import (
    FormDep,
    client_info,
    session_principal,
    sign_in,
    sign_out,
    verify_csrf,
)
from api.web.templating import fmt_date, render
from casework import repository as casework_repo
from casework.errors import AuthenticationFailed
from casework.services import accounts, sign_in_guard

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/dashboard"


def refused_message(refused: sign_in_guard.SignInRefused) -> str:
    """The Japanese notice of a refused sign-in: why, and until when (JST)."""
    if refused.kind == "throttled":
        return (
            "ログインの失敗が続いています。"
            f"{refused.retry_after}秒ほど待ってから、もう一度お試しください。"
        )
    until = fmt_date(refused.until, "ymdhm")
    if refused.scope == "address":
        return (
            "この接続元からのログイン失敗が多いため、一時的にログインを受け付けていません。"
            f"{until}（日本時間）以降にもう一度お試しいただくか、管理者にご連絡ください。"
        )
    return (
        "ログインの失敗が続いたため、このアカウントを一時的にロックしました。"
        f"{until}（日本時間）以降にもう一度お試しいただくか、"
        "管理者にロックの解除を依頼してください。"
    )


@router.get("/login")
def login_page(request: Request, session: SessionDep, next: str | None = None) -> Response:
    """The sign-in form (signed-in users go straight on)."""
    if session_principal(request, session) is not None:
        return see_other(_safe_next(next))
    return render(request, "web/login.html", {"next": _safe_next(next), "title": "ログイン"})


@router.post("/login", dependencies=[Depends(verify_csrf)])
def login(request: Request, session: SessionDep, form: FormDep) -> Response:
    """Check the password, start a session, go to the page asked for."""
    username = text(form, "username") or ""
    password = form.get("password")
    target = _safe_next(text(form, "next"))
    try:
        principal = accounts.authenticate_user(
            session, username, password if isinstance(password, str) else "", **client_info(request)
        )
    except sign_in_guard.SignInRefused as refused:
        # Recorded and audited by the service; the unit of work commits those rows.
        response = render(
            request,
            "web/login.html",
            {
                "title": "ログイン",
                "next": target,
                "form": {"username": username},
                "login_error": refused_message(refused),
            },
            status_code=429,
        )
        response.headers["Retry-After"] = str(refused.retry_after)
        return response
    except AuthenticationFailed:
        # The failed attempt is audited; keep that row (the unit of work commits).
        return render(
            request,
            "web/login.html",
            {
                "title": "ログイン",
                "next": target,
                "form": {"username": username},
                "login_error": "ユーザー名またはパスワードが違います。",
            },
            status_code=401,
        )
    user = casework_repo.get_staff_user(session, principal.id)
    sign_in(request, principal, user.display_name if user else username)
    return see_other(target)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    """End the session."""
    sign_out(request)
    return see_other("/login")
