"""The TOTP second factor's rules in the service: owner-only set-up, confirmation before it
counts, single-use steps, admin reset for a lost phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import AuthenticationFailed, Forbidden, InvalidInput, NotFound
from casework.models import AuditLog
from casework.permissions import Principal
from casework.services import second_factor

NOW = datetime(2026, 12, 4, 4, 0, tzinfo=UTC)


def test_only_the_holder_sets_it_up_and_it_counts_only_once_confirmed(
    session: Session, coordinator: Principal, supervisor: Principal
) -> None:
    with pytest.raises(InvalidInput):
        second_factor.begin_enrolment(session, supervisor, coordinator.id)
    enrolment = second_factor.begin_enrolment(session, coordinator, coordinator.id)
    assert enrolment.qr_svg.startswith("<svg") and "otpauth://totp/" in enrolment.uri
    user = repo.get_staff_user(session, coordinator.id)
    assert user is not None and not second_factor.is_enabled(user)
    with pytest.raises(InvalidInput):
        second_factor.confirm_enrolment(session, coordinator, coordinator.id, "12345x", now=NOW)
    code = pyotp.TOTP(enrolment.secret).at(NOW)
    codes = second_factor.confirm_enrolment(session, coordinator, coordinator.id, code, now=NOW)
    assert len(set(codes)) == 10 and second_factor.is_enabled(user)
    assert all(c not in str(user.totp_recovery_hashes) for c in codes)


def test_a_code_is_single_use_and_old_codes_expire(
    session: Session, coordinator: Principal
) -> None:
    enrolment = second_factor.begin_enrolment(session, coordinator, coordinator.id)
    totp = pyotp.TOTP(enrolment.secret)
    second_factor.confirm_enrolment(session, coordinator, coordinator.id, totp.at(NOW), now=NOW)
    later = NOW + timedelta(seconds=30)
    principal = second_factor.verify_second_factor(session, coordinator.id, totp.at(later),
                                                   now=later)  # fmt: skip
    assert principal.id == coordinator.id and principal.role == "coordinator"
    with pytest.raises(AuthenticationFailed):
        second_factor.verify_second_factor(session, coordinator.id, totp.at(later), now=later)
    much_later = NOW + timedelta(minutes=10)
    with pytest.raises(AuthenticationFailed):
        second_factor.verify_second_factor(session, coordinator.id, totp.at(NOW + timedelta(
            minutes=5)), now=much_later)  # fmt: skip


def test_an_admin_can_turn_it_off_for_a_lost_phone_but_others_cannot(
    session: Session, coordinator: Principal, supervisor: Principal, make_principal: object
) -> None:
    enrolment = second_factor.begin_enrolment(session, coordinator, coordinator.id)
    second_factor.confirm_enrolment(
        session, coordinator, coordinator.id, pyotp.TOTP(enrolment.secret).at(NOW), now=NOW
    )
    with pytest.raises(Forbidden):
        second_factor.disable(session, supervisor, coordinator.id)
    admin = make_principal("admin", None)  # type: ignore[operator]
    second_factor.disable(session, admin, coordinator.id)
    user = repo.get_staff_user(session, coordinator.id)
    assert user is not None and not second_factor.is_enabled(user) and user.totp_secret is None


def _enrol(session: Session, who: Principal) -> None:
    enrolment = second_factor.begin_enrolment(session, who, who.id)
    second_factor.confirm_enrolment(
        session, who, who.id, pyotp.TOTP(enrolment.secret).at(NOW), now=NOW
    )


def test_an_admin_reset_is_audited_without_secrets_and_the_holder_can_enrol_again(
    session: Session, coordinator: Principal, make_principal: object
) -> None:
    _enrol(session, coordinator)
    user = repo.get_staff_user(session, coordinator.id)
    assert user is not None
    secret, hashes = str(user.totp_secret), list(user.totp_recovery_hashes or [])
    admin = make_principal("admin", None)  # type: ignore[operator]
    second_factor.reset_by_admin(session, admin, coordinator.id)
    assert not second_factor.is_enabled(user) and user.totp_secret is None
    assert user.totp_recovery_hashes is None and user.totp_last_step is None
    row = session.scalars(select(AuditLog).where(AuditLog.action == "user.totp_reset")).one()
    assert row.actor == admin.ref and row.entity_id == str(coordinator.id)
    assert row.detail == {"recovery_codes_left": 10}
    assert secret not in str(row.detail) and not any(h in str(row.detail) for h in hashes)
    again = second_factor.begin_enrolment(session, coordinator, coordinator.id)
    assert again.secret != secret


@pytest.mark.parametrize("role", ["coordinator", "supervisor", "finance", "auditor"])
def test_only_an_admin_may_reset_another_accounts_factor(
    session: Session, coordinator: Principal, make_principal: object, role: str
) -> None:
    _enrol(session, coordinator)
    other = make_principal(role, None)  # type: ignore[operator]
    with pytest.raises(Forbidden):
        second_factor.reset_by_admin(session, other, coordinator.id)
    with pytest.raises(Forbidden):
        second_factor.reset_by_admin(session, coordinator, coordinator.id)
    with pytest.raises(Forbidden):
        second_factor.list_account_factors(session, other)
    user = repo.get_staff_user(session, coordinator.id)
    assert user is not None and second_factor.is_enabled(user)


def test_a_reset_needs_the_factor_on_and_not_ones_own(
    session: Session, coordinator: Principal, make_principal: object
) -> None:
    admin = make_principal("admin", None)  # type: ignore[operator]
    with pytest.raises(InvalidInput):
        second_factor.reset_by_admin(session, admin, coordinator.id)
    _enrol(session, admin)
    with pytest.raises(InvalidInput):
        second_factor.reset_by_admin(session, admin, admin.id)
    with pytest.raises(NotFound):
        second_factor.reset_by_admin(session, admin, 999_999)


def test_the_admin_list_shows_who_has_the_factor_on(
    session: Session, coordinator: Principal, supervisor: Principal, make_principal: object
) -> None:
    _enrol(session, coordinator)
    admin = make_principal("admin", None)  # type: ignore[operator]
    listed = {a.user_id: a for a in second_factor.list_account_factors(session, admin)}
    assert listed[coordinator.id].enabled_at == NOW
    assert listed[coordinator.id].recovery_codes_left == 10
    assert listed[supervisor.id].enabled_at is None
