"""An administrator resets a staff member's TOTP second factor (lost phone): the page with a
confirmation step, the JSON API, admins only, audited without secrets, enrolment again."""

from __future__ import annotations

import re

import pyotp
from sqlalchemy import select

from casework.models import AuditLog, StaffUser
from casework.permissions import ROLE_PERMISSIONS
from tests.api.conftest import issue_api_key
from tests.web.conftest import Web, csrf_of


def _enable_totp(web: Web, user: StaffUser) -> str:
    web.login(user)
    begun = web.post("/account/totp/begin", {})
    secret = re.search(r"キー: <code>([A-Z2-7]+)</code>", begun.text)
    assert secret
    confirmed = web.post("/account/totp/confirm", {"code": pyotp.TOTP(secret.group(1)).now()})
    assert confirmed.status_code == 200
    web.db.refresh(user)
    assert user.totp_enabled_at is not None
    return secret.group(1)


def _reset_rows(web: Web, user: StaffUser) -> list[AuditLog]:
    return list(
        web.db.scalars(
            select(AuditLog).where(
                AuditLog.action == "user.totp_reset", AuditLog.entity_id == str(user.id)
            )
        )
    )


def test_an_admin_resets_with_confirmation_and_the_holder_enrols_again(web: Web) -> None:
    holder = web.add_user("coordinator", username="mori")
    plain = web.add_user("coordinator", username="ueda")
    secret = _enable_totp(web, holder)
    admin = web.add_user("admin", username="admin-1")
    web.login(admin)

    listing = web.client.get("/admin/second-factor")
    assert listing.status_code == 200 and "職員の二段階認証" in listing.text
    assert f"/admin/second-factor/{holder.id}/reset" in listing.text
    assert f"/admin/second-factor/{plain.id}/reset" not in listing.text
    assert secret not in listing.text

    confirm = web.client.get(f"/admin/second-factor/{holder.id}/reset")
    assert confirm.status_code == 200 and "リセットしますか" in confirm.text
    web.db.refresh(holder)
    assert holder.totp_enabled_at is not None  # the GET changes nothing

    done = web.client.post(
        f"/admin/second-factor/{holder.id}/reset",
        data={"csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/admin/second-factor"
    assert "二段階認証をリセットしました" in web.client.get("/admin/second-factor").text
    web.db.refresh(holder)
    assert holder.totp_secret is None and holder.totp_enabled_at is None
    (row,) = _reset_rows(web, holder)
    assert row.actor == f"user:{admin.id}" and secret not in str(row.detail)
    assert "二段階認証のリセット" in web.client.get("/audit").text

    # The holder signs in with the password alone and sets the factor up again.
    _enable_totp(web, holder)


def test_the_page_and_the_reset_refuse_other_roles(web: Web) -> None:
    holder = web.add_user("coordinator", username="noda")
    _enable_totp(web, holder)
    supervisor = web.add_user("supervisor", username="boss")
    web.login(supervisor)
    assert web.client.get("/admin/second-factor").status_code == 403
    assert web.client.get(f"/admin/second-factor/{holder.id}/reset").status_code == 403
    refused = web.post(f"/admin/second-factor/{holder.id}/reset", {})
    assert refused.status_code == 403
    assert "/admin/second-factor" not in web.client.get("/dashboard").text
    web.db.refresh(holder)
    assert holder.totp_enabled_at is not None and _reset_rows(web, holder) == []


def test_the_reset_needs_the_csrf_token(web: Web) -> None:
    holder = web.add_user("coordinator", username="ono")
    _enable_totp(web, holder)
    web.login(web.add_user("admin", username="admin-2"))
    forged = web.client.post(
        f"/admin/second-factor/{holder.id}/reset", data={}, follow_redirects=False
    )
    assert forged.status_code in (400, 403)
    web.db.refresh(holder)
    assert holder.totp_enabled_at is not None


def test_the_api_resets_for_admin_keys_only(web: Web) -> None:
    holder = web.add_user("coordinator", username="kudo")
    secret = _enable_totp(web, holder)
    web.client.cookies.clear()
    path = f"/api/v1/staff-users/{holder.id}/second-factor/reset"
    coordinator_key = issue_api_key(web.db, sorted(ROLE_PERMISSIONS["coordinator"]))
    denied = web.client.post(path, headers={"Authorization": f"Bearer {coordinator_key}"})
    assert denied.status_code == 403
    admin_key = issue_api_key(web.db, sorted(ROLE_PERMISSIONS["admin"]), name="admin-tool")
    auth = {"Authorization": f"Bearer {admin_key}"}
    assert web.client.post(path, headers=auth).status_code == 204
    web.db.refresh(holder)
    assert holder.totp_secret is None
    (row,) = _reset_rows(web, holder)
    assert row.actor.startswith("api_client:") and secret not in str(row.detail)
    again = web.client.post(path, headers=auth)
    assert again.status_code == 422
    missing = web.client.post("/api/v1/staff-users/999999/second-factor/reset", headers=auth)
    assert missing.status_code == 404
