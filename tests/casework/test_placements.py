"""Placement transitions, skips, capacity, retention support log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from casework import capacity
from casework.errors import ConcurrentUpdate, InvalidInput, InvalidTransition, NoCapacity
from casework.models import Person, Placement
from casework.permissions import Principal
from casework.schemas import PlacementIn, RetentionContactIn, TransitionIn
from casework.services import placements
from resources_catalog.errors import ResourceNotFound
from tests.casework.conftest import share_consent


@pytest.fixture
def propose(
    session: Session, coordinator: Principal, started_person: Person
) -> Callable[[str], Placement]:
    def make(resource_id: str) -> Placement:
        share_consent(session, coordinator, started_person.id, resource_id)
        return placements.propose_placement(
            session, coordinator, started_person.id, PlacementIn(resource_id=resource_id)
        )

    return make


def move(session: Session, who: Principal, p: Placement, to: str, **kw: object) -> Placement:
    data = TransitionIn.model_validate({"to_state": to, **kw})
    return placements.transition_placement(session, who, p.id, data)


def test_full_path_records_every_step(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=2))
    for state in ("contacted", "visit", "trial", "placed"):
        move(session, coordinator, p, state)
    move(session, coordinator, p, "ended", reason_code="stable")
    loaded = placements.get_placement(session, coordinator, p.id)
    assert [(t.from_state, t.to_state) for t in loaded.transitions] == [
        (None, "proposed"), ("proposed", "contacted"), ("contacted", "visit"),
        ("visit", "trial"), ("trial", "placed"), ("placed", "ended"),
    ]  # fmt: skip
    assert all(t.actor == coordinator.ref and t.at is not None for t in loaded.transitions)


def test_skipped_steps_are_recorded(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=1))
    move(session, coordinator, p, "trial")
    move(session, coordinator, p, "placed")
    steps = placements.get_placement(session, coordinator, p.id).transitions
    assert [t.skipped for t in steps] == [[], ["contacted", "visit"], []]


@pytest.mark.parametrize(
    ("path", "target"),
    [((), "ended"), (("trial",), "proposed"), (("trial", "placed"), "declined")],
)
def test_invalid_transitions_are_domain_errors(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
    path: tuple[str, ...],
    target: str,
) -> None:
    p = propose(resource(slots=1))
    for state in path:
        move(session, coordinator, p, state)
    with pytest.raises(InvalidTransition):
        move(session, coordinator, p, target, reason_code="other")


def test_terminal_states_are_final(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=1))
    move(session, coordinator, p, "declined", reason_code="person_declined", note="合わない")
    with pytest.raises(InvalidTransition):
        move(session, coordinator, p, "contacted")


def test_closing_needs_a_reason_code(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=1))
    with pytest.raises(InvalidInput):
        move(session, coordinator, p, "withdrawn")
    with pytest.raises(ValueError, match="reason_code"):
        TransitionIn(to_state="withdrawn", reason_code="made_up")


def test_placed_takes_a_slot_and_ended_frees_it(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    rid = resource(slots=2)
    p = propose(rid)
    move(session, coordinator, p, "placed")
    assert capacity.available_slots(session, rid) == 1 and p.holds_slot
    move(session, coordinator, p, "ended", reason_code="early_end")
    assert capacity.available_slots(session, rid) == 2 and not p.holds_slot


def test_no_free_slot_is_a_conflict(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    rid = resource(slots=0, maximum=3)
    p = propose(rid)
    with pytest.raises(NoCapacity), session.begin_nested():
        move(session, coordinator, p, "placed")
    assert capacity.available_slots(session, rid) == 0


def test_stale_version_is_refused(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=1))
    old = p.version
    move(session, coordinator, p, "contacted")
    with pytest.raises(ConcurrentUpdate):
        move(session, coordinator, p, "visit", expected_version=old)


def test_retention_log_updates_last_contact(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=1))
    move(session, coordinator, p, "placed")
    for day, party, method in ((date(2026, 12, 1), "person", "phone"),
                               (date(2026, 12, 8), "receiver", "visit")):  # fmt: skip
        placements.add_retention_contact(
            session, coordinator, p.id,
            RetentionContactIn(contacted_on=day, party=party, method=method,
                               discussed="通所の様子", next_action="次回面談"),
            today=date(2026, 12, 8),
        )  # fmt: skip
    log = placements.list_retention_contacts(session, coordinator, p.id)
    assert [(c.party, c.method, c.discussed) for c in log] == [
        ("person", "phone", "通所の様子"), ("receiver", "visit", "通所の様子"),
    ]  # fmt: skip
    assert p.last_contact_on == date(2026, 12, 8)


def test_retention_log_needs_a_started_placement(
    session: Session,
    coordinator: Principal,
    propose: Callable[[str], Placement],
    resource: Callable[..., str],
) -> None:
    p = propose(resource(slots=1))
    with pytest.raises(InvalidTransition):
        placements.add_retention_contact(
            session, coordinator, p.id,
            RetentionContactIn(contacted_on=date(2026, 12, 1), party="person", method="phone"),
            today=date(2026, 12, 1),
        )  # fmt: skip


def test_unknown_resource_is_refused(propose: Callable[[str], Placement]) -> None:
    with pytest.raises(ResourceNotFound):
        propose("NO-SUCH-RESOURCE")


def test_another_persons_plan_is_refused(
    session: Session,
    coordinator: Principal,
    started_person: Person,
    make_person: Callable[..., Person],
    resource: Callable[..., str],
) -> None:
    from casework.schemas import PlanIn
    from casework.services import plans

    other = make_person()
    other_plan = plans.create_plan(
        session, coordinator, other.id, PlanIn(issues_text="別の人", goal_text="別の目標")
    )
    data = PlacementIn(resource_id=resource(slots=1), plan_id=other_plan.id)
    with pytest.raises(InvalidInput, match="not a plan of this person"):
        placements.propose_placement(session, coordinator, started_person.id, data)
