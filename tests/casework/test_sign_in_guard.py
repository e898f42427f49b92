"""Sign-in throttling and temporary locks (casework.services.sign_in_guard)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.errors import AuthenticationFailed, Forbidden
from casework.models import AuditLog, SignInAttempt
from casework.permissions import Principal
from casework.schemas import UserIn
from casework.services import accounts, sign_in_guard
from casework.services.sign_in_guard import SignInRefused

PASSWORD = "correct horse battery"
T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


@pytest.fixture
def admin(make_principal: Callable[..., Principal]) -> Principal:
    return make_principal("admin", None)


@pytest.fixture
def sato(session: Session, admin: Principal) -> int:
    data = UserIn(
        username="sato", display_name="佐藤", role="coordinator", team="t", password=PASSWORD
    )
    return accounts.create_user(session, admin, data).id


def _login(
    session: Session, password: str, at: datetime, ip: str = "10.0.0.1", name: str = "sato"
) -> Principal:
    return accounts.authenticate_user(session, name, password, ip=ip, now=at)


def test_delays_grow_after_three_failures(session: Session, sato: int) -> None:
    for i in range(3):
        with pytest.raises(AuthenticationFailed):
            _login(session, "wrong", T0 + timedelta(seconds=10 * i))
    last = T0 + timedelta(seconds=20)
    # Right after the third failure even the right password must wait one second.
    with pytest.raises(SignInRefused) as refused:
        _login(session, PASSWORD, last + timedelta(milliseconds=500))
    assert refused.value.kind == "throttled" and refused.value.until == last + timedelta(seconds=1)
    with pytest.raises(AuthenticationFailed):
        _login(session, "wrong", last + timedelta(seconds=1))
    # The fourth failure doubles the wait.
    with pytest.raises(SignInRefused) as refused:
        _login(session, PASSWORD, last + timedelta(seconds=2.5))
    assert refused.value.until == last + timedelta(seconds=3)
    assert _login(session, PASSWORD, last + timedelta(seconds=3)).id == sato


def test_five_failures_lock_the_account_even_for_the_right_password(
    session: Session, sato: int
) -> None:
    at = T0
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            _login(session, "wrong", at)
        at += timedelta(minutes=2)
    with pytest.raises(SignInRefused) as locked:
        _login(session, "wrong", at)
    assert (locked.value.kind, locked.value.scope) == ("locked", "account")
    assert locked.value.until == at + timedelta(minutes=15)
    with pytest.raises(SignInRefused):
        _login(session, PASSWORD, at + timedelta(minutes=14), ip="10.9.9.9")
    actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert actions.count("auth.login_failed") == 5
    assert "auth.locked" in actions and actions[-1] == "auth.login_refused"
    # Lifted by time: the right password works again and resets the count.
    assert _login(session, PASSWORD, at + timedelta(minutes=15)).id == sato
    with pytest.raises(AuthenticationFailed):
        _login(session, "wrong", at + timedelta(minutes=16))


def test_locks_grow_with_further_failures(session: Session, sato: int) -> None:
    at = T0
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, SignInRefused)):
            _login(session, "wrong", at)
        at += timedelta(minutes=2)
    at += timedelta(minutes=15)
    with pytest.raises(SignInRefused) as locked:
        _login(session, "wrong", at)
    assert locked.value.until == at + timedelta(minutes=30)


def test_unknown_names_are_locked_the_same_way(session: Session, sato: int) -> None:
    at = T0
    outcomes = []
    for _ in range(5):
        try:
            _login(session, "wrong", at, name="nobody")
        except (AuthenticationFailed, SignInRefused) as exc:
            outcomes.append(type(exc).__name__)
        at += timedelta(minutes=2)
    assert outcomes[-1] == "SignInRefused"
    # Another account from another address is not affected.
    assert _login(session, PASSWORD, at, ip="10.0.0.2").id == sato


def test_an_admin_unlock_lifts_the_lock_at_once(
    session: Session, sato: int, admin: Principal, coordinator: Principal
) -> None:
    at = T0
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, SignInRefused)):
            _login(session, "wrong", at)
        at += timedelta(minutes=2)
    with pytest.raises(Forbidden):
        sign_in_guard.unlock(session, coordinator, username="sato")
    sign_in_guard.unlock(session, admin, username="sato")
    now = datetime.now(UTC)
    assert _login(session, PASSWORD, max(now, at) + timedelta(seconds=1)).id == sato
    unlock = session.scalars(select(AuditLog).where(AuditLog.action == "auth.unlock")).one()
    assert unlock.entity_id == str(sato)


def test_one_address_guessing_many_accounts_is_locked(
    session: Session, sato: int, admin: Principal
) -> None:
    at = T0
    for i in range(30):
        with pytest.raises((AuthenticationFailed, SignInRefused)):
            _login(session, "wrong", at, ip="192.0.2.7", name=f"guess{i}")
        at += timedelta(seconds=70)
    with pytest.raises(SignInRefused) as locked:
        _login(session, PASSWORD, at, ip="192.0.2.7")
    assert locked.value.scope == "address"
    assert _login(session, PASSWORD, at, ip="192.0.2.8").id == sato
    sign_in_guard.unlock(session, admin, address="192.0.2.7")
    later = max(datetime.now(UTC), at) + timedelta(seconds=1)
    assert _login(session, PASSWORD, later, ip="192.0.2.7").id == sato


def test_refused_attempts_are_recorded_but_not_counted(session: Session, sato: int) -> None:
    at = T0
    for _ in range(5):
        with pytest.raises((AuthenticationFailed, SignInRefused)):
            _login(session, "wrong", at)
        at += timedelta(minutes=2)
    for _ in range(20):
        with pytest.raises(SignInRefused):
            _login(session, "wrong", at)
    outcomes = session.scalars(select(SignInAttempt.outcome)).all()
    assert outcomes.count("failure") == 5 and outcomes.count("refused") == 20
    # Waiting out the first lock is enough: refusals did not lengthen it.
    assert _login(session, PASSWORD, at - timedelta(minutes=2) + timedelta(minutes=15)).id == sato
