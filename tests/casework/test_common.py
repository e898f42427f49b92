"""The shared loading rule of the casework services (casework/services/_common.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from casework.errors import Forbidden, InvalidInput, NotFound
from casework.models import Person
from casework.permissions import Principal
from casework.services._common import assign_case_owner, load_person_record


@dataclass
class _Record:
    person_id: int


def test_a_record_comes_back_with_its_person(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    record = _Record(person.id)

    found, owner = load_person_record(session, coordinator, record, "plan", 7, "person:read")

    assert found is record
    assert owner.id == person.id


def test_a_missing_record_is_not_found_for_a_caller_with_the_permission(
    session: Session, coordinator: Principal
) -> None:
    with pytest.raises(NotFound) as caught:
        load_person_record(session, coordinator, None, "plan", 7, "person:read")

    assert (caught.value.entity, caught.value.entity_id) == ("plan", 7)


def test_a_missing_record_is_forbidden_without_the_permission(
    session: Session, make_principal: Callable[..., Principal]
) -> None:
    with pytest.raises(Forbidden):
        load_person_record(session, make_principal("finance"), None, "plan", 7, "person:read")


def test_a_record_of_another_teams_case_is_forbidden(
    session: Session, make_principal: Callable[..., Principal], make_person: Callable[..., Person]
) -> None:
    record = _Record(make_person().id)

    with pytest.raises(Forbidden):
        load_person_record(
            session, make_principal("coordinator", "team-b"), record, "plan", 7, "person:read"
        )


@dataclass
class _NewCase:
    primary_staff_id: int | None = None
    team: str | None = None


def test_a_new_case_is_led_by_its_recorder_unless_named(
    session: Session, coordinator: Principal
) -> None:
    case = _NewCase()

    assign_case_owner(session, coordinator, case, "person:write")

    assert (case.primary_staff_id, case.team) == (coordinator.id, "team-a")


def test_a_named_lead_that_is_no_staff_account_is_refused(
    session: Session, supervisor: Principal
) -> None:
    with pytest.raises(InvalidInput, match="unknown primary staff member: 999999"):
        assign_case_owner(session, supervisor, _NewCase(999999, "team-a"), "person:write")


def test_a_coordinator_cannot_record_a_case_of_another_team(
    session: Session, coordinator: Principal, supervisor: Principal
) -> None:
    case = _NewCase(supervisor.id, "team-b")

    with pytest.raises(Forbidden):
        assign_case_owner(session, coordinator, case, "person:write")
