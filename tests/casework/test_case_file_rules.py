"""The case file refuses impossible states (issue 10, item 3) and stages carry their day.

終結 ends every active placement and frees its place; a closed case takes no proposal until it
is reopened; 連絡 and later need a consent to share with the receiver; fee, contact, stage
and birth dates cannot lie in the future (or before what they follow).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework import capacity
from casework.errors import CaseClosed, ConsentRequired, InvalidDate, ShareConsentRequired
from casework.models import Person, Placement
from casework.permissions import Principal
from casework.schemas import (
    ClosureIn,
    ConsentIn,
    FeeIn,
    FollowUpContactIn,
    PersonUpdate,
    PlacementIn,
    RetentionContactIn,
    TransitionIn,
)
from casework.services import consent, fees, followup, people, placements
from casework.services._common import today_in_japan
from tests.casework.conftest import TODAY, person_in, share_consent

NOV = date(2026, 11, 1)  # a day well before TODAY (2026-11-22) and before the real clock


def _propose(
    session: Session, who: Principal, person: Person, rid: str, on: date = NOV
) -> Placement:
    return placements.propose_placement(
        session, who, person.id, PlacementIn(resource_id=rid, occurred_on=on)
    )


def _move(
    session: Session, who: Principal, p: Placement, to: str, on: date | None = None, **kw: object
) -> Placement:
    data = TransitionIn.model_validate({"to_state": to, "occurred_on": on, **kw})
    return placements.transition_placement(session, who, p.id, data)


@pytest.fixture
def placed(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> Placement:
    """A placement placed on 2026-11-10 at a receiver with 2 places (1 left)."""
    rid = resource(slots=2)
    share_consent(session, coordinator, started_person.id, rid)
    p = _propose(session, coordinator, started_person, rid)
    _move(session, coordinator, p, "visit", date(2026, 11, 5))
    return _move(session, coordinator, p, "placed", date(2026, 11, 10))


# --- 終結 ends placements and frees places -------------------------------------------------


def test_closure_ends_the_placed_placement_and_gives_its_place_back(
    session: Session, coordinator: Principal, started_person: Person, placed: Placement
) -> None:
    assert capacity.available_slots(session, placed.resource_id) == 1
    followup.close_case(
        session, coordinator, started_person.id,
        ClosureIn(closed_on=TODAY, reason="stable"),
    )  # fmt: skip
    ended = placements.get_placement(session, coordinator, placed.id)
    assert (ended.state, ended.reason_code, ended.holds_slot) == ("ended", "case_closed", False)
    last = ended.transitions[-1]
    assert (last.from_state, last.to_state, last.reason_code, last.occurred_on) == (
        "placed", "ended", "case_closed", TODAY,
    )  # fmt: skip
    assert capacity.available_slots(session, placed.resource_id) == 2


def test_closure_withdraws_a_placement_not_yet_placed(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    p = _propose(session, coordinator, started_person, resource(slots=1))
    followup.close_case(
        session, coordinator, started_person.id, ClosureIn(closed_on=TODAY, reason="moved")
    )
    assert (p.state, p.reason_code) == ("withdrawn", "case_closed")


def test_closure_before_the_last_step_of_an_active_placement_is_refused(
    session: Session, coordinator: Principal, started_person: Person, placed: Placement
) -> None:
    with pytest.raises(InvalidDate) as caught:
        followup.close_case(
            session, coordinator, started_person.id,
            ClosureIn(closed_on=date(2026, 11, 8), reason="stable"),
        )  # fmt: skip
    assert caught.value.field == "closed_on" and "定着支援中" in caught.value.message_ja


def test_closure_dated_in_the_future_is_refused(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    with pytest.raises(InvalidDate) as caught:
        followup.close_case(
            session, coordinator, person.id,
            ClosureIn(closed_on=date(2026, 12, 2), reason="stable"), today=date(2026, 12, 1),
        )  # fmt: skip
    assert caught.value.field == "closed_on" and "未来の日付" in caught.value.message_ja


def test_a_closed_case_takes_no_proposal_until_it_is_reopened(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    rid = resource(slots=1)
    followup.close_case(
        session, coordinator, started_person.id, ClosureIn(closed_on=TODAY, reason="stable")
    )
    with pytest.raises(CaseClosed) as caught:
        _propose(session, coordinator, started_person, rid)
    assert caught.value.http_status == 409 and "再開" in caught.value.message_ja
    followup.reopen_case(session, coordinator, started_person.id)
    assert _propose(session, coordinator, started_person, rid).state == "proposed"


# --- a consent to share with the receiver before 連絡 ----------------------------------------


@pytest.mark.parametrize("target", ["contacted", "visit", "trial", "placed"])
def test_contacting_the_receiver_or_later_needs_a_share_consent(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
    target: str,
) -> None:
    rid = resource(slots=1)
    p = _propose(session, coordinator, started_person, rid)
    with pytest.raises(ShareConsentRequired) as caught:
        _move(session, coordinator, p, target)
    assert isinstance(caught.value, ConsentRequired) and caught.value.http_status == 409
    assert f"受入先「{rid}」" in caught.value.message_ja  # the catalog's name (here: the id)
    assert p.state == "proposed"


def test_a_share_consent_for_another_receiver_does_not_count(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    rid, other = resource(slots=1), resource(slots=1)
    share_consent(session, coordinator, started_person.id, other)
    p = _propose(session, coordinator, started_person, rid)
    with pytest.raises(ShareConsentRequired):
        _move(session, coordinator, p, "contacted")


def test_a_consent_naming_the_organization_covers_its_resources(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    rid = resource(slots=1)
    org = capacity.organization_of(session, rid)
    assert org is not None
    consent.record_consent(
        session, coordinator, started_person.id,
        ConsentIn(scope="share_with_receiver", receiver_kind="organization", receiver_id=org,
                  given_on=NOV, method="written"),
    )  # fmt: skip
    p = _propose(session, coordinator, started_person, rid)
    assert _move(session, coordinator, p, "contacted").state == "contacted"


def test_a_withdrawn_share_consent_no_longer_counts(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    rid = resource(slots=1)
    given = consent.record_consent(
        session, coordinator, started_person.id,
        ConsentIn(scope="share_with_receiver", receiver_kind="resource", receiver_id=rid,
                  given_on=NOV, method="written"),
    )  # fmt: skip
    consent.withdraw_consent(session, coordinator, given.id, withdrawn_on=date(2026, 11, 3))
    p = _propose(session, coordinator, started_person, rid)
    with pytest.raises(ShareConsentRequired):
        _move(session, coordinator, p, "contacted", date(2026, 11, 4))


def test_ending_before_contact_needs_no_share_consent(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    p = _propose(session, coordinator, started_person, resource(slots=1))
    moved = _move(session, coordinator, p, "declined", reason_code="person_declined")
    assert moved.state == "declined"


# --- stage days ---------------------------------------------------------------------------


def test_each_step_keeps_the_day_it_happened_apart_from_the_entry_time(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    steps = placements.get_placement(session, coordinator, placed.id).transitions
    assert [(t.to_state, t.occurred_on) for t in steps] == [
        ("proposed", NOV), ("visit", date(2026, 11, 5)), ("placed", date(2026, 11, 10)),
    ]  # fmt: skip
    assert all(t.at.date() >= date(2026, 12, 1) for t in steps)  # entered later, as today


def test_a_step_without_a_day_happened_today_in_japan(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    rid = resource(slots=1)
    share_consent(session, coordinator, started_person.id, rid)
    p = _propose(session, coordinator, started_person, rid)
    _move(session, coordinator, p, "contacted")
    steps = placements.get_placement(session, coordinator, p.id).transitions
    assert steps[-1].occurred_on == today_in_japan()


def test_a_step_dated_in_the_future_is_refused(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    data = TransitionIn(to_state="ended", reason_code="stable", occurred_on=date(2026, 12, 2))
    with pytest.raises(InvalidDate) as caught:
        placements.transition_placement(
            session, coordinator, placed.id, data, today=date(2026, 12, 1)
        )
    assert caught.value.field == "occurred_on" and "未来" in caught.value.message_ja
    assert placed.state == "placed"


def test_a_step_dated_before_the_previous_step_is_refused(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    with pytest.raises(InvalidDate) as caught:
        _move(session, coordinator, placed, "ended", date(2026, 11, 9), reason_code="stable")
    assert caught.value.field == "occurred_on"
    assert "定着支援中" in caught.value.message_ja and "2026年11月10日" in caught.value.message_ja
    # The same day as the previous step is fine.
    assert _move(session, coordinator, placed, "ended", date(2026, 11, 10), reason_code="stable")


def test_a_proposal_dated_in_the_future_is_refused(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    resource: Callable[..., str],
) -> None:
    with pytest.raises(InvalidDate) as caught:
        placements.propose_placement(
            session, coordinator, started_person.id,
            PlacementIn(resource_id=resource(slots=1), occurred_on=date(2026, 12, 2)),
            today=date(2026, 12, 1),
        )  # fmt: skip
    assert caught.value.field == "occurred_on"


# --- cooperation fees lie within the placement ----------------------------------------------


def _fee(dates: list[date], key: str = "rule-fee-1") -> FeeIn:
    return FeeIn(idempotency_key=key, activity_dates=dates)


def test_a_fee_for_a_day_in_the_future_is_refused(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    with pytest.raises(InvalidDate) as caught:
        fees.create_fee(
            session, coordinator, placed.id,
            _fee([date(2026, 11, 20), date(2026, 11, 23)]), today=date(2026, 11, 22),
        )  # fmt: skip
    assert caught.value.field == "activity_dates" and caught.value.http_status == 422
    assert "2026年11月23日" in caught.value.message_ja and "未来" in caught.value.message_ja


def test_a_fee_for_a_day_before_the_placement_started_is_refused(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    # The first day at the receiver is the visit (2026-11-05).
    with pytest.raises(InvalidDate) as caught:
        fees.create_fee(session, coordinator, placed.id, _fee([date(2026, 11, 4)]))
    assert caught.value.field == "activity_dates"
    assert "2026年11月5日" in caught.value.message_ja
    fee, _ = fees.create_fee(session, coordinator, placed.id, _fee([date(2026, 11, 5)]))
    assert fee.covers_from_on == date(2026, 11, 5)


def test_a_fee_for_a_day_after_the_placement_ended_is_refused(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    _move(session, coordinator, placed, "ended", date(2026, 11, 20), reason_code="stable")
    with pytest.raises(InvalidDate) as caught:
        fees.create_fee(session, coordinator, placed.id, _fee([date(2026, 11, 21)]))
    assert caught.value.field == "activity_dates" and "利用終了日" in caught.value.message_ja


def test_correcting_a_draft_fee_checks_the_dates_too(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    fee, _ = fees.create_fee(session, coordinator, placed.id, _fee([date(2026, 11, 12)]))
    with pytest.raises(InvalidDate):
        fees.update_draft_fee(session, coordinator, fee.id, activity_dates=[date(2026, 11, 1)])


# --- contact and birth dates -----------------------------------------------------------------


def test_a_retention_contact_in_the_future_is_refused(
    session: Session, coordinator: Principal, placed: Placement
) -> None:
    data = RetentionContactIn(contacted_on=date(2026, 12, 2), party="person", method="phone")
    with pytest.raises(InvalidDate) as caught:
        placements.add_retention_contact(
            session, coordinator, placed.id, data, today=date(2026, 12, 1)
        )
    assert caught.value.field == "contacted_on" and "連絡日" in caught.value.message_ja
    assert placed.last_contact_on is None


def test_a_follow_up_contact_in_the_future_is_refused(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    followup.close_case(
        session, coordinator, person.id,
        ClosureIn(closed_on=TODAY, reason="stable", follow_up_interval_days=30),
    )  # fmt: skip
    with pytest.raises(InvalidDate) as caught:
        followup.record_follow_up_contact(
            session, coordinator, person.id,
            FollowUpContactIn(contacted_on=date(2026, 12, 2), method="phone"),
            today=date(2026, 12, 1),
        )  # fmt: skip
    assert caught.value.field == "contacted_on"


@pytest.mark.parametrize("born_on", [date(2026, 12, 2), date(2026, 12, 1)])
def test_a_birth_date_must_lie_in_the_past(
    session: Session, coordinator: Principal, born_on: date
) -> None:
    with pytest.raises(InvalidDate) as caught:
        people.create_person(
            session, coordinator, person_in(born_on=born_on), today=date(2026, 12, 1)
        )
    assert caught.value.field == "born_on" and "生年月日" in caught.value.message_ja


def test_changing_the_birth_date_to_the_future_is_refused(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    with pytest.raises(InvalidDate):
        people.update_person(
            session, coordinator, person.id, PersonUpdate(born_on=date(2027, 1, 1)),
            today=date(2026, 12, 1),
        )  # fmt: skip
    assert person.born_on == date(1990, 5, 1)
