"""管理者の画面: 職員アカウントの二段階認証（TOTP）のリセット（スマートフォンの紛失など）."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from starlette.responses import Response

from api.deps import SessionDep
from api.web.helpers import see_other
from api.web.routing import WebRoute
from api.web.session import PrincipalDep, require, verify_csrf
from api.web.templating import flash, render
from casework.errors import InvalidInput
from casework.services import second_factor

router = APIRouter(route_class=WebRoute, include_in_schema=False)
UserId = Annotated[int, Path(ge=1, le=2_147_483_647)]
PAGE = "/admin/second-factor"

_MESSAGES = {
    "turn off your own second factor on the account page": (
        "ご自分の二段階認証は「二段階認証」の画面で（パスワードを入力して）無効にしてください。"
    ),
    "the second factor of this account is not on": (
        "このアカウントの二段階認証は有効ではありません。"
    ),
}


def _account(
    session: SessionDep, principal: PrincipalDep, user_id: int
) -> second_factor.AccountFactor | None:
    for account in second_factor.list_account_factors(session, principal):
        if account.user_id == user_id:
            return account
    return None


@router.get(PAGE)
def second_factor_accounts(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """Every staff account with its second-factor state; a reset button where it is on."""
    require(principal, "user:admin")
    return render(
        request,
        "web/admin_second_factor.html",
        {
            "title": "職員の二段階認証",
            "accounts": second_factor.list_account_factors(session, principal),
        },
    )


@router.get(PAGE + "/{user_id}/reset")
def confirm_reset(
    request: Request, session: SessionDep, principal: PrincipalDep, user_id: UserId
) -> Response:
    """The confirmation step before a reset (says what the staff member must do next)."""
    require(principal, "user:admin")
    account = _account(session, principal, user_id)
    if account is None or account.enabled_at is None:
        flash(request, "このアカウントの二段階認証は有効ではありません。", "error")
        return see_other(PAGE)
    return render(
        request,
        "web/admin_second_factor_reset.html",
        {"title": "二段階認証のリセット", "account": account},
    )


@router.post(PAGE + "/{user_id}/reset", dependencies=[Depends(verify_csrf)])
def reset(
    request: Request, session: SessionDep, principal: PrincipalDep, user_id: UserId
) -> Response:
    """Turn the account's factor off (audited); the holder enrols again after signing in."""
    require(principal, "user:admin")
    try:
        user = second_factor.reset_by_admin(session, principal, user_id)
    except InvalidInput as exc:
        message = str(exc.args[0]) if exc.args else ""
        flash(request, _MESSAGES.get(message, "リセットできませんでした。"), "error")
        return see_other(PAGE)
    flash(
        request,
        f"{user.display_name}（{user.username}）の二段階認証をリセットしました。"
        "次回はパスワードだけでログインし、改めて二段階認証を設定してもらってください。",
    )
    return see_other(PAGE)
