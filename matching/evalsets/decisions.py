"""A year of simulated coordinator decisions, to see what the pairwise stage learns and when.

``python -m matching.evalsets.decisions [--months 12] [--seed 0]`` prints the learning curve.

- **People and resources**: the seeded synthetic set (``matching/evalsets/synth``: 300
  resources, 400 people). The hidden truth is the set's labels, written by the generator
  from each person's hidden anchor activity and wishes, never from the ranker: grade 2 for
  the nearest activities of the wished kind that honour every wish, 1 for a near miss.
- **Lists**: each person's 30 best feasible resources under the hand-set weights are the
  pool (the hard rules and the first stage stay as they are); a list shown to a coordinator
  is the pool's top 10 re-ordered by the weights in service (numpy, no diversity step).
- **Coordinators** read place k with probability ``k ** -eta`` and, for what they read,
  propose, see it declined or placed, and see it last or end early with probabilities that
  rise with the hidden grade (:class:`Coordinator`).
- **Each month** ``per_month`` new people get a list; at the month's end the stage is
  retrained on every log so far, with and without inverse propensity weighting, and the
  gated result (with IPS) goes into service for the next month. Learning curves are true
  nDCG@5 on ``test_people`` people who never appear in the logs, against the hidden labels.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from matching.encoders import HashingEncoder
from matching.evaluation import ndcg_at_k
from matching.io import load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.pairwise import PairwiseLearner
from matching.ranker import FEATURES, Ranker
from matching.types import PersonProfile

SYNTH = Path(__file__).resolve().parent / "synth"


@dataclass(frozen=True)
class Pool:
    """One person's candidate pool: resource ids, their feature rows and the hidden grades."""

    person_id: str
    resource_ids: list[str]
    X: np.ndarray
    truth: Mapping[str, int]

    def hidden_grades(self) -> np.ndarray:
        """The hidden grade (0, 1, 2) of each pool resource."""
        return np.array([self.truth.get(r, 0) for r in self.resource_ids], dtype=np.int64)


@dataclass(frozen=True)
class Coordinator:
    """How a simulated coordinator reads a list and what follows, by hidden grade 0/1/2."""

    eta: float = 1.0
    propose: tuple[float, float, float] = (0.05, 0.3, 0.7)
    place: tuple[float, float, float] = (0.2, 0.5, 0.8)
    stay: tuple[float, float, float] = (0.2, 0.5, 0.8)


@dataclass
class Log:
    """Accumulated shown items: features, graded outcome, position, run and person."""

    X: list[np.ndarray] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    positions: list[int] = field(default_factory=list)
    runs: list[int] = field(default_factory=list)
    people: list[str] = field(default_factory=list)

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The arrays :meth:`PairwiseLearner.fit` takes."""
        return (
            np.vstack(self.X) if self.X else np.zeros((0, len(FEATURES))),
            np.array(self.outcomes, dtype=object),
            np.array(self.positions, dtype=np.int64),
            np.array(self.runs, dtype=np.int64),
            np.array(self.people, dtype=object),
        )


def load_synth(
    directory: Path = SYNTH,
) -> tuple[Ranker, list[PersonProfile], dict[str, dict[str, int]]]:
    """A ranker fitted on the synthetic catalog (hashing encoder, no word vectors: fast)."""
    resources = load_catalog_csv(directory / "catalog.csv")
    people = load_people_jsonl(directory / "people.jsonl")
    labels = load_labels_csv(directory / "labels.csv")
    ranker = Ranker(encoder=HashingEncoder(dim=128), word_vectors="off").fit(resources)
    return ranker, people, labels


def build_pools(
    ranker: Ranker,
    people: Sequence[PersonProfile],
    labels: Mapping[str, Mapping[str, int]],
    size: int = 30,
) -> list[Pool]:
    """Each person's best ``size`` feasible resources under the ranker's weights."""
    pools = []
    for p in people:
        ranked = ranker.rank(p, ranker.encode_query(p), top_k=size, with_reasons=False)
        X = np.array([[s.features[f] for f in FEATURES] for s in ranked], dtype=np.float64)
        pools.append(
            Pool(
                p.person_id,
                [s.resource_id for s in ranked],
                X.reshape(-1, len(FEATURES)),
                labels.get(p.person_id, {}),
            )
        )
    return pools


def plant(pools: Sequence[Pool], feature: str, threshold: float = 0.5) -> list[Pool]:
    """Pools whose hidden truth also prefers ``feature``: one grade up (at most 2) where it is
    at least ``threshold``. A preference the hand-set weights do not know about."""
    col = FEATURES.index(feature)
    out = []
    for pool in pools:
        truth = dict(pool.truth)
        for rid, value in zip(pool.resource_ids, pool.X[:, col], strict=True):
            if value >= threshold:
                truth[rid] = min(2, truth.get(rid, 0) + 1)
        out.append(Pool(pool.person_id, pool.resource_ids, pool.X, truth))
    return out


def true_ndcg(weights: np.ndarray, pools: Sequence[Pool], k: int = 5) -> float:
    """Mean nDCG@k against the hidden labels when each pool is ordered by ``X @ weights``."""
    values = []
    for pool in pools:
        order = np.argsort(-(pool.X @ weights), kind="stable")
        values.append(ndcg_at_k([pool.resource_ids[i] for i in order], pool.truth, k))
    return float(np.mean(values))


def simulate_run(
    pool: Pool,
    weights: np.ndarray,
    rng: np.random.Generator,
    coordinator: Coordinator,
    shown: int = 10,
) -> tuple[np.ndarray, list[str]]:
    """Show the pool's top ``shown`` under ``weights``; return the shown rows and outcomes."""
    order = np.argsort(-(pool.X @ weights), kind="stable")[:shown]
    hidden = pool.hidden_grades()[order]
    outcomes = []
    for k, g in enumerate(hidden, start=1):
        outcome = "shown"
        if rng.random() < k**-coordinator.eta and rng.random() < coordinator.propose[g]:
            if rng.random() >= coordinator.place[g]:
                outcome = "declined"
            elif rng.random() < coordinator.stay[g]:
                outcome = "stable"
            else:
                outcome = "ended_early"
        outcomes.append(outcome)
    return order, outcomes


