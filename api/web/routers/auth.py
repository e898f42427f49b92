"""ログイン / ログアウト."""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import text
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import (
    FormDep,
    client_info,
    csrf_token,
    idle_minutes,
    session_principal,
    sign_in,
    sign_out,
    verify_csrf,
)
from api.web.templating import fmt_date, render
from casework import repository as casework_repo
from casework.errors import AuthenticationFailed
from casework.permissions import Principal
from casework.services import accounts, second_factor, sign_in_guard

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
    return render(request, "web/login.html", _login_context(request, _safe_next(next)))


# How long the code step waits after a right password before starting again.
PENDING_SECONDS = 5 * 60


def _login_context(request: Request, target: str, **extra: object) -> dict[str, object]:
    minutes = idle_minutes(request)
    context: dict[str, object] = {"next": target, "title": "ログイン", "idle_minutes": minutes}
    if request.query_params.get("idle") == "1":
        context["idle_notice"] = (
            f"操作がないまま{minutes}分たったため、自動的にログアウトしました。"
            "もう一度ログインしてください。"
        )
    return {**context, **extra}


def _login_again(
    request: Request, target: str, error: str, status_code: int, **extra: object
) -> Response:
    """The sign-in form again with the reason it did not go through."""
    return render(
        request,
        "web/login.html",
        _login_context(request, target, login_error=error, **extra),
        status_code=status_code,
    )


def _sign_in_refused(
    request: Request, target: str, refused: sign_in_guard.SignInRefused, **extra: object
) -> Response:
    """429 while sign-ins are held back, saying (and telling the client) when to try again."""
    response = _login_again(request, target, refused_message(refused), 429, **extra)
    response.headers["Retry-After"] = str(refused.retry_after)
    return response


def _start_session(request: Request, session: SessionDep, principal: Principal, name: str) -> None:
    user = casework_repo.get_staff_user(session, principal.id)
    sign_in(request, principal, user.display_name if user else name)


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
        return _sign_in_refused(request, target, refused, form={"username": username})
    except second_factor.SecondFactorRequired as required:
        # The password was right; the session holds only who is half-way, until when.
        request.session.clear()
        request.session.update(
            {
                "pending_uid": required.user_id,
                "pending_until": int(time.time()) + PENDING_SECONDS,
                "pending_next": target,
                "csrf": csrf_token(request),
            }
        )
        return render(request, "web/login_code.html", {"title": "確認コード"})
    except AuthenticationFailed:
        # The failed attempt is audited; keep that row (the unit of work commits).
        return _login_again(
            request,
            target,
            "ユーザー名またはパスワードが違います。",
            401,
            form={"username": username},
        )
    _start_session(request, session, principal, username)
    return see_other(target)


@router.post("/login/code", dependencies=[Depends(verify_csrf)])
def login_code(request: Request, session: SessionDep, form: FormDep) -> Response:
    """The second step of a sign-in with TOTP: a code from the app or a recovery code."""
    uid = request.session.get("pending_uid")
    until = request.session.get("pending_until")
    target = _safe_next(request.session.get("pending_next"))
    if not isinstance(uid, int) or not isinstance(until, int) or time.time() > until:
        request.session.clear()
        return _login_again(request, target, "時間切れです。もう一度ログインしてください。", 401)
    code = text(form, "code") or ""
    try:
        principal = second_factor.verify_second_factor(session, uid, code, **client_info(request))
    except sign_in_guard.SignInRefused as refused:
        request.session.clear()
        return _sign_in_refused(request, target, refused)
    except AuthenticationFailed:
        return render(
            request,
            "web/login_code.html",
            {"title": "確認コード", "login_error": "確認コードが違います。"},
            status_code=401,
        )
    _start_session(request, session, principal, "")
    return see_other(target)


@router.post("/logout", dependencies=[Depends(verify_csrf)])
def logout(request: Request) -> Response:
    """End the session."""
    sign_out(request)
    return see_other("/login")
