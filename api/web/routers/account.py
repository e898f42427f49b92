"""自分のアカウント: パスワードの変更と二段階認証（TOTP）の設定."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.forms import domain_message, text
from api.web.routing import WebRoute
from api.web.session import FormDep, PrincipalDep, verify_csrf
from api.web.templating import render
from casework import repository as casework_repo
from casework.errors import AuthenticationFailed, CaseworkError, InvalidInput, NotFound
from casework.services import accounts, second_factor

router = APIRouter(route_class=WebRoute, include_in_schema=False)

# The services speak English; the pages say the same in Japanese.
_MESSAGES = {
    "the current password is wrong": "現在のパスワードが違います。",
    "the new password must differ from the current one": (
        "新しいパスワードは現在のものと別にしてください。"
    ),
    f"a password has at least {accounts.MIN_PASSWORD_LENGTH} characters": (
        f"パスワードは{accounts.MIN_PASSWORD_LENGTH}文字以上にしてください。"
    ),
    f"a password has at most {accounts.MAX_PASSWORD_LENGTH} characters": (
        f"パスワードは{accounts.MAX_PASSWORD_LENGTH}文字以内にしてください。"
    ),
    "a password needs at least 5 different characters": (
        "同じ文字の繰り返しが多すぎます。5種類以上の文字を使ってください。"
    ),
    "a password must not contain the user name": "パスワードにユーザー名を含めないでください。",
    "the code does not match; check the phone's clock and try again": (
        "確認コードが一致しません。スマートフォンの時刻を確かめて、新しいコードを入力してください。"
    ),
    "no second factor is being set up": "設定を最初からやり直してください。",
    "the second factor is already on; turn it off first": "二段階認証はすでに有効です。",
}


def _message(exc: CaseworkError) -> str:
    return _MESSAGES.get(str(exc.args[0]) if exc.args else "", domain_message(exc))


@router.get("/account/password")
def password_page(request: Request, principal: PrincipalDep) -> Response:
    """The password change form."""
    return render(
        request,
        "web/account_password.html",
        {"title": "パスワードの変更", "min_length": accounts.MIN_PASSWORD_LENGTH},
    )


@router.post("/account/password", dependencies=[Depends(verify_csrf)])
def change_password(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Change the signed-in user's password (current one required; audited)."""
    context: dict[str, object] = {
        "title": "パスワードの変更",
        "min_length": accounts.MIN_PASSWORD_LENGTH,
    }
    new = text(form, "new_password") or ""
    if new != (text(form, "confirm_password") or ""):
        context["error"] = "新しいパスワードと確認用の入力が一致しません。"
        return render(request, "web/account_password.html", context, status_code=422)
    try:
        accounts.change_own_password(session, principal, text(form, "current_password") or "", new)
    except (InvalidInput, AuthenticationFailed) as exc:
        # A wrong current password is audited; the unit of work keeps that row.
        context["error"] = _message(exc)
        return render(request, "web/account_password.html", context, status_code=422)
    context["done"] = True
    return render(request, "web/account_password.html", context)


def _security(request: Request, session: SessionDep, user_id: int, **extra: object) -> Response:
    user = casework_repo.get_staff_user(session, user_id)
    if user is None:
        raise NotFound("staff_user", user_id)
    status = int(str(extra.pop("status_code", 200)))
    context: dict[str, object] = {
        "title": "二段階認証",
        "enabled": second_factor.is_enabled(user),
        "codes_left": second_factor.recovery_codes_left(user),
        **extra,
    }
    return render(request, "web/account_security.html", context, status_code=status)


@router.get("/account/security")
def security_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """Whether the second factor is on, and the way to turn it on or off."""
    return _security(request, session, principal.id)


@router.post("/account/totp/begin", dependencies=[Depends(verify_csrf)])
def begin_totp(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """A new secret with its QR code; not on until a code confirms it."""
    try:
        enrolment = second_factor.begin_enrolment(session, principal, principal.id)
    except InvalidInput as exc:
        return _security(request, session, principal.id, error=_message(exc), status_code=422)
    return _security(request, session, principal.id, enrolment=enrolment)


@router.post("/account/totp/confirm", dependencies=[Depends(verify_csrf)])
def confirm_totp(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Turn the factor on with a matching code; show the recovery codes once."""
    try:
        codes = second_factor.confirm_enrolment(
            session, principal, principal.id, text(form, "code") or ""
        )
    except InvalidInput as exc:
        user = casework_repo.get_staff_user(session, principal.id)
        pending = (
            second_factor.enrolment_of(user) if user is not None and user.totp_secret else None
        )
        return _security(
            request, session, principal.id, error=_message(exc), enrolment=pending,
            status_code=422,
        )  # fmt: skip
    return _security(request, session, principal.id, recovery_codes=codes)


@router.post("/account/totp/disable", dependencies=[Depends(verify_csrf)])
def disable_totp(
    request: Request, session: SessionDep, principal: PrincipalDep, form: FormDep
) -> Response:
    """Turn the factor off; the current password is asked again."""
    user = casework_repo.get_staff_user(session, principal.id)
    password = text(form, "current_password") or ""
    if user is None or not accounts.verify_password(user.password_hash, password):
        return _security(
            request, session, principal.id, error="現在のパスワードが違います。", status_code=422
        )
    second_factor.disable(session, principal, principal.id)
    return _security(request, session, principal.id)