def simulate_year(
    pools: Sequence[Pool],
    hand: np.ndarray,
    *,
    months: int = 12,
    per_month: int = 25,
    test_people: int = 100,
    coordinator: Coordinator | None = None,
    learner: PairwiseLearner | None = None,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """Run the year; one row per month with the held-out true nDCG@5 of each weight vector.

    Keys: ``hand``, ``learned_ips``, ``learned_naive`` (the stage fitted with and without the
    correction, used or not), ``in_service`` (what the gate let through), ``adopted``;
    ``*_shown``: the same within the held-out people's first ten under the hand-set weights
    (all a logged list can show the gate); ``gate_*``: the gate's own held-out estimate.
    """
    coordinator = coordinator or Coordinator()
    base = learner or PairwiseLearner(random_state=seed)
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(pools))
    test = [pools[i] for i in order[:test_people]]
    arrivals = [pools[i] for i in order[test_people:]]
    hand = np.asarray(hand, dtype=np.float64)
    in_service = hand
    log = Log()
    rows: list[dict[str, Any]] = []
    baseline = true_ndcg(hand, test)
    # the held-out people's first ten under the hand-set weights: all a logged list can show
    shown_test = [Pool(p.person_id, p.resource_ids[:10], p.X[:10], p.truth) for p in test]
    n_runs = 0
    for month in range(1, months + 1):
        for pool in arrivals[(month - 1) * per_month : month * per_month]:
            shown, outcomes = simulate_run(pool, in_service, rng, coordinator)
            run = n_runs
            n_runs += 1
            for position, (i, outcome) in enumerate(zip(shown, outcomes, strict=True), 1):
                log.X.append(pool.X[i])
                log.outcomes.append(outcome)
                log.positions.append(position)
                log.runs.append(run)
                log.people.append(pool.person_id)
        arrays = log.arrays()
        ips = PairwiseLearner(**{**base.get_params(), "ips": True}).fit(*arrays, hand)
        naive = PairwiseLearner(**{**base.get_params(), "ips": False}).fit(*arrays, hand)
        in_service = ips.weights_
        rows.append(
            {
                "month": month,
                "runs": ips.report_["n_runs"],
                "runs_with_decision": ips.report_["n_runs_with_pairs"],
                "pairs": ips.report_["n_pairs"],
                "hand": round(baseline, 4),
                "learned_ips": round(true_ndcg(ips.coef_, test), 4),
                "learned_naive": round(true_ndcg(naive.coef_, test), 4),
                "adopted": ips.used_,
                "in_service": round(true_ndcg(in_service, test), 4),
                "learned_ips_shown": round(true_ndcg(ips.coef_, shown_test), 4),
                "hand_shown": round(true_ndcg(hand, shown_test), 4),
                "gate_hand": ips.report_.get("ndcg_hand"),
                "gate_learned": ips.report_.get("ndcg_learned"),
            }
        )
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    """Print the learning curve as JSON lines."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--months", type=int, default=12)
    ap.add_argument("--per-month", type=int, default=25)
    ap.add_argument("--eta", type=float, default=1.0, help="coordinators' examination curve")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    ranker, people, labels = load_synth()
    pools = build_pools(ranker, people, labels)
    rows = simulate_year(
        pools,
        ranker.weight_vector_,
        months=args.months,
        per_month=args.per_month,
        coordinator=Coordinator(eta=args.eta),
        seed=args.seed,
    )
    for row in rows:
        print(json.dumps(row))


if __name__ == "__main__":
    main()
