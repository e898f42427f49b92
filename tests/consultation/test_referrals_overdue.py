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


def consent_to_share(
    session: Session, person: Person, *, method: str = "written", on: date = date(2026, 10, 1)
) -> int:
    """Record the person's multi_agency consent (what a 本人の同意 basis is checked against)."""
    from casework.schemas import ConsentIn
    from casework.services import consent

    made = consent.record_consent(
        session, SYSTEM, person.id, ConsentIn(scope="multi_agency", given_on=on, method=method)
    )
    return made.id


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
    consent_to_share(session, person)
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
    person = make_person()
    consent_to_share(session, person, method="verbal")
    made = referrals.create_referral(
        session,
        coordinator,
        ReferralIn(agency_id=agency_id, person_id=person.id, consent_basis="consent_verbal"),
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


def test_a_consented_basis_needs_a_valid_recorded_consent(
    session: Session, coordinator: Principal, make_person: Callable[..., Person], agency_id: int
) -> None:
    from casework.services import consent
    from consultation.errors import ReferralConsentMissing

    person = make_person()
    on = date(2026, 11, 1)
    verbal = ReferralIn(
        agency_id=agency_id, person_id=person.id, consent_basis="consent_verbal", requested_on=on
    )
    with pytest.raises(ReferralConsentMissing, match="多機関協働事業での情報共有") as refused:
        referrals.create_referral(session, coordinator, verbal)
    assert refused.value.http_status == 409 and refused.value.scope == "multi_agency"

    consent_id = consent_to_share(session, person, method="verbal")
    written = verbal.model_copy(update={"consent_basis": "consent_written"})
    with pytest.raises(ReferralConsentMissing, match="書面"):
        referrals.create_referral(session, coordinator, written)
    assert referrals.create_referral(session, coordinator, verbal).consent_basis == "consent_verbal"

    consent.withdraw_consent(session, SYSTEM, consent_id, withdrawn_on=date(2026, 11, 2))
    later = verbal.model_copy(update={"requested_on": date(2026, 11, 3)})
    with pytest.raises(ReferralConsentMissing, match="撤回"):
        referrals.create_referral(session, coordinator, later)
    consent_to_share(session, person, method="written", on=date(2026, 11, 3))
    written_later = later.model_copy(update={"consent_basis": "consent_written"})
    assert referrals.create_referral(session, coordinator, written_later).status == "requested"


def test_a_consented_basis_is_refused_before_the_consultation_has_a_person(
    session: Session, coordinator: Principal, agency_id: int
) -> None:
    from consultation.errors import ReferralConsentMissing
    from consultation.schemas import ConsultationIn
    from consultation.services import consultations

    made = consultations.create_consultation(
        session,
        coordinator,
        ConsultationIn(received_on=date(2026, 11, 1), channel="phone", from_whom="family",
                       chief_complaint="父のこと"),
    )  # fmt: skip
    with pytest.raises(ReferralConsentMissing, match="紐づいていない"):
        referrals.create_referral(
            session,
            coordinator,
            ReferralIn(
                agency_id=agency_id, consultation_id=made.id, consent_basis="consent_verbal"
            ),
        )
    anonymous = ReferralIn(agency_id=agency_id, consultation_id=made.id, consent_basis="anonymous")
    assert referrals.create_referral(session, coordinator, anonymous).person_id is None
