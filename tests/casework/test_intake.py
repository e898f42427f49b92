"""Intake (様式第1号): reception numbers, unanswered items, home location, age."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.errors import Forbidden
from casework.models import Person
from casework.permissions import Principal
from casework.reference import WARD_CENTRES, fiscal_year
from casework.schemas import PersonIn, PersonUpdate
from casework.services import people


def test_reception_numbers_are_sequential_per_fiscal_year(
    make_person: Callable[..., Person],
) -> None:
    first = make_person(received_on=date(2026, 4, 1))
    second = make_person(received_on=date(2027, 3, 31))
    next_year = make_person(received_on=date(2027, 4, 1))
    assert (first.reception_number, second.reception_number) == ("2026-0001", "2026-0002")
    assert next_year.reception_number == "2027-0001"


def test_reception_number_is_unique_in_the_database(
    session: Session, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    clone = Person(
        reception_number=person.reception_number, fiscal_year=2026, reception_seq=999,
        received_on=date(2026, 11, 22), created_by="user:1",
    )  # fmt: skip
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(clone)
        session.flush()


def test_unanswered_items_stay_empty(session: Session, coordinator: Principal) -> None:
    person = people.create_person(session, coordinator, PersonIn(name="匿名希望"))
    assert (person.furigana, person.sex, person.born_on, person.ward) == (None, None, None, None)
    assert person.age_on(date(2026, 11, 22)) is None
    assert person.home_location_source is None
    assert person.reception_number is not None


def test_free_text_sex_is_kept(make_person: Callable[..., Person]) -> None:
    assert make_person(sex="答えたくない").sex == "答えたくない"


def test_home_falls_back_to_the_ward_centre(make_person: Callable[..., Person]) -> None:
    person = make_person(ward="緑区")
    centre = WARD_CENTRES["緑区"]
    assert (person.home_lat, person.home_lon) == (centre.lat, centre.lon)
    assert person.home_location_source == "ward"


def test_address_coordinates_win_over_the_ward_centre(make_person: Callable[..., Person]) -> None:
    person = make_person(ward="緑区", home_lat=35.55, home_lon=140.2)
    assert (person.home_lat, person.home_location_source) == (35.55, "manual")


def test_unknown_ward_is_rejected() -> None:
    with pytest.raises(ValueError, match="ward"):
        PersonIn(name="x", ward="渋谷区")


def test_age_is_derived_from_the_date_of_birth(make_person: Callable[..., Person]) -> None:
    person = make_person(born_on=date(1990, 11, 23))
    assert person.age_on(date(2026, 11, 22)) == 35
    assert person.age_on(date(2026, 11, 23)) == 36
    assert people.person_out(person, on=date(2026, 11, 23)).age == 36


def test_primary_staff_defaults_to_the_registering_coordinator(
    make_person: Callable[..., Person], coordinator: Principal
) -> None:
    person = make_person()
    assert (person.primary_staff_id, person.team) == (coordinator.id, coordinator.team)


def test_update_changes_only_sent_fields(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    people.update_person(session, coordinator, person.id, PersonUpdate(phone="043-000-0000"))
    assert (person.phone, person.name) == ("043-000-0000", "千葉 花子")


def test_other_team_coordinator_cannot_read(
    session: Session,
    make_person: Callable[..., Person],
    make_principal: Callable[..., Principal],
) -> None:
    person = make_person()
    with pytest.raises(Forbidden):
        people.get_person(session, make_principal("coordinator", "team-b"), person.id)


def test_list_is_limited_to_own_and_team_cases(
    session: Session,
    make_person: Callable[..., Person],
    make_principal: Callable[..., Principal],
) -> None:
    mine = make_person()
    other = make_principal("coordinator", "team-b")
    theirs = make_person(principal=other)
    ids = {p.id for p in people.list_people(session, other, limit=500)}
    assert theirs.id in ids and mine.id not in ids


def test_fiscal_year_runs_april_to_march() -> None:
    assert fiscal_year(date(2027, 3, 31)) == 2026
    assert fiscal_year(date(2027, 4, 1)) == 2027
