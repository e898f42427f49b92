"""The TOTP second factor's rules in the service: owner-only set-up, confirmation before it
counts, single-use steps, admin reset for a lost phone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from sqlalchemy.orm import Session

from casework import repository as repo
from casework.errors import AuthenticationFailed, Forbidden, InvalidInput
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
