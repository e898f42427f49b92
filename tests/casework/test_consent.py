"""Consent scopes, expiry and withdrawal; sharing with a named receiver; 支援会議 records."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework.errors import InvalidInput
from casework.models import Person
from casework.permissions import Principal
from casework.schemas import ConsentIn, SupportMeetingIn
from casework.services import consent

D = date(2026, 11, 22)


def share(receiver_kind: str, receiver_id: str, **kw: object) -> ConsentIn:
    return ConsentIn.model_validate(
        {"scope": "share_with_receiver", "receiver_kind": receiver_kind,
         "receiver_id": receiver_id, "given_on": date(2026, 11, 1), "method": "written", **kw}
    )  # fmt: skip


def test_no_consent_means_no_sharing(session: Session, make_person: Callable[..., Person]) -> None:
    assert not consent.may_share_with(session, make_person().id, resource_id="R1", on=D)


def test_consent_for_a_resource_covers_only_that_resource(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_consent(session, coordinator, person.id, share("resource", "R1"))
    assert consent.may_share_with(session, person.id, resource_id="R1", on=D)
    assert not consent.may_share_with(session, person.id, resource_id="R2", on=D)


def test_matching_consent_does_not_allow_sharing(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_consent(
        session, coordinator, person.id,
        ConsentIn(scope="matching", given_on=date(2026, 11, 1), method="verbal"),
    )  # fmt: skip
    assert consent.may_match(session, person.id, on=D)
    assert not consent.may_share_with(session, person.id, resource_id="R1", on=D)
    assert not consent.may_share_in_multi_agency(session, person.id, on=D)


def test_consent_for_an_organization_covers_its_resources(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    resource: Callable[..., str],
) -> None:
    person = make_person()
    rid = resource(slots=1)
    from casework import capacity

    org = capacity.organization_of(session, rid)
    assert org is not None
    consent.record_consent(session, coordinator, person.id, share("organization", org))
    assert consent.may_share_with(session, person.id, resource_id=rid, on=D)


def test_expired_consent_no_longer_allows_sharing(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_consent(
        session, coordinator, person.id, share("resource", "R1", expires_on=date(2026, 11, 30))
    )
    assert consent.may_share_with(session, person.id, resource_id="R1", on=date(2026, 11, 30))
    assert not consent.may_share_with(session, person.id, resource_id="R1", on=date(2026, 12, 1))


def test_consent_is_not_valid_before_it_was_given(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_consent(session, coordinator, person.id, share("resource", "R1"))
    assert not consent.may_share_with(session, person.id, resource_id="R1", on=date(2026, 10, 31))


def test_withdrawn_consent_stops_sharing_from_that_day(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    row = consent.record_consent(session, coordinator, person.id, share("resource", "R1"))
    consent.withdraw_consent(session, coordinator, row.id, withdrawn_on=date(2026, 11, 20))
    assert consent.may_share_with(session, person.id, resource_id="R1", on=date(2026, 11, 19))
    assert not consent.may_share_with(session, person.id, resource_id="R1", on=date(2026, 11, 20))
    with pytest.raises(InvalidInput):
        consent.withdraw_consent(session, coordinator, row.id, withdrawn_on=D)


def test_sharing_consent_must_name_the_receiver() -> None:
    with pytest.raises(ValueError, match="receiver"):
        ConsentIn(scope="share_with_receiver", given_on=D, method="written")


def test_referral_summary_is_anonymised_without_consent(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    summary = consent.referral_summary(session, coordinator, person.id, resource_id="R1", on=D)
    assert summary.anonymised
    assert "name" not in summary.details and summary.details["age_band"] == "30代"


def test_referral_summary_has_details_with_consent(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_consent(session, coordinator, person.id, share("resource", "R1"))
    summary = consent.referral_summary(session, coordinator, person.id, resource_id="R1", on=D)
    assert not summary.anonymised and summary.details["name"] == "千葉 花子"


def test_support_meeting_without_consent_is_recorded_as_such(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.record_support_meeting(
        session, coordinator, person.id,
        SupportMeetingIn(held_on=D, members="センター, 区役所", summary="支援方針の検討"),
    )  # fmt: skip
    [row] = consent.list_support_meetings(session, coordinator, person.id)
    assert row.without_consent and row.confidentiality_bound
