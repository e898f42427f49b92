"""Plans (様式第2号): states, the meeting's decision, early start, new rounds copy."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework.errors import (
    Forbidden,
    InvalidInput,
    InvalidTransition,
    MultiAgencyConsentRequired,
    SupportNotStarted,
)
from casework.models import Person
from casework.permissions import Principal
from casework.schemas import ConsentIn, PlacementIn, PlanActionIn, PlanIn
from casework.services import consent, placements, plans

from .conftest import TODAY

PLAN = PlanIn(
    issues_text="人との関わりが途絶えている",
    goal_text="週に一度、決まった場所に通う",
    actions=[
        PlanActionIn(actor_kind="person", content="見学に行く", period="1か月", frequency="週1回"),
        PlanActionIn(actor_kind="agency", actor_name="センター", content="受入先との調整"),
    ],
    period_end_on=date(2027, 3, 31),
    next_monitoring_on=date(2027, 1, 15),
)


@pytest.fixture
def make_person(
    make_person: Callable[..., Person], session: Session, coordinator: Principal
) -> Callable[..., Person]:
    """People who agreed to 多機関協働 (their plans may go to the 重層的支援会議)."""

    def make(principal: Principal | None = None, **overrides: object) -> Person:
        person = make_person(principal, **overrides)
        consent.record_consent(
            session,
            principal or coordinator,
            person.id,
            ConsentIn(scope="multi_agency", given_on=date(2026, 11, 1), method="written"),
        )
        return person

    return make


def test_submit_without_multi_agency_consent_names_the_support_meeting_path(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    consent.withdraw_consent(
        session,
        coordinator,
        consent.list_consents(session, coordinator, person.id)[0].id,
        withdrawn_on=date(2026, 11, 2),
    )
    plan = plans.create_plan(session, coordinator, person.id, PLAN, today=TODAY)
    with pytest.raises(MultiAgencyConsentRequired) as caught:
        plans.submit_plan(session, coordinator, plan.id, on=date(2026, 11, 3))
    assert "支援会議" in str(caught.value) and caught.value.http_status == 409
    assert plans.submit_plan(session, coordinator, plan.id, on=date(2026, 11, 1)).status == (
        "submitted"
    )


def test_plan_form_has_every_field(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    plan = plans.create_plan(session, coordinator, person.id, PLAN, today=TODAY)
    form = plans.plan_form(session, coordinator, plan.id)
    assert form.reception_number == person.reception_number
    assert form.referred_or_received_on == date(2026, 11, 1)
    assert (form.round, form.status, form.name, form.furigana, form.sex) == (
        1, "draft", "千葉 花子", "ちば はなこ", "女性",
    )  # fmt: skip
    assert (form.born_on, form.age) == (date(1990, 5, 1), 36)
    assert form.primary_staff_id == coordinator.id and form.primary_staff_name
    assert [(a.position, a.actor_kind, a.frequency) for a in form.actions] == [
        (1, "person", "週1回"),
        (2, "agency", None),
    ]
    assert form.period_end_on == date(2027, 3, 31)
    assert form.next_monitoring_on == date(2027, 1, 1)


def test_submit_then_decide(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    plan = plans.create_plan(session, coordinator, make_person().id, PLAN, today=TODAY)
    plans.submit_plan(session, coordinator, plan.id)
    plans.decide_plan(session, supervisor, plan.id, decided_on=date(2026, 12, 5))
    assert (plan.status, plan.decided_on) == ("decided", date(2026, 12, 5))


def test_coordinator_cannot_record_the_decision(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    plan = plans.create_plan(session, coordinator, make_person().id, PLAN, today=TODAY)
    plans.submit_plan(session, coordinator, plan.id)
    with pytest.raises(Forbidden):
        plans.decide_plan(session, coordinator, plan.id, decided_on=TODAY)


def test_returned_plan_is_edited_and_resubmitted(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    plan = plans.create_plan(session, coordinator, make_person().id, PLAN, today=TODAY)
    plans.submit_plan(session, coordinator, plan.id)
    plans.return_plan(session, supervisor, plan.id, reason="目標を具体的に")
    plans.update_plan(session, coordinator, plan.id, PlanIn(goal_text="毎週火曜に畑へ通う"))
    plans.submit_plan(session, coordinator, plan.id)
    assert (plan.status, plan.goal_text, plan.issues_text) == (
        "submitted", "毎週火曜に畑へ通う", PLAN.issues_text,
    )  # fmt: skip


def test_decided_plan_cannot_be_edited_or_decided_twice(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    plan = plans.create_plan(session, coordinator, make_person().id, PLAN, today=TODAY)
    plans.submit_plan(session, coordinator, plan.id)
    plans.decide_plan(session, supervisor, plan.id, decided_on=TODAY)
    with pytest.raises(InvalidTransition):
        plans.update_plan(session, coordinator, plan.id, PlanIn(goal_text="x"))
    with pytest.raises(InvalidTransition):
        plans.decide_plan(session, supervisor, plan.id, decided_on=TODAY)


def test_draft_cannot_be_decided_without_submission(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    plan = plans.create_plan(session, coordinator, make_person().id, PLAN, today=TODAY)
    with pytest.raises(InvalidTransition):
        plans.decide_plan(session, supervisor, plan.id, decided_on=TODAY)


def test_early_start_needs_a_reason_and_allows_matching(
    session: Session,
    coordinator: Principal,
    make_person: Callable[..., Person],
    resource: Callable[..., str],
) -> None:
    person = make_person()
    resource("R1", slots=1)
    plan = plans.create_plan(session, coordinator, person.id, PLAN, today=TODAY)
    with pytest.raises(SupportNotStarted):
        placements.propose_placement(session, coordinator, person.id, PlacementIn(resource_id="R1"))
    with pytest.raises(InvalidInput):
        plans.start_early(session, coordinator, plan.id, started_on=TODAY, reason=" ")
    plans.start_early(session, coordinator, plan.id, started_on=TODAY, reason="孤立が深刻")
    placement = placements.propose_placement(
        session, coordinator, person.id, PlacementIn(resource_id="R1")
    )
    assert placement.state == "proposed" and plan.status == "draft"


def test_early_start_is_refused_after_the_decision(
    session: Session,
    coordinator: Principal,
    supervisor: Principal,
    make_person: Callable[..., Person],
) -> None:
    plan = plans.create_plan(session, coordinator, make_person().id, PLAN, today=TODAY)
    plans.submit_plan(session, coordinator, plan.id)
    plans.decide_plan(session, supervisor, plan.id, decided_on=TODAY)
    with pytest.raises(InvalidTransition):
        plans.start_early(session, coordinator, plan.id, started_on=TODAY, reason="x")


def test_new_round_copies_the_previous_plan(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    first = plans.create_plan(session, coordinator, person.id, PLAN, today=TODAY)
    second = plans.create_plan(session, coordinator, person.id, today=date(2027, 3, 1))
    assert (second.round, second.status, second.copied_from_plan_id) == (2, "draft", first.id)
    assert (second.issues_text, second.goal_text) == (first.issues_text, first.goal_text)
    assert [(a.actor_kind, a.content) for a in second.actions] == [
        (a.actor_kind, a.content) for a in first.actions
    ]
    assert {a.id for a in second.actions}.isdisjoint({a.id for a in first.actions})


def test_new_round_applies_the_fields_sent(
    session: Session, coordinator: Principal, make_person: Callable[..., Person]
) -> None:
    person = make_person()
    plans.create_plan(session, coordinator, person.id, PLAN, today=TODAY)
    second = plans.create_plan(session, coordinator, person.id, PlanIn(goal_text="新しい目標"))
    assert (second.goal_text, second.issues_text) == ("新しい目標", PLAN.issues_text)
    assert len(second.actions) == 2
