"""Batch what-if for the waiting list (待機者の一括割当シミュレーション).

Given everyone waiting, the suggestions the ranker would make for each, and each receiver's
free places, compare two ways of filling the places:

* greedy: people in waiting order each take their best suggestion that still has a place
  (what happens when coordinators run suggestions one person at a time);
* optimal: the assignment that places at least as many people as greedy with the highest
  total fit, solved with ``scipy.optimize.linear_sum_assignment`` on slot copies.

Nothing is placed: the result is a proposal for the supervisor.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from matching import PersonProfile, Ranker, Resource

__all__ = [
    "Assignment",
    "WhatIfResult",
    "candidates_from_ranker",
    "greedy_assignment",
    "optimal_assignment",
    "what_if",
]

# Cost of a forbidden pair (not suggested): far above any real fit, but finite so the solver
# always finds a complete assignment and the forbidden pairs are dropped afterwards.
_FORBIDDEN = 1e9


@dataclass(frozen=True)
class Assignment:
    """A proposed pairing of one waiting person with one resource, and its fit score."""

    person_id: str
    resource_id: str
    fit: float


@dataclass
class Plan:
    """One way of filling the free places: the pairs, how many placed, the summed fit."""

    assignments: list[Assignment] = field(default_factory=list)

    @property
    def placed(self) -> int:
        """Number of people given a place."""
        return len(self.assignments)

    @property
    def total_fit(self) -> float:
        """Sum of the fit scores of the pairs."""
        return float(sum(a.fit for a in self.assignments))

    def load(self) -> dict[str, int]:
        """People proposed per resource."""
        out: dict[str, int] = {}
        for a in self.assignments:
            out[a.resource_id] = out.get(a.resource_id, 0) + 1
        return out


@dataclass
class WhatIfResult:
    """Greedy and optimal plans side by side, with the limits they were computed under."""

    greedy: Plan
    optimal: Plan
    waiting: int
    slots: dict[str, int]
    cap_per_receiver: int | None


def _slots(free: Mapping[str, int], cap: int | None) -> dict[str, int]:
    """Places usable per resource: the free places, limited by the fairness cap."""
    out = {}
    for rid, n in free.items():
        k = max(int(n), 0)
        if cap is not None:
            k = min(k, max(cap, 0))
        if k > 0:
            out[rid] = k
    return out


def greedy_assignment(
    order: Sequence[str],
    candidates: Mapping[str, Sequence[tuple[str, float]]],
    free: Mapping[str, int],
    *,
    cap_per_receiver: int | None = None,
) -> Plan:
    """One person at a time, in ``order``: the first suggestion that still has a place."""
    left = _slots(free, cap_per_receiver)
    plan = Plan()
    for pid in order:
        for rid, fit in candidates.get(pid, ()):
            if left.get(rid, 0) > 0:
                left[rid] -= 1
                plan.assignments.append(Assignment(pid, rid, float(fit)))
                break
    return plan


def _solve(
    people: list[str],
    cols: list[str],
    weight: np.ndarray,
    allowed: np.ndarray,
    at_least: int,
) -> Plan:
    """Max-fit assignment with at least ``at_least`` people placed (dummy columns for the rest)."""
    n = len(people)
    n_dummy = n - at_least
    cost = np.full((n, len(cols) + n_dummy), 0.0)
    cost[:, : len(cols)] = np.where(allowed, -weight, _FORBIDDEN)
    rows, picked = linear_sum_assignment(cost)
    plan = Plan()
    for r, c in zip(rows, picked, strict=True):
        if c < len(cols) and allowed[r, c]:
            plan.assignments.append(Assignment(people[r], cols[c], float(weight[r, c])))
    return plan


def optimal_assignment(
    order: Sequence[str],
    candidates: Mapping[str, Sequence[tuple[str, float]]],
    free: Mapping[str, int],
    *,
    cap_per_receiver: int | None = None,
    at_least: int = 0,
) -> Plan:
    """The assignment with the most people placed whose total fit is highest.

    Each resource is copied once per usable place (slot copies), so the problem becomes a
    rectangular assignment. ``n - k`` zero-cost dummy columns let up to ``n - k`` people stay
    unplaced, which forces at least ``k`` placements; ``k`` is the largest number (at least
    ``at_least``) whose best total fit is no lower than the best with ``k = at_least``.
    """
    slots = _slots(free, cap_per_receiver)
    people = [p for p in order if candidates.get(p)]
    # Only suggested resources matter, and none can take more people than are waiting.
    wanted = {rid for p in people for rid, _ in candidates[p]}
    cols: list[str] = [
        rid for rid, k in slots.items() if rid in wanted for _ in range(min(k, len(people)))
    ]
    if not people or not cols:
        return Plan()
    col_of: dict[str, list[int]] = {}
    for j, rid in enumerate(cols):
        col_of.setdefault(rid, []).append(j)
    weight = np.zeros((len(people), len(cols)))
    allowed = np.zeros((len(people), len(cols)), dtype=bool)
    for i, pid in enumerate(people):
        for rid, fit in candidates[pid]:
            js = col_of.get(rid)
            if js:
                weight[i, js] = float(fit)
                allowed[i, js] = True
    # The most people that can be placed at all: every allowed pair worth 1.
    most = _solve(people, cols, allowed.astype(float), allowed, 0).placed
    floor = min(max(at_least, 0), most)
    baseline = _solve(people, cols, weight, allowed, floor)
    # The best total fit with at least k placed only falls as k grows: binary search for the
    # largest k that still fits as well as the floor.
    best, lo, hi = baseline, floor, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        plan = _solve(people, cols, weight, allowed, mid)
        if plan.total_fit >= baseline.total_fit - 1e-9:
            best, lo = plan, mid
        else:
            hi = mid - 1
    return best


def candidates_from_ranker(
    ranker: Ranker, profiles: Sequence[PersonProfile], *, top_k: int = 20
) -> dict[str, list[tuple[str, float]]]:
    """Each person's suggestions (best first) as (resource_id, fit) pairs.

    Only what the ranker would suggest counts: its hard rules are never broken here.
    """
    return {
        p.person_id: [(s.resource_id, s.score) for s in ranker.suggest(p, top_k=top_k)]
        for p in profiles
    }


def what_if(
    ranker: Ranker,
    profiles: Sequence[PersonProfile],
    resources: Sequence[Resource],
    *,
    cap_per_receiver: int | None = 2,
    top_k: int = 20,
) -> WhatIfResult:
    """Greedy against optimal for the waiting ``profiles`` (in waiting order); places nobody."""
    candidates = candidates_from_ranker(ranker, profiles, top_k=top_k)
    free = {r.resource_id: r.capacity_remaining for r in resources if r.status == "active"}
    order = [p.person_id for p in profiles]
    greedy = greedy_assignment(order, candidates, free, cap_per_receiver=cap_per_receiver)
    optimal = optimal_assignment(
        order, candidates, free, cap_per_receiver=cap_per_receiver, at_least=greedy.placed
    )
    return WhatIfResult(
        greedy=greedy,
        optimal=optimal,
        waiting=len(profiles),
        slots=_slots(free, cap_per_receiver),
        cap_per_receiver=cap_per_receiver,
    )
