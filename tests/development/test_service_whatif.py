"""The what-if over the demo waiting list: who waits, places never exceeded, beats greedy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.errors import Forbidden
from casework.models import AuditLog, Consent, Person, Placement
from development import service
from tests.development.conftest import AS_OF, Demo

FINISHED = {"ended", "declined", "no_capacity", "withdrawn"}


def test_waiting_list_is_open_consented_people_without_an_active_placement(demo: Demo) -> None:
    s = demo.session
    waiting = {w.person_id for w in service.waiting_list(s, on=AS_OF)}
    expected = set()
    for person in s.scalars(select(Person).where(Person.status == "open")):
        consented = s.scalar(
            select(Consent.id).where(Consent.person_id == person.id, Consent.scope == "matching")
        )
        states = s.scalars(select(Placement.state).where(Placement.person_id == person.id)).all()
        if consented and all(st in FINISHED for st in states):
            expected.add(person.id)
    assert waiting == expected
    assert len(waiting) >= 5


def test_what_if_on_demo_places_at_least_greedy_with_more_fit(demo: Demo) -> None:
    s = demo.session
    report = service.run_what_if(
        s, demo.caseload.staff.supervisor, demo.ranker, cap_per_receiver=1, on=AS_OF
    )
    assert report.waiting >= 5
    assert len(report.optimal) >= len(report.greedy)
    assert report.optimal_total_fit >= report.greedy_total_fit
    free = {r.resource_id: r.capacity_remaining for r in demo.ranker.resources_}
    for plan in (report.greedy, report.optimal):
        per_resource: dict[str, int] = {}
        for row in plan:
            per_resource[row.resource_id] = per_resource.get(row.resource_id, 0) + 1
        assert all(n <= min(free[rid], 1) for rid, n in per_resource.items())
        assert len({row.person_id for row in plan}) == len(plan)
    # a proposal only: no placement was created
    assert s.scalar(select(Placement.id).where(Placement.created_by == "what-if")) is None
    row = s.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert row is not None and row.action == "waitlist.whatif"


def test_what_if_is_for_supervisors(demo: Demo) -> None:
    with pytest.raises(Forbidden):
        service.run_what_if(demo.session, demo.caseload.staff.coordinator, demo.ranker, on=AS_OF)


def test_when_places_are_scarce_optimal_beats_greedy_on_the_demo_people(demo: Demo) -> None:
    """Every demo person as if waiting, one free place per resource: greedy lets the first in
    line take places later people fit better; the batch assignment does not."""
    from dataclasses import replace

    from casework.models import NeedsProfile
    from casework.services.suggestions import to_person_profile
    from development.whatif import what_if

    rows = demo.session.scalars(select(NeedsProfile).order_by(NeedsProfile.person_id)).all()
    profiles = [to_person_profile(n, person_key=str(n.person_id)) for n in rows]
    resources = [
        replace(r, capacity_remaining=min(r.capacity_remaining, 1)) for r in demo.ranker.resources_
    ]
    result = what_if(demo.ranker, profiles, resources, cap_per_receiver=1, top_k=5)
    assert result.optimal.placed >= result.greedy.placed >= len(profiles) - 5
    assert result.optimal.total_fit > result.greedy.total_fit + 1.0
    assert max(result.optimal.load().values()) == 1


@pytest.mark.parametrize("cap", [1, 2, None])
def test_demo_waiting_list_as_built_what_if_beats_greedy_within_free_places(
    demo: Demo, cap: int | None
) -> None:
    """Done-when, on the demo waiting list itself (consent comes from casework.demo, not the
        test): the batch places at least as many as greedy with no lower total fit, never more
        than a resource's free places or the fairness cap. (With the demo's free places greedy is
    already optimal here; the scarce test above shows the strict gain.)"""
    s = demo.session
    waiting = service.waiting_list(s, on=AS_OF)
    assert len(waiting) >= 10
    report = service.run_what_if(
        s, demo.caseload.staff.supervisor, demo.ranker, cap_per_receiver=cap, on=AS_OF
    )
    assert report.waiting == len(waiting)
    assert len(report.optimal) >= len(report.greedy) > 0
    assert report.optimal_total_fit >= report.greedy_total_fit
    free = {r.resource_id: r.capacity_remaining for r in demo.ranker.resources_}
    for plan in (report.greedy, report.optimal):
        load: dict[str, int] = {}
        for row in plan:
            load[row.resource_id] = load.get(row.resource_id, 0) + 1
        assert all(n <= free[rid] and (cap is None or n <= cap) for rid, n in load.items())
