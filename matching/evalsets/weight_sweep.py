"""Sweep the hand-set feature weights over the evaluation sets, one weight at a time.

``PYTHONPATH=. python -m matching.evalsets.weight_sweep --cache-dir /tmp/cache`` fits one
ranker per set, then ranks every person again with one weight scaled (×0.5, ×0.75, ×1.33,
×2 by default) and prints the mean nDCG@5 over the case-note sets and over the rest, and how
many sets gained or lost. Hand-set weights change only where most sets agree (docs/matching.md,
eighth pass: distance 1.0 → 2.0).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from matching.evaluation import ndcg_at_k
from matching.io import load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.ranker import FEATURES, Ranker
from matching.types import PersonProfile

HERE = Path(__file__).resolve().parent
DEV = HERE.parents[1].parent / "shared" / "eval" / "dev"
SKIP = {"synth", "synth_large"}

Loaded = tuple[str, Ranker, list[PersonProfile], dict[str, dict[str, int]], dict[str, np.ndarray]]


def _sets(names: list[str] | None) -> list[tuple[str, Path]]:
    found = [
        (p.name, p)
        for p in sorted(HERE.iterdir())
        if (p / "labels.csv").exists() and p.name not in SKIP
    ]
    if (DEV / "labels.csv").exists():
        found.insert(0, ("dev", DEV))
    return [s for s in found if names is None or s[0] in names]


def _load(folder: Path, name: str, cache_dir: str | None) -> Loaded:
    people = load_people_jsonl(folder / "people.jsonl")
    ranker = Ranker(cache_dir=cache_dir).fit(load_catalog_csv(folder / "catalog.csv"))
    vectors = {p.person_id: ranker.encode_query(p) for p in people}
    return name, ranker, people, load_labels_csv(folder / "labels.csv"), vectors


def mean_ndcg(loaded: Loaded, scale: dict[str, float]) -> float:
    """Mean nDCG@5 of one set with the named weights scaled."""
    _, ranker, people, labels, vectors = loaded
    weights = ranker.weight_vector_.copy()
    for name, factor in scale.items():
        weights[FEATURES.index(name)] *= factor
    view = ranker.with_weights(weights)
    scores = []
    for p in people:
        found = view.rank(p, vectors[p.person_id], top_k=10, with_reasons=False)
        scores.append(ndcg_at_k([s.resource_id for s in found], labels.get(p.person_id, {}), 5))
    return float(np.mean(scores))


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=None, help="comma-separated set names (default: all)")
    ap.add_argument("--features", default="bm25,dense,semantic_bridge,concept,category,distance")
    ap.add_argument("--factors", default="0.5,0.75,1.33,2.0")
    ap.add_argument("--cache-dir", default=None)
    args = ap.parse_args()
    names = args.sets.split(",") if args.sets else None
    loaded = [_load(folder, name, args.cache_dir) for name, folder in _sets(names)]
    configs: list[dict[str, float]] = [{}]
    for feature in args.features.split(","):
        if feature not in FEATURES:
            ap.error(f"unknown feature {feature!r}; one of {', '.join(FEATURES)}")
        configs += [{feature: float(f)} for f in args.factors.split(",")]
    base: dict[str, float] = {}
    for scale in configs:
        means = {item[0]: mean_ndcg(item, scale) for item in loaded}
        base = base or means
        case = [v for k, v in means.items() if "casenotes" in k or "terse" in k]
        rest = [v for k, v in means.items() if not ("casenotes" in k or "terse" in k)]
        won = sum(means[k] > base[k] + 1e-9 for k in means)
        lost = sum(means[k] < base[k] - 1e-9 for k in means)
        print(
            f"{json.dumps(scale):28s} case notes {np.mean(case or [0]):.4f}  "
            f"other {np.mean(rest or [0]):.4f}  all {np.mean(list(means.values())):.4f}  "
            f"sets +{won}/-{lost}",
            flush=True,
        )


if __name__ == "__main__":
    main()
