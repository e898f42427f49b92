"""Staff users (argon2 passwords) and API clients (sha256-hashed keys, shown once)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import AlreadyExists, AuthenticationFailed, InvalidInput, NotFound
from casework.models import ApiClient, StaffUser, utcnow
from casework.permissions import PERMISSIONS, Principal, Role, authorize
from casework.schemas import ApiClientIn, UserIn
from casework.services import audit, second_factor, sign_in_guard

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so timing does not reveal valid names.
_DUMMY_HASH = _hasher.hash("tsunagu-dummy-password")
API_KEY_PREFIX = "tsk_"


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def principal_for_user(
    user: StaffUser, *, ip: str | None = None, client: str | None = None
) -> Principal:
    """The principal of a signed-in staff user."""
    role = cast(Role, user.role)
    return Principal(kind="user", id=user.id, role=role, team=user.team, ip=ip, client=client)


# An actor reference of a staff user: ``user:3``, or ``山田 (user:3)`` as the pages record it.
_USER_REF = re.compile(r"(?:^|\()user:(\d+)\)?$")


def staff_names_for_actors(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """{actor reference: display name} for the references that name a staff user.

    Staff names are shown to every signed-in staff member (beside edits and audit rows);
    API clients, the system and unknown ids are left out, so callers fall back to the ref.
    """
    ids: dict[str, int] = {}
    for actor in set(actors):
        found = _USER_REF.search(actor)
        if found:
            ids[actor] = int(found.group(1))
    names = repo.staff_display_names(session, sorted(set(ids.values())))
    return {actor: names[uid] for actor, uid in ids.items() if uid in names}


def actor_labels(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """{actor reference: what a coordinator reads} for every reference given.

    The one place pages turn ``user:3`` into a staff name: staff show their display name,
    API clients and the system a Japanese word, so no page prints a raw reference.
    """
    refs = set(actors)
    labels = staff_names_for_actors(session, refs)
    for ref in refs - labels.keys():
        if ref.startswith("api_client:"):
            labels[ref] = "外部連携（API）"
        elif _USER_REF.search(ref):
            labels[ref] = "職員（削除済み）"
        else:
            labels[ref] = "システム"
    return labels


def staff_choices(session: Session, principal: Principal) -> list[tuple[int, str]]:
    """(id, display name) of active staff: the choices for 主担当者 and 評価担当者."""
    authorize(principal, "person:read")
    return [(u.id, u.display_name) for u in repo.active_staff(session)]


def create_user(session: Session, principal: Principal, data: UserIn) -> StaffUser:
    """Create a staff account (user:admin)."""
    authorize(principal, "user:admin")
    if repo.get_staff_user_by_username(session, data.username) is not None:
        raise AlreadyExists(f"user name taken: {data.username}")
    user = StaffUser(
        username=data.username,
        display_name=data.display_name,
        role=data.role,
        team=data.team,
        password_hash=hash_password(data.password),
    )
    session.add(user)
    session.flush()
    audit.record(session, principal, "user.create", "staff_user", user.id, {"role": data.role})
    return user


# One account per role for trying the service out; created only on an empty database.
DEMO_ACCOUNTS: tuple[tuple[str, str, Role, str | None], ...] = (
    ("demo-coordinator", "デモ 相談支援員", "coordinator", "demo"),
    ("demo-supervisor", "デモ 主任", "supervisor", "demo"),
    ("demo-catalog", "デモ カタログ担当", "catalog_maintainer", None),
    ("demo-finance", "デモ 経理", "finance", None),
    ("demo-auditor", "デモ 監査", "auditor", None),
    ("demo-admin", "デモ 管理者", "admin", None),
)


def create_demo_users(session: Session, principal: Principal, password: str) -> list[str]:
    """Create the demo accounts when no staff account exists yet; return the names created."""
    authorize(principal, "user:admin")
    if repo.has_staff_users(session):
        return []
    for username, display_name, role, team in DEMO_ACCOUNTS:
        create_user(
            session,
            principal,
            UserIn(
                username=username,
                display_name=display_name,
                role=role,
                team=team,
                password=password,
            ),
        )
    return [username for username, *_ in DEMO_ACCOUNTS]


def set_user_role(
    session: Session, principal: Principal, user_id: int, *, role: Role, team: str | None
) -> StaffUser:
    """Change a user's role and team (user:admin)."""
    authorize(principal, "user:admin")
    user = repo.get_staff_user(session, user_id)
    if user is None:
        raise NotFound("staff_user", user_id)
    user.role, user.team = role, team
    session.flush()
    audit.record(session, principal, "user.role", "staff_user", user.id, {"role": role})
    return user


def deactivate_user(session: Session, principal: Principal, user_id: int) -> StaffUser:
    """Disable a staff account (kept for history)."""
    authorize(principal, "user:admin")
    user = repo.get_staff_user(session, user_id)
    if user is None:
        raise NotFound("staff_user", user_id)
    user.active = False
    session.flush()
    audit.record(session, principal, "user.deactivate", "staff_user", user.id)
    return user


