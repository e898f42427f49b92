"""Roles, own/team scope, users with argon2 passwords, API keys shown once."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from sqlalchemy.orm import Session

from casework.errors import AuthenticationFailed, Forbidden
from casework.models import ApiClient, Person, StaffUser
from casework.permissions import PERMISSIONS, ROLE_PERMISSIONS, Principal, authorize
from casework.schemas import ApiClientIn, UserIn
from casework.services import accounts

MATRIX = [
    ("coordinator", "person:read", True),
    ("coordinator", "person:write", True),
    ("coordinator", "person:delete", False),
    ("coordinator", "fee:approve", False),
    ("coordinator", "audit:read", False),
    ("coordinator", "catalog:write", False),
    ("supervisor", "plan:decide", True),
    ("supervisor", "person:delete", True),
    ("supervisor", "fee:approve", False),
    ("catalog_maintainer", "catalog:write", True),
    ("catalog_maintainer", "person:read", False),
    ("finance", "fee:approve", True),
    ("finance", "fee:export", True),
    ("finance", "person:read", False),
    ("auditor", "audit:read", True),
    ("auditor", "person:read", False),
    ("admin", "user:admin", True),
    ("admin", "apikey:admin", True),
    ("admin", "person:read", False),
]


@pytest.mark.parametrize(("role", "permission", "allowed"), MATRIX)
def test_authorize_matrix(role: str, permission: str, allowed: bool) -> None:
    who = Principal(kind="user", id=1, role=role, team="t")  # type: ignore[arg-type]
    if allowed:
        authorize(who, permission)
    else:
        with pytest.raises(Forbidden):
            authorize(who, permission)


def test_every_role_permission_is_declared() -> None:
    for perms in ROLE_PERMISSIONS.values():
        assert perms <= set(PERMISSIONS)


def test_unknown_permission_is_a_bug() -> None:
    with pytest.raises(ValueError):
        authorize(Principal(kind="user", id=1, role="admin"), "person:fly")


def test_coordinator_reaches_own_and_team_cases_only(make_person: Callable[..., Person]) -> None:
    person = make_person()  # primary staff: the fixture coordinator, team-a
    owner = Principal(kind="user", id=person.primary_staff_id or 0, role="coordinator", team="x")
    teammate = Principal(kind="user", id=999, role="coordinator", team="team-a")
    stranger = Principal(kind="user", id=998, role="coordinator", team="team-b")
    boss = Principal(kind="user", id=997, role="supervisor", team="team-b")
    authorize(owner, "person:write", person=person)
    authorize(teammate, "person:read", person=person)
    authorize(boss, "person:read", person=person)
    with pytest.raises(Forbidden):
        authorize(stranger, "person:read", person=person)


def test_passwords_are_argon2_and_login_works(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    admin = make_principal("admin", None)
    user = accounts.create_user(
        session, admin,
        UserIn(username="sato", display_name="佐藤", role="coordinator", team="t",
               password="correct horse battery"),
    )  # fmt: skip
    assert user.password_hash.startswith("$argon2id$")
    who = accounts.authenticate_user(session, "sato", "correct horse battery", ip="1.2.3.4")
    assert (who.kind, who.id, who.role, who.ip) == ("user", user.id, "coordinator", "1.2.3.4")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_user(session, "sato", "wrong password!!")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_user(session, "nobody", "correct horse battery")


def test_only_admins_create_users(session: Session, coordinator: Principal) -> None:
    data = UserIn(username="x1x", display_name="x", role="admin", password="long enough pw")
    with pytest.raises(Forbidden):
        accounts.create_user(session, coordinator, data)


def test_api_key_is_shown_once_and_stored_hashed(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    admin = make_principal("admin", None)
    client, token = accounts.create_api_client(
        session, admin, ApiClientIn(name="集計ツール", scopes=["report:read", "catalog:read"])
    )
    stored = session.get(ApiClient, client.id)
    assert stored is not None and stored.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in (stored.key_prefix, stored.key_hash)
    who = accounts.authenticate_api_key(session, token)
    assert who.kind == "api_client" and who.permissions() == {"report:read", "catalog:read"}
    with pytest.raises(Forbidden):
        authorize(who, "person:read")
    accounts.revoke_api_client(session, admin, client.id)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate_api_key(session, token)


def test_unknown_scope_is_rejected(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    from casework.errors import InvalidInput

    with pytest.raises(InvalidInput):
        accounts.create_api_client(
            session, make_principal("admin", None), ApiClientIn(name="x", scopes=["root"])
        )


def test_user_factory_has_no_plaintext(session: Session, coordinator: Principal) -> None:
    user = session.get(StaffUser, coordinator.id)
    assert user is not None and user.password_hash.startswith("$argon2")


def test_demo_users_are_created_once_on_an_empty_database(session: Session) -> None:
    system = Principal(kind="system", id=0, client="pytest")
    created = accounts.create_demo_users(session, system, "demo password 123")
    assert "demo-coordinator" in created and len(created) == len(accounts.DEMO_ACCOUNTS)
    who = accounts.authenticate_user(session, "demo-coordinator", "demo password 123")
    assert who.role == "coordinator"
    assert accounts.create_demo_users(session, system, "another password") == []


def test_demo_users_are_not_added_beside_real_accounts(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    make_principal("coordinator", "team-a")
    system = Principal(kind="system", id=0, client="pytest")
    assert accounts.create_demo_users(session, system, "demo password 123") == []
