"""Account safeguards through the pages: password change, TOTP second factor with recovery
codes, and the idle session timeout."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from api.web import session as web_session
from casework.models import AuditLog, StaffUser
from casework.services.accounts import verify_password
from tests.web.conftest import PASSWORD, Web, csrf_of

NEW_PASSWORD = "a much longer passphrase 7"


def _actions(web: Web, user: StaffUser) -> list[str]:
    rows = web.db.scalars(
        select(AuditLog.action).where(AuditLog.entity_id == str(user.id)).order_by(AuditLog.id)
    )
    return list(rows)


def _password_form(web: Web, current: str, new: str, confirm: str | None = None) -> object:
    return web.post(
        "/account/password",
        {"current_password": current, "new_password": new,
         "confirm_password": new if confirm is None else confirm},
    )  # fmt: skip


def test_password_change_needs_the_current_password_and_is_audited(web: Web) -> None:
    user = web.add_user("coordinator", username="kato")
    web.login(user)
    assert "現在のパスワード" in web.client.get("/account/password").text

    wrong = _password_form(web, "not my password", NEW_PASSWORD)
    assert wrong.status_code == 422 and "現在のパスワードが違います" in wrong.text
    short = _password_form(web, PASSWORD, "short")
    assert short.status_code == 422 and "12文字以上" in short.text
    named = _password_form(web, PASSWORD, "kato-kato-kato-kato")
    assert named.status_code == 422 and "ユーザー名を含めない" in named.text
    mismatch = _password_form(web, PASSWORD, NEW_PASSWORD, "something else entirely")
    assert mismatch.status_code == 422 and "一致しません" in mismatch.text
    web.db.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)

    done = _password_form(web, PASSWORD, NEW_PASSWORD)
    assert done.status_code == 200 and "パスワードを変更しました" in done.text
    web.db.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert not verify_password(user.password_hash, PASSWORD)
    actions = _actions(web, user)
    assert "user.password_failed" in actions and actions[-1] == "user.password"


def _enable_totp(web: Web, user: StaffUser) -> tuple[str, list[str]]:
    web.login(user)
    begun = web.post("/account/totp/begin", {})
    assert begun.status_code == 200
    assert "<svg" in begun.text and "style=" not in begun.text.split("<svg", 1)[1]
    secret = re.search(r"キー: <code>([A-Z2-7]+)</code>", begun.text)
    assert secret
    wrong = web.post("/account/totp/confirm", {"code": "000000"})
    assert wrong.status_code == 422 and "一致しません" in wrong.text
    web.db.refresh(user)
    assert user.totp_enabled_at is None
    confirmed = web.post("/account/totp/confirm", {"code": pyotp.TOTP(secret.group(1)).now()})
    assert confirmed.status_code == 200 and "二度と表示されません" in confirmed.text
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", confirmed.text)
    assert len(codes) == 10
    return secret.group(1), codes


def _password_step(web: Web, user: StaffUser) -> object:
    web.client.cookies.clear()
    page = web.client.get("/login")
    return web.client.post(
        "/login",
        data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def _code_step(web: Web, html: str, code: str) -> object:
    return web.client.post(
        "/login/code", data={"code": code, "csrf_token": csrf_of(html)}, follow_redirects=False
    )


def test_totp_enabled_sign_in_asks_for_the_code(web: Web) -> None:
    user = web.add_user("coordinator", username="ito")
    secret, _codes = _enable_totp(web, user)
    web.db.refresh(user)
    assert user.totp_secret == secret and user.totp_recovery_hashes
    assert secret not in str(user.totp_recovery_hashes)

    step = _password_step(web, user)
    assert step.status_code == 200 and "確認コード" in step.text  # type: ignore[attr-defined]
    # Not signed in yet: pages still send to /login.
    assert web.client.get("/dashboard", follow_redirects=False).status_code == 303
    bad = _code_step(web, step.text, "123456")  # type: ignore[attr-defined]
    assert bad.status_code == 401 and "確認コードが違います" in bad.text  # type: ignore[attr-defined]
    # Confirming used the current time step; the next one is accepted (clock skew).
    totp, used_step = pyotp.TOTP(secret), user.totp_last_step or 0
    replayed = _code_step(web, bad.text, totp.generate_otp(used_step))
    assert replayed.status_code == 401  # type: ignore[attr-defined]
    code = totp.generate_otp(used_step + 1)
    ok = _code_step(web, bad.text, code)  # type: ignore[attr-defined]
    assert ok.status_code == 303  # type: ignore[attr-defined]
    assert web.client.get("/dashboard", follow_redirects=False).status_code == 200
    # The same code cannot be used a second time.
    again = _password_step(web, user)
    replay = _code_step(web, again.text, code)  # type: ignore[attr-defined]
    assert replay.status_code == 401  # type: ignore[attr-defined]
    actions = _actions(web, user)
    assert "user.totp_enable" in actions and "auth.password_ok" in actions
    assert "auth.second_factor_failed" in actions and "auth.login" in actions


def test_a_recovery_code_works_once(web: Web) -> None:
    user = web.add_user("coordinator", username="sato")
    _secret, codes = _enable_totp(web, user)
    step = _password_step(web, user)
    used = _code_step(web, step.text, codes[3].upper())  # type: ignore[attr-defined]
    assert used.status_code == 303  # type: ignore[attr-defined]
    web.db.refresh(user)
    assert len(user.totp_recovery_hashes or []) == 9
    step = _password_step(web, user)
    reused = _code_step(web, step.text, codes[3])  # type: ignore[attr-defined]
    assert reused.status_code == 401  # type: ignore[attr-defined]
    login = web.db.scalars(
        select(AuditLog).where(AuditLog.action == "auth.login",
                               AuditLog.entity_id == str(user.id)).order_by(AuditLog.id)
    ).all()[-1]  # fmt: skip
    assert login.detail == {"factor": "recovery_code", "recovery_codes_left": 9}


def test_disabling_totp_needs_the_password(web: Web) -> None:
    user = web.add_user("coordinator", username="abe")
    _enable_totp(web, user)
    step = _password_step(web, user)
    web.db.refresh(user)
    code = pyotp.TOTP(user.totp_secret or "").generate_otp((user.totp_last_step or 0) + 1)
    assert _code_step(web, step.text, code).status_code == 303  # type: ignore[attr-defined]
    refused = web.post("/account/totp/disable", {"current_password": "wrong"})
    assert refused.status_code == 422
    off = web.post("/account/totp/disable", {"current_password": PASSWORD})
    assert off.status_code == 200 and "二段階認証は無効です" in off.text
    web.db.refresh(user)
    assert user.totp_secret is None and user.totp_enabled_at is None
    assert _actions(web, user)[-1] == "user.totp_disable"


def test_an_idle_session_is_sent_to_login_with_a_notice(
    make_web: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with make_web(session_idle_minutes=10) as web:  # type: ignore[operator]
        user = web.add_user("coordinator", username="mori")
        clock = [1_800_000_000.0]
        monkeypatch.setattr(web_session, "_now", lambda: clock[0])
        web.login(user)
        clock[0] += 9 * 60  # active within the limit: still signed in, and the clock restarts
        assert web.client.get("/dashboard", follow_redirects=False).status_code == 200
        clock[0] += 9 * 60
        assert web.client.get("/dashboard", follow_redirects=False).status_code == 200
        clock[0] += 10 * 60 + 1
        gone = web.client.get("/people", follow_redirects=False)
        assert gone.status_code == 303 and "idle=1" in gone.headers["location"]
        page = web.client.get(gone.headers["location"])
        assert "操作がないまま10分たったため、自動的にログアウトしました" in page.text
        # The session is gone for good, not just for that request.
        clock[0] -= 20 * 60
        assert web.client.get("/dashboard", follow_redirects=False).status_code == 303