def authenticate_user(
    session: Session,
    username: str,
    password: str,
    *,
    ip: str | None = None,
    client: str | None = None,
    now: datetime | None = None,
) -> Principal:
    """Check a user name and password; AuthenticationFailed never says which one was wrong.

    Repeated failures slow the account and the address down and then lock them for a while
    (``sign_in_guard``): SignInRefused (429) is raised before the password is even checked.
    """
    now = now or utcnow()
    account = sign_in_guard.account_key(username)
    user = repo.get_staff_user_by_username(session, username)
    user_id = user.id if user else None
    try:
        sign_in_guard.check(session, account=account, address=ip, now=now)
    except sign_in_guard.SignInRefused as refused:
        sign_in_guard.refuse(
            session, refused, account=account, user_id=user_id, ip=ip, client=client, now=now
        )
        raise
    if user is None or not verify_password(user.password_hash, password) or not user.active:
        if user is None:
            verify_password(_DUMMY_HASH, password)
        else:
            audit.record(
                session,
                Principal(kind="user", id=user.id, ip=ip, client=client),
                "auth.login_failed",
                "staff_user",
                user.id,
            )
        locked = sign_in_guard.record_failure(
            session, account=account, user_id=user_id, ip=ip, client=client, now=now
        )
        if locked is not None:
            raise locked
        raise AuthenticationFailed("wrong user name or password")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    if second_factor.is_enabled(user):
        # Not signed in yet: the code step (second_factor.verify_second_factor) finishes it.
        audit.record(
            session,
            Principal(kind="user", id=user.id, ip=ip, client=client),
            "auth.password_ok",
            "staff_user",
            user.id,
        )
        raise second_factor.SecondFactorRequired(user.id)
    sign_in_guard.record_success(session, account=account, ip=ip, now=now)
    principal = principal_for_user(user, ip=ip, client=client)
    audit.record(session, principal, "auth.login", "staff_user", user.id)
    return principal


MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256


def check_password_strength(password: str, *, username: str | None = None) -> None:
    """Refuse passwords that are short, one repeated character, or the user name."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"a password has at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"a password has at most {MAX_PASSWORD_LENGTH} characters")
    if len(set(password)) < 5:
        raise InvalidInput("a password needs at least 5 different characters")
    if username and username.lower() in password.lower():
        raise InvalidInput("a password must not contain the user name")


def set_password(session: Session, principal: Principal, user_id: int, new_password: str) -> None:
    """Change a password: users change their own, admins anyone's."""
    if principal.user_id != user_id:
        authorize(principal, "user:admin")
    user = repo.get_staff_user(session, user_id)
    if user is None:
        raise NotFound("staff_user", user_id)
    check_password_strength(new_password, username=user.username)
    user.password_hash = hash_password(new_password)
    session.flush()
    audit.record(session, principal, "user.password", "staff_user", user.id)


def change_own_password(
    session: Session, principal: Principal, current_password: str, new_password: str
) -> None:
    """The signed-in user changes their password; the current one is required."""
    user = repo.get_staff_user(session, principal.id) if principal.kind == "user" else None
    if user is None or not user.active:
        raise AuthenticationFailed("only a signed-in staff user changes their password")
    if not verify_password(user.password_hash, current_password):
        audit.record(session, principal, "user.password_failed", "staff_user", user.id)
        raise InvalidInput("the current password is wrong")
    if current_password == new_password:
        raise InvalidInput("the new password must differ from the current one")
    set_password(session, principal, user.id, new_password)


def _key_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_client(
    session: Session, principal: Principal, data: ApiClientIn
) -> tuple[ApiClient, str]:
    """Create an API client; returns the plaintext key ONCE (only its sha256 is stored)."""
    authorize(principal, "apikey:admin")
    unknown = sorted(set(data.scopes) - set(PERMISSIONS))
    if unknown:
        raise InvalidInput(f"unknown scopes: {', '.join(unknown)}")
    token = API_KEY_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=data.name,
        key_prefix=token[:12],
        key_hash=_key_hash(token),
        scopes=sorted(set(data.scopes)),
        created_by=principal.ref,
    )
    session.add(client)
    session.flush()
    audit.record(
        session, principal, "api_client.create", "api_client", client.id,
        {"scopes": client.scopes},
    )  # fmt: skip
    return client, token


def revoke_api_client(session: Session, principal: Principal, client_id: int) -> ApiClient:
    """Revoke a key; it stops working at once."""
    authorize(principal, "apikey:admin")
    client = repo.get_api_client(session, client_id)
    if client is None:
        raise NotFound("api_client", client_id)
    client.revoked_at = utcnow()
    session.flush()
    audit.record(session, principal, "api_client.revoke", "api_client", client.id)
    return client


def authenticate_api_key(
    session: Session, token: str, *, ip: str | None = None, now: datetime | None = None
) -> Principal:
    """The principal of a presented API key; AuthenticationFailed when unknown or revoked."""
    client = repo.get_api_client_by_hash(session, _key_hash(token))
    if client is None or client.revoked_at is not None:
        raise AuthenticationFailed("invalid API key")
    return Principal(
        kind="api_client",
        id=client.id,
        scopes=frozenset(client.scopes),
        ip=ip,
        client=client.name,
    )
