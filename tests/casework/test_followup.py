"""Closure, follow-up after closure, and the due list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session

from casework.errors import InvalidTransition
from casework.models import Person
from casework.permissions import Principal
from casework.schemas import (
    ClosureIn,
    FollowUpContactIn,
    PlacementIn,
    PlanIn,
    RetentionContactIn,
    TransitionIn,
)
from casework.services import followup, placements, plans
from tests.casework.conftest import share_consent


def close(session: Session, who: Principal, person: Person, days: int | None = 30) -> Person:
    data = ClosureIn(closed_on=date(2027, 3, 1), reason="stable", follow_up_interval_days=days)
    return followup.close_case(session, who, person.id, data, today=date(2027, 3, 1))


def test_closing_records_reason_and_date(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = close(session, coordinator, make_person(), days=None)
    assert (person.status, person.closed_on, person.closure_reason) == (
        "closed", date(2027, 3, 1), "stable",
    )  # fmt: skip
    with pytest.raises(InvalidTransition):
        close(session, coordinator, person)


def test_follow_up_falls_due_after_the_interval(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = close(session, coordinator, make_person())
    assert followup.due_list(session, coordinator, today=date(2027, 3, 30)) == []
    [item] = followup.due_list(session, coordinator, today=date(2027, 4, 2))
    assert (item.kind, item.person_id, item.due_on, item.overdue, item.days_overdue) == (
        "follow_up", person.id, date(2027, 3, 31), True, 2,
    )  # fmt: skip


def test_follow_up_contact_moves_the_next_due_date(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = close(session, coordinator, make_person())
    followup.record_follow_up_contact(
        session, coordinator, person.id,
        FollowUpContactIn(contacted_on=date(2027, 4, 2), method="phone", note="元気"),
        today=date(2027, 4, 2),
    )  # fmt: skip
    assert followup.due_list(session, coordinator, today=date(2027, 4, 2)) == []
    fu = followup.set_follow_up_interval(session, coordinator, person.id, interval_days=60)
    assert fu.next_due_on == date(2027, 6, 1)


def test_monitoring_month_is_due_and_then_overdue(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    plan = plans.create_plan(
        session, coordinator, person.id,
        PlanIn(issues_text="i", goal_text="g", next_monitoring_on=date(2027, 1, 20)),
    )  # fmt: skip
    plans.start_early(session, coordinator, plan.id, started_on=date(2026, 12, 1), reason="r")
    assert followup.due_list(session, coordinator, today=date(2026, 12, 31)) == []
    [due] = followup.due_list(session, coordinator, today=date(2027, 1, 5))
    assert (due.kind, due.plan_id, due.overdue) == ("monitoring", plan.id, False)
    [late] = followup.due_list(session, coordinator, today=date(2027, 2, 3))
    assert late.overdue


def test_placement_without_recent_contact_is_listed(
    session: Session, coordinator: Principal, started_person: Person, resource: Callable[..., str]
) -> None:
    rid = resource(slots=1)
    share_consent(session, coordinator, started_person.id, rid)
    p = placements.propose_placement(
        session, coordinator, started_person.id,
        PlacementIn(resource_id=rid, occurred_on=date(2026, 11, 22)),
    )  # fmt: skip
    placements.transition_placement(
        session, coordinator, p.id, TransitionIn(to_state="placed", occurred_on=date(2026, 12, 1)),
        at=datetime(2026, 12, 1, tzinfo=UTC),
    )  # fmt: skip
    placements.add_retention_contact(
        session, coordinator, p.id,
        RetentionContactIn(contacted_on=date(2026, 12, 10), party="receiver", method="phone"),
        today=date(2026, 12, 10),
    )  # fmt: skip
    listed = followup.due_list(session, coordinator, today=date(2027, 1, 8), no_contact_days=30)
    assert [i.kind for i in listed] == []
    [item] = followup.due_list(session, coordinator, today=date(2027, 1, 12), no_contact_days=30)
    assert (item.kind, item.placement_id, item.due_on) == (
        "placement_no_contact", p.id, date(2027, 1, 9),
    )  # fmt: skip


def test_due_list_shows_only_own_and_team_cases(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    make_principal: Callable[..., Principal],
) -> None:
    close(session, coordinator, make_person())
    other = make_principal("coordinator", "team-b")
    assert followup.due_list(session, other, today=date(2027, 6, 1)) == []
    assert len(followup.due_list(session, coordinator, today=date(2027, 6, 1))) == 1


def test_follow_up_record_lists_the_schedule_and_contacts(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    assert followup.get_follow_up(session, coordinator, person.id).follow_up is None
    close(session, coordinator, person, days=30)
    followup.record_follow_up_contact(
        session, coordinator, person.id,
        FollowUpContactIn(contacted_on=date(2027, 3, 20), method="phone", note="元気"),
        today=date(2027, 3, 20),
    )  # fmt: skip
    record = followup.get_follow_up(session, coordinator, person.id)
    assert record.follow_up is not None and record.follow_up.next_due_on == date(2027, 4, 19)
    assert [(c.method, c.note) for c in record.contacts] == [("phone", "元気")]
