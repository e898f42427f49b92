"""The pairwise stage: pairs within a run, position-bias correction, the held-out gate."""

from __future__ import annotations

import numpy as np
import pytest

from matching import HashingEncoder, PairwiseLearner, Ranker, Resource, ShownItem, SuggestionLog
from matching.pairwise import logged_ndcg, make_pairs, power_law_propensity
from tests.matching.conftest import person

SHOWN = 10


def _log(
    n_runs: int,
    hand: np.ndarray,
    truth: np.ndarray,
    *,
    eta: float = 1.0,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Runs of ten items with two random features, shown in ``hand`` order.

    A coordinator reads place k with probability ``k ** -eta``; what is read is proposed
    with a probability that rises with ``truth @ x`` (the planted preference).
    """
    rng = np.random.default_rng(seed)
    X, outcomes, positions, runs, people = [], [], [], [], []
    for run in range(n_runs):
        x = rng.normal(size=(SHOWN, len(hand)))
        x = x[np.argsort(-(x @ hand), kind="stable")]
        relevant = 1 / (1 + np.exp(-(3 * (x @ truth) - 2)))
        for k in range(SHOWN):
            read = rng.random() < (k + 1) ** -eta
            X.append(x[k])
            outcomes.append("proposed" if read and rng.random() < relevant[k] else "shown")
            positions.append(k + 1)
            runs.append(run)
            people.append(f"p{run}")
    return (
        np.array(X),
        np.array(outcomes, dtype=object),
        np.array(positions),
        np.array(runs),
        np.array(people, dtype=object),
    )


def test_pairs_are_only_formed_within_a_run() -> None:
    # column 0 carries the run, column 1 the item: a cross-run pair would show in column 0
    X = np.array([[0, 1], [0, 2], [0, 3], [1, 4], [1, 5]], dtype=float)
    grades = np.array([1, 3, 1, 2, 1])
    diffs, weights, runs = make_pairs(
        X, grades, np.array([1, 2, 3, 1, 2]), np.array([7, 7, 7, 9, 9])
    )
    assert np.all(diffs[:, 0] == 0)
    assert sorted(diffs[:, 1].tolist()) == [-1.0, -1.0, 1.0]  # 2-1, 2-3 and 4-5
    assert len(weights) == len(runs) == 3


def test_two_unread_items_make_no_pair() -> None:
    X = np.eye(3)
    diffs, _, _ = make_pairs(X, np.array([1, 1, 1]), np.array([1, 2, 3]), np.zeros(3))
    assert diffs.shape == (0, 3)


def test_a_pair_is_weighted_by_the_place_of_the_item_acted_on() -> None:
    X = np.eye(3)
    positions = np.array([1, 2, 4])
    # the item at place 4 was placed; the others were shown and not acted on
    _, weights, _ = make_pairs(
        X, np.array([1, 1, 3]), positions, np.zeros(3), eta=1.0, max_weight=20.0
    )
    assert weights.tolist() == [4.0, 4.0]
    _, clipped, _ = make_pairs(
        X, np.array([1, 1, 3]), positions, np.zeros(3), eta=1.0, max_weight=2.0
    )
    assert clipped.tolist() == [2.0, 2.0]
    _, plain, _ = make_pairs(X, np.array([1, 1, 3]), positions, np.zeros(3), ips=False)
    assert plain.tolist() == [1.0, 1.0]
    assert power_law_propensity(np.array([1, 2, 4])).tolist() == [1.0, 0.5, 0.25]


def test_ips_removes_the_pull_of_the_logging_order() -> None:
    # Shown in order of feature 0, relevant by feature 1 only: without correction, items
    # acted on sit near the top, so feature 0 looks useful; weighting by 1 / p(place) undoes it.
    hand, truth = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    log = _log(1500, hand, truth, eta=1.0)
    common = dict(min_runs=1, min_people=1, max_weight=20.0)
    naive = PairwiseLearner(ips=False, **common).fit(*log, hand_weights=hand)
    ips = PairwiseLearner(ips=True, **common).fit(*log, hand_weights=hand)
    ratio_naive = naive.coef_[0] / naive.coef_[1]
    ratio_ips = ips.coef_[0] / ips.coef_[1]
    assert ratio_naive > 0.2
    assert abs(ratio_ips) < ratio_naive / 2


def test_noise_is_not_adopted() -> None:
    hand = np.array([1.0, 0.5])
    X, outcomes, positions, runs, people = _log(300, hand, np.zeros(2), seed=1)
    learner = PairwiseLearner(min_runs=30).fit(X, outcomes, positions, runs, people, hand)
    assert not learner.used_
    assert "do not beat" in learner.report_["reason"]
    assert np.array_equal(learner.weights_, hand)


def test_weights_as_good_as_hand_are_not_adopted() -> None:
    # the truth is the hand-set direction: the learned stage cannot beat it by the margin
    hand = np.array([1.0, 0.5])
    log = _log(400, hand, hand, seed=2)
    learner = PairwiseLearner().fit(*log, hand_weights=hand)
    assert not learner.used_
    assert learner.report_["ndcg_learned"] < learner.report_["ndcg_hand"] + learner.margin


def test_too_few_runs_keep_the_hand_weights() -> None:
    hand = np.array([1.0, 0.0])
    log = _log(12, hand, np.array([0.0, 1.0]), seed=3)
    learner = PairwiseLearner(min_runs=30).fit(*log, hand_weights=hand)
    assert not learner.used_ and "too few runs" in learner.report_["reason"]


def test_a_planted_preference_is_learned_and_adopted() -> None:
    hand, truth = np.array([1.0, 0.0]), np.array([0.2, 1.0])
    log = _log(300, hand, truth, seed=4)
    learner = PairwiseLearner(random_state=0).fit(*log, hand_weights=hand)
    assert learner.used_, learner.report_
    assert learner.report_["ndcg_learned"] > learner.report_["ndcg_hand"] + 0.02
    assert learner.weights_[1] > learner.weights_[0] > 0
    # better on people never seen, judged by the planted truth itself
    rng = np.random.default_rng(99)
    fresh = rng.normal(size=(2000, 2))
    groups = np.repeat(np.arange(200), 10)
    gains = (fresh @ truth > 1).astype(int) + 1  # "proposed" where the truth is high
    assert logged_ndcg(learner.weights_, fresh, gains + 1, groups) > logged_ndcg(
        hand, fresh, gains + 1, groups
    )


def test_fit_is_deterministic() -> None:
    hand = np.array([1.0, 0.0])
    log = _log(200, hand, np.array([0.3, 1.0]), seed=5)
    a = PairwiseLearner(random_state=3).fit(*log, hand_weights=hand)
    b = PairwiseLearner(random_state=3).fit(*log, hand_weights=hand)
    assert np.array_equal(a.weights_, b.weights_) and a.report_ == b.report_


def _runs(n: int, favourite: str, catalog: list[Resource]) -> list[SuggestionLog]:
    ids = [r.resource_id for r in catalog]
    logs = []
    for i in range(n):
        order = ids[i % len(ids) :] + ids[: i % len(ids)]
        items = tuple(
            ShownItem(rid, k, "stable" if rid == favourite else "shown")
            for k, rid in enumerate(order, 1)
        )
        profile = person(person_id=f"p{i}", needs_text="何か始めたい")
        logs.append(SuggestionLog(f"r{i}", profile, items))
    return logs


def test_ranker_learns_from_stored_runs(tiny_catalog: list[Resource]) -> None:
    # coordinators always settle the person at what the hand-set weights rank last
    def ranker() -> Ranker:
        return Ranker(encoder=HashingEncoder(dim=32), word_vectors="off", diversity="off")

    hand = ranker().fit(tiny_catalog)
    ask = person(needs_text="何か始めたい")
    favourite = hand.suggest(ask, top_k=6)[-1].resource_id
    r = ranker().fit(tiny_catalog, runs=_runs(60, favourite, tiny_catalog))
    assert r.learned_, r.learning_report_
    assert r.learning_report_["stage"] == "pairwise"
    assert "/learned-" in r.version and r.version != hand.version
    assert r.suggest(ask, top_k=1)[0].resource_id == favourite


def test_ranker_keeps_hand_weights_with_few_runs(tiny_catalog: list[Resource]) -> None:
    r = Ranker(encoder=HashingEncoder(dim=32), word_vectors="off").fit(
        tiny_catalog, runs=_runs(5, "farm", tiny_catalog)
    )
    assert not r.learned_ and "too few runs" in r.learning_report_["reason"]


@pytest.mark.parametrize("outcome", ["declined", "shown"])
def test_a_declined_item_is_not_paired_against_an_unread_one(outcome: str) -> None:
    learner = PairwiseLearner(min_runs=1, min_people=1)
    X = np.eye(2)
    learner.fit(
        X,
        np.array([outcome, "shown"], dtype=object),
        np.array([1, 2]),
        np.zeros(2),
        np.array(["p", "p"], dtype=object),
        np.ones(2),
    )
    assert learner.report_["n_pairs"] == 0
