"""Signal ablation: each signal's weight set to 0 in turn, on any evaluation sets.

``python -m matching.evalsets.ablation --sets dev=DIR,colloquial=DIR [--bridge-weight W]``
fits one ranker per set (default encoder, word bridge on when ja-ginza is installed), encodes
each person's query once, and ranks with weight variants (no refit), printing nDCG@5 / MRR.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from matching.encoders import Encoder, default_encoder
from matching.evaluation import RankingEvaluator
from matching.io import load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.ranker import FEATURES, Ranker
from matching.types import PersonProfile, Suggestion

VARIANTS: dict[str, dict[str, float]] = {
    "all signals": {},
    "bridge weight 0.5": {"semantic_bridge": 0.5},
    "bridge weight 2.0": {"semantic_bridge": 2.0},
    "- word bridge": {"semantic_bridge": 0.0},
    "- dense encoder": {"dense": 0.0},
    "- BM25": {"bm25": 0.0, "avoid_lexical": 0.0},
    "- ontology (concept, category)": {"concept": 0.0, "category": 0.0, "avoid": 0.0},
    "- schedule (time, avoid_schedule)": {"time": 0.0, "avoid_schedule": 0.0},
    "- accommodations (quiet, small, paid)": {"quiet": 0.0, "small_group": 0.0, "paid": 0.0},
    "- distance": {"distance": 0.0},
}


class _Fixed:
    """Ranks with stored query vectors so that variants do not re-encode."""

    def __init__(self, ranker: Ranker, qvecs: dict[str, np.ndarray]) -> None:
        self.ranker, self.qvecs = ranker, qvecs

    def suggest(self, profile: PersonProfile, top_k: int = 10) -> list[Suggestion]:
        return self.ranker.rank(
            profile, self.qvecs[profile.person_id], top_k=top_k, with_reasons=False
        )


def run(
    sets: dict[str, Path], encoder: Encoder, cache_dir: str | None, bridge_weight: float
) -> dict[str, dict[str, dict[str, float]]]:
    """nDCG@5 and MRR per set and variant."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, folder in sets.items():
        resources = load_catalog_csv(folder / "catalog.csv")
        people = load_people_jsonl(folder / "people.jsonl")
        labels = load_labels_csv(folder / "labels.csv")
        ranker = Ranker(encoder=encoder, cache_dir=cache_dir).fit(resources)
        qvecs = {p.person_id: ranker.encode_query(p) for p in people}
        evaluator = RankingEvaluator(people, labels, resources, name=name)
        out[name] = {}
        plain = Ranker(encoder=encoder, cache_dir=cache_dir, near_concepts=False).fit(resources)
        w = plain.weight_vector_.copy()
        w[FEATURES.index("semantic_bridge")] = bridge_weight
        m = evaluator(_Fixed(plain.with_weights(w), qvecs))
        out[name]["- near concepts (word vectors to ontology)"] = {
            "ndcg@5": round(m["ndcg@5"], 3),
            "mrr": round(m["mrr"], 3),
            "breaks": m["hard_rule_breaks@10"],
        }
        for variant, zeroed in VARIANTS.items():
            w = ranker.weight_vector_.copy()
            w[FEATURES.index("semantic_bridge")] = bridge_weight
            for f, v in zeroed.items():
                w[FEATURES.index(f)] = v
            view = ranker.with_weights(w)
            m = evaluator(_Fixed(view, qvecs))
            out[name][variant] = {
                "ndcg@5": round(m["ndcg@5"], 3),
                "mrr": round(m["mrr"], 3),
                "breaks": m["hard_rule_breaks@10"],
            }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sets", required=True, help="name=folder,name=folder")
    ap.add_argument("--cache-dir", default=None)
    ap.add_argument("--bridge-weight", type=float, default=None)
    args = ap.parse_args()
    from matching.ranker.features import DEFAULT_WEIGHTS

    weight = (
        args.bridge_weight if args.bridge_weight is not None else DEFAULT_WEIGHTS["semantic_bridge"]
    )
    sets = {kv.split("=")[0]: Path(kv.split("=")[1]) for kv in args.sets.split(",")}
    print(
        json.dumps(
            run(sets, default_encoder(), args.cache_dir, weight), ensure_ascii=False, indent=1
        )
    )


if __name__ == "__main__":
    main()
