"""The batch what-if: never over a free-place count, never worse than greedy, truly optimal."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from development.whatif import Plan, greedy_assignment, optimal_assignment

RESOURCES = ["R1", "R2", "R3", "R4"]


@st.composite
def instances(
    draw: st.DrawFn,
) -> tuple[list[str], dict[str, list[tuple[str, float]]], dict[str, int], int | None]:
    n = draw(st.integers(min_value=0, max_value=7))
    people = [f"P{i}" for i in range(n)]
    fits = st.floats(min_value=-3.0, max_value=5.0, allow_nan=False).map(lambda x: round(x, 3))
    candidates = {}
    for p in people:
        rids = draw(st.lists(st.sampled_from(RESOURCES), unique=True, max_size=4))
        candidates[p] = sorted(((r, draw(fits)) for r in rids), key=lambda t: -t[1])
    free = {r: draw(st.integers(min_value=0, max_value=3)) for r in RESOURCES}
    cap = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=3)))
    return people, candidates, free, cap


def _check_feasible(
    plan: Plan,
    candidates: dict[str, list[tuple[str, float]]],
    free: dict[str, int],
    cap: int | None,
) -> None:
    people = [a.person_id for a in plan.assignments]
    assert len(people) == len(set(people))
    for rid, n in plan.load().items():
        assert n <= free[rid]
        if cap is not None:
            assert n <= cap
    for a in plan.assignments:
        assert (a.resource_id, a.fit) in candidates[a.person_id]


@settings(max_examples=300, deadline=None)
@given(instances())
def test_optimal_never_exceeds_places_and_beats_greedy(inst: tuple) -> None:
    people, candidates, free, cap = inst
    greedy = greedy_assignment(people, candidates, free, cap_per_receiver=cap)
    best = optimal_assignment(
        people, candidates, free, cap_per_receiver=cap, at_least=greedy.placed
    )
    _check_feasible(greedy, candidates, free, cap)
    _check_feasible(best, candidates, free, cap)
    assert best.placed >= greedy.placed
    assert best.total_fit >= greedy.total_fit - 1e-9


def _brute_force(people, candidates, free, cap, at_least):  # type: ignore[no-untyped-def]
    """Every assignment, by enumeration: (most placed with the best fit) honouring at_least."""
    slots = {r: min(free[r], cap) if cap is not None else free[r] for r in RESOURCES}
    options = [[None, *(c for c in candidates[p])] for p in people]
    results = []
    for combo in itertools.product(*options):
        load: dict[str, int] = {}
        for c in combo:
            if c is not None:
                load[c[0]] = load.get(c[0], 0) + 1
        if any(n > slots[r] for r, n in load.items()):
            continue
        placed = sum(c is not None for c in combo)
        if placed >= at_least:
            results.append((placed, sum(c[1] for c in combo if c is not None)))
    return results


@settings(max_examples=150, deadline=None)
@given(instances())
def test_optimal_matches_brute_force(inst: tuple) -> None:
    people, candidates, free, cap = inst
    people = people[:5]
    candidates = {p: candidates[p] for p in people}
    greedy = greedy_assignment(people, candidates, free, cap_per_receiver=cap)
    best = optimal_assignment(
        people, candidates, free, cap_per_receiver=cap, at_least=greedy.placed
    )
    options = _brute_force(people, candidates, free, cap, greedy.placed)
    top_fit = max(f for _, f in options)
    assert abs(best.total_fit - top_fit) < 1e-6
    # among assignments as good as the best fit at the floor, none places more people
    most = max(n for n, f in options if f >= top_fit - 1e-6)
    assert best.placed == most


def test_greedy_serves_the_earliest_first_and_optimal_spreads_people() -> None:
    # P1 (first in line) takes R1, the only place P2 could use; optimal sends P1 to R2.
    candidates = {"P1": [("R1", 2.0), ("R2", 1.8)], "P2": [("R1", 1.5)]}
    free = {"R1": 1, "R2": 1}
    greedy = greedy_assignment(["P1", "P2"], candidates, free)
    best = optimal_assignment(["P1", "P2"], candidates, free, at_least=greedy.placed)
    assert [(a.person_id, a.resource_id) for a in greedy.assignments] == [("P1", "R1")]
    assert sorted((a.person_id, a.resource_id) for a in best.assignments) == [
        ("P1", "R2"),
        ("P2", "R1"),
    ]
    assert best.total_fit == 3.3


def test_fairness_cap_limits_people_per_receiver() -> None:
    candidates = {f"P{i}": [("R1", 3.0), ("R2", 0.5)] for i in range(4)}
    best = optimal_assignment(
        list(candidates), candidates, {"R1": 10, "R2": 10}, cap_per_receiver=2
    )
    assert best.load() == {"R1": 2, "R2": 2}
