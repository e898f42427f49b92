"""Sign-in safeguards through the login page: ten wrong passwords, then the right one."""

from __future__ import annotations

import time

from sqlalchemy import select

from casework.models import AuditLog, SignInAttempt
from casework.permissions import ROLE_PERMISSIONS
from tests.api.conftest import issue_api_key
from tests.web.conftest import PASSWORD, Web, csrf_of


def _try(web: Web, username: str, password: str) -> tuple[int, str, dict[str, str]]:
    page = web.client.get("/login")
    response = web.client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    return response.status_code, response.text, dict(response.headers)


def test_ten_wrong_passwords_then_the_right_one_is_refused_in_japanese(web: Web) -> None:
    user = web.add_user("coordinator", username="yamada")
    web.client.cookies.clear()
    statuses = []
    for i in range(10):
        status, html, headers = _try(web, "yamada", f"wrong password {i}")
        statuses.append(status)
        if status == 429 and "秒ほど待って" in html:
            # A patient guesser waits out the growing delay (1 s, then 2 s) and goes on.
            time.sleep(int(headers["retry-after"]))
    # The first failures say "wrong"; then the growing delay and the lock answer 429.
    assert statuses[:3] == [401, 401, 401] and statuses[-1] == 429
    status, html, headers = _try(web, "yamada", PASSWORD)
    assert status == 429
    assert "一時的にロックしました" in html and "管理者にロックの解除を依頼" in html
    assert int(headers["retry-after"]) > 60
    assert (
        "tsunagu_session" not in web.client.cookies
        or web.client.get("/dashboard", follow_redirects=False).status_code == 303
    )
    rows = web.db.scalars(
        select(AuditLog).where(AuditLog.entity_id == str(user.id)).order_by(AuditLog.id)
    ).all()
    actions = [r.action for r in rows]
    assert "auth.locked" in actions and actions[-1] == "auth.login_refused"
    assert "auth.login" not in actions
    assert rows[-1].detail and rows[-1].detail["reason"] == "sign_in_locked"
    assert rows[-1].source_ip == "testclient"
    attempts = web.db.scalars(select(SignInAttempt.outcome)).all()
    assert "success" not in attempts


def test_an_admin_lifts_the_lock_through_the_api(web: Web) -> None:
    web.add_user("coordinator", username="suzuki")
    web.client.cookies.clear()
    for i in range(10):
        status, html, headers = _try(web, "suzuki", f"wrong {i}")
        if "ロックしました" in html:
            break
        if status == 429:
            time.sleep(int(headers["retry-after"]))
    assert _try(web, "suzuki", PASSWORD)[0] == 429
    key = issue_api_key(web.db, sorted(ROLE_PERMISSIONS["admin"]), name="admin-tool")
    coordinator_key = issue_api_key(web.db, sorted(ROLE_PERMISSIONS["coordinator"]))
    denied = web.client.post(
        "/api/v1/sign-in-locks/unlock",
        json={"username": "suzuki"},
        headers={"Authorization": f"Bearer {coordinator_key}"},
    )
    assert denied.status_code == 403
    response = web.client.post(
        "/api/v1/sign-in-locks/unlock",
        json={"username": "suzuki"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 204, response.text
    assert _try(web, "suzuki", PASSWORD)[0] == 303
    unlock = web.db.scalars(select(AuditLog).where(AuditLog.action == "auth.unlock")).one()
    assert unlock.actor.startswith("api_client:")
