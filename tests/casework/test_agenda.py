"""The day's agenda: each source of work lands in the right section, linked to its page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from casework.models import Person
from casework.permissions import Principal
from casework.schemas import (
    ClosureIn,
    ConsentIn,
    PlacementIn,
    PlanIn,
    RetentionContactIn,
    TransitionIn,
)
from casework.services import agenda, consent, followup, placements, plans


def _lines(
    session: Session, who: Principal, on: date, **kwargs: int
) -> list[tuple[str, str, date | None, str]]:
    got = agenda.agenda(session, who, today=on, **kwargs)
    return [(i.kind, i.section, i.due_on, i.href) for i in got.items]


def _placed(
    session: Session, who: Principal, person: Person, resource_id: str, *, to: str = "placed"
) -> int:
    consent.record_consent(
        session, who, person.id,
        ConsentIn(scope="share_with_receiver", receiver_kind="resource", receiver_id=resource_id,
                  given_on=date(2026, 11, 22), method="written"),
    )  # fmt: skip
    p = placements.propose_placement(session, who, person.id, PlacementIn(resource_id=resource_id))
    placements.transition_placement(
        session, who, p.id, TransitionIn(to_state=to), at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    return p.id


def _submitted(session: Session, who: Principal, person: Person) -> int:
    consent.record_consent(
        session, who, person.id,
        ConsentIn(scope="multi_agency", given_on=date(2026, 10, 1), method="written"),
    )  # fmt: skip
    plan = plans.create_plan(session, who, person.id, PlanIn(issues_text="i", goal_text="g"))
    plans.submit_plan(session, who, plan.id, on=date(2026, 11, 1))
    return plan.id


def test_retention_next_action_is_today_then_overdue(
    session: Session, coordinator: Principal, started_person: Person, resource: Callable[..., str]
) -> None:
    pid = _placed(session, coordinator, started_person, resource(slots=1))
    placements.add_retention_contact(
        session, coordinator, pid,
        RetentionContactIn(contacted_on=date(2026, 12, 10), party="person", method="phone",
                           next_action="受入先に様子を聞く", next_action_on=date(2026, 12, 20)),
        today=date(2026, 12, 10),
    )  # fmt: skip
    href = f"/placements/{pid}"
    kinds = {"retention_next_action"}

    def lines(on: date) -> list[tuple[str, str, date | None, str]]:
        return [line for line in _lines(session, coordinator, on) if line[0] in kinds]

    assert lines(date(2026, 12, 10)) == []  # more than a week ahead
    assert lines(date(2026, 12, 14)) == [
        ("retention_next_action", "week", date(2026, 12, 20), href)
    ]
    assert lines(date(2026, 12, 20))[0][1] == "today"
    assert lines(date(2026, 12, 23))[0][1] == "overdue"


def test_follow_ups_show_upcoming_and_overdue(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    followup.close_case(
        session, coordinator, person.id,
        ClosureIn(closed_on=date(2027, 3, 1), reason="stable", follow_up_interval_days=30),
        today=date(2027, 3, 1),
    )  # fmt: skip
    href = f"/people/{person.id}#follow-up"
    assert _lines(session, coordinator, date(2027, 3, 27)) == [
        ("follow_up", "week", date(2027, 3, 31), href)
    ]
    [late] = agenda.agenda(session, coordinator, today=date(2027, 4, 2)).items
    assert (late.section, late.days_overdue) == ("overdue", 2)


def test_monitoring_month_is_this_months_work_until_it_passes(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    plan = plans.create_plan(
        session, coordinator, person.id,
        PlanIn(issues_text="i", goal_text="g", next_monitoring_on=date(2027, 1, 20)),
    )  # fmt: skip
    plans.start_early(session, coordinator, plan.id, started_on=date(2026, 12, 1), reason="r")

    def sections(on: date) -> list[str]:
        return [i.section for i in agenda.agenda(session, coordinator, today=on).items]

    assert sections(date(2026, 12, 20)) == []
    assert sections(date(2026, 12, 28)) == ["week"]
    assert sections(date(2027, 1, 31)) == ["today"]
    assert sections(date(2027, 2, 3)) == ["overdue"]


def test_a_receiver_silent_for_n_days_is_listed(
    session: Session, coordinator: Principal, started_person: Person, resource: Callable[..., str]
) -> None:
    pid = _placed(session, coordinator, started_person, resource(slots=1), to="contacted")
    assert _lines(session, coordinator, date(2026, 12, 14), waiting_days=14) == []
    [item] = agenda.agenda(session, coordinator, today=date(2026, 12, 18), waiting_days=14).items
    assert (item.kind, item.section, item.href, item.days_overdue) == (
        "waiting_on_receiver", "overdue", f"/placements/{pid}", 3,
    )  # fmt: skip


def test_supervisor_sees_plans_awaiting_decision_and_quiet_cases(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    person = make_person(received_on=date(2026, 10, 1))
    plan_id = _submitted(session, coordinator, person)
    got = agenda.agenda(session, supervisor, today=date(2026, 11, 22), no_contact_days=30)
    assert [(i.kind, i.section, i.href) for i in got.items] == [
        ("no_contact", "overdue", f"/people/{person.id}"),
        ("plan_awaiting_decision", "queue", f"/plans/{plan_id}"),
    ]
    assert got.items[0].days_overdue == 52 - 30
    # The coordinator's own agenda has neither line.
    mine = agenda.agenda(session, coordinator, today=date(2026, 11, 22), no_contact_days=30)
    assert [i.kind for i in mine.items] == []


def test_coordinator_is_told_when_a_plan_was_decided(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    person = make_person()
    plan_id = _submitted(session, coordinator, person)
    plans.decide_plan(session, supervisor, plan_id, decided_on=date(2026, 11, 20))
    [item] = agenda.agenda(session, coordinator, today=date(2026, 11, 22)).items
    assert (item.kind, item.section, item.href, item.person_name) == (
        "plan_decided", "recent", f"/plans/{plan_id}", "千葉 花子",
    )  # fmt: skip
    assert agenda.agenda(session, coordinator, today=date(2026, 12, 10)).items == []


def test_another_teams_cases_stay_off_a_coordinators_agenda(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    make_principal: Callable[..., Principal],
) -> None:
    person = make_person()
    followup.close_case(
        session, coordinator, person.id,
        ClosureIn(closed_on=date(2027, 3, 1), reason="stable", follow_up_interval_days=30),
        today=date(2027, 3, 1),
    )  # fmt: skip
    other = make_principal("coordinator", "team-b")
    assert agenda.agenda(session, other, today=date(2027, 4, 2)).items == []


def test_finance_sees_no_case_lines(session: Session, finance: Principal) -> None:
    got = agenda.agenda(session, finance, today=date(2026, 11, 22))
    assert all(i.kind == "fee_approval" for i in got.items)
