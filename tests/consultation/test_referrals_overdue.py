"""The dashboard's overdue referrals: still 依頼済 after the reply due date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework.errors import InvalidInput
from casework.models import Person
from casework.permissions import Principal
from consultation.schemas import AgencyIn, ReferralIn, ReferralTransitionIn
from consultation.services import agencies, referrals

SYSTEM = Principal(kind="system", id=0, client="pytest")


@pytest.fixture
def agency_id(session: Session) -> int:
    agency, _ = agencies.upsert_agency(
        session, SYSTEM, AgencyIn(code="AC-T", kind="anshin_care", name="テスト", wards=["中央区"])
    )
    return agency.id


def test_overdue_until_the_agency_answers(
    session: Session,
    coordinator: Principal,
    make_principal: Callable[..., Principal],
    make_person: Callable[..., Person],
    agency_id: int,
) -> None:
    person = make_person()
    made = referrals.create_referral(
        session,
        coordinator,
        ReferralIn(
            agency_id=agency_id,
            person_id=person.id,
            consent_basis="consent_written",
            requested_on=date(2026, 11, 1),
            reply_due_on=date(2026, 11, 8),
        ),
    )
    on_time = referrals.overdue_referrals(session, coordinator, date(2026, 11, 8))
    assert on_time == []
    late = referrals.overdue_referrals(session, coordinator, date(2026, 11, 9))
    assert [r.id for r in late] == [made.id]
    assert referrals.referral_out(made, on=date(2026, 11, 9)).overdue is True
    other_team = make_principal("coordinator", "team-b")
    assert referrals.overdue_referrals(session, other_team, date(2026, 11, 9)) == []

    referrals.transition_referral(
        session, coordinator, made.id, ReferralTransitionIn(to="accepted", on=date(2026, 11, 9))
    )
    assert referrals.overdue_referrals(session, coordinator, date(2026, 11, 10)) == []


def test_failed_needs_a_reason_code(
    session: Session, coordinator: Principal, make_person: Callable[..., Person], agency_id: int
) -> None:
    made = referrals.create_referral(
        session,
        coordinator,
        ReferralIn(agency_id=agency_id, person_id=make_person().id, consent_basis="consent_verbal"),
    )
    with pytest.raises(InvalidInput):
        referrals.transition_referral(
            session, coordinator, made.id, ReferralTransitionIn(to="failed")
        )
    closed = referrals.transition_referral(
        session, coordinator, made.id, ReferralTransitionIn(to="failed", reason_code="unreachable")
    )
    assert (closed.status, closed.reason_code) == ("failed", "unreachable")
    assert [e.to_status for e in closed.events] == ["requested", "failed"]


def test_the_support_meeting_basis_needs_a_recorded_support_meeting(
    session: Session, coordinator: Principal, make_person: Callable[..., Person], agency_id: int
) -> None:
    from casework.schemas import SupportMeetingIn
    from casework.services import consent

    person = make_person()
    body = ReferralIn(agency_id=agency_id, person_id=person.id, consent_basis="support_meeting")
    with pytest.raises(InvalidInput, match="支援会議"):
        referrals.create_referral(session, coordinator, body)
    consent.record_support_meeting(
        session, coordinator, person.id, SupportMeetingIn(held_on=date(2026, 11, 1))
    )
    assert referrals.create_referral(session, coordinator, body).consent_basis == "support_meeting"
