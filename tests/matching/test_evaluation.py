"""Metrics, the evaluator callable, baselines and the seeded generator."""

from __future__ import annotations

import math

import pytest

from matching import PersonProfile, RankingEvaluator, Resource, Suggestion, TfidfBaseline
from matching.evalsets.generate import make_catalog, make_people
from matching.evaluation import ndcg_at_k, recall_at_k, reciprocal_rank
from tests.matching.conftest import make_tiny_catalog, person


def test_metrics_exact_values() -> None:
    grades = {"a": 2, "b": 1}
    assert ndcg_at_k(["a", "b", "c"], grades) == pytest.approx(1.0)
    expected = (1 / math.log2(2) + 3 / math.log2(3)) / (3 + 1 / math.log2(3))
    assert ndcg_at_k(["b", "a"], grades) == pytest.approx(expected)
    assert reciprocal_rank(["c", "b"], grades) == 0.5
    assert recall_at_k(["c", "d", "e", "f", "g", "a"], grades, 5) == 0.0


class _Fixed:
    def __init__(self, order: list[str]) -> None:
        self.order = order

    def suggest(self, profile: PersonProfile, top_k: int = 10) -> list[Suggestion]:
        return [Suggestion(r, 1.0, [], {}) for r in self.order[:top_k]]


def test_evaluator_returns_metrics_and_counts_rule_breaks() -> None:
    catalog: list[Resource] = make_tiny_catalog()
    catalog[0].status = "inactive"
    evaluator = RankingEvaluator([person(person_id="p")], {"p": {"pc": 2}}, catalog)
    out = evaluator(_Fixed(["farm", "pc"]))
    assert out["primary_metric"] == "ndcg@5"
    assert out["mrr"] == 0.5
    assert out["hard_rule_breaks@10"] == 1


def test_baseline_never_suggests_rule_breaking_resources() -> None:
    catalog = make_tiny_catalog()
    catalog[0].capacity_remaining = 0
    got = TfidfBaseline().fit(catalog).suggest(person(needs_text="畑の農作業"), top_k=6)
    assert "farm" not in [s.resource_id for s in got]


def test_generator_is_deterministic() -> None:
    a, ka = make_catalog(60, seed=3)
    b, kb = make_catalog(60, seed=3)
    assert a == b and ka == kb
    pa, la, _ = make_people(a, ka, 20, seed=4)
    pb, lb, _ = make_people(b, kb, 20, seed=4)
    assert pa == pb and la == lb
    assert all(2 in g.values() for g in la.values())
