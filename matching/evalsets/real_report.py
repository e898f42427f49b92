"""Per-person report on a real-place set: nDCG@5 per person and the worst cases.

``PYTHONPATH=. python -m matching.evalsets.real_report real_brochure [--encoder hashing]``
prints, for the people with the lowest nDCG@5, the needs text, the first three suggestions
and the labelled resources, so a README can say what ranked first and why.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from matching.cli import _encoder
from matching.evaluation import ndcg_at_k
from matching.io import load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.ranker import FEATURES, Ranker

HERE = Path(__file__).resolve().parent


def main() -> None:
    """Command line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name", help="set folder beside this file, e.g. real_brochure")
    ap.add_argument("--encoder", default="default")
    ap.add_argument("--cache-dir", default=None)
    ap.add_argument("--worst", type=int, default=8)
    args = ap.parse_args()
    folder = HERE / args.name
    resources = load_catalog_csv(folder / "catalog.csv")
    people = load_people_jsonl(folder / "people.jsonl")
    labels = load_labels_csv(folder / "labels.csv")
    by_id = {r.resource_id: r for r in resources}
    ranker = Ranker(encoder=_encoder(args.encoder), cache_dir=args.cache_dir).fit(resources)
    qvecs = {p.person_id: ranker.encode_query(p) for p in people}
    dense_w = np.zeros_like(ranker.weight_vector_)
    dense_w[FEATURES.index("dense")] = 1.0
    dense_only = ranker.with_weights(dense_w)
    rows = []
    anchor = []
    for p in people:
        grades = labels.get(p.person_id, {})
        ranked = [
            s.resource_id for s in ranker.rank(p, qvecs[p.person_id], top_k=10, with_reasons=False)
        ]
        rows.append((ndcg_at_k(ranked, grades, 5), p, ranked))
        dense = dense_only.rank(p, qvecs[p.person_id], top_k=10, with_reasons=False)
        anchor.append(ndcg_at_k([s.resource_id for s in dense], grades, 5))
    print(f"dense-only anchor nDCG@5 {sum(anchor) / len(anchor):.3f}")
    rows.sort(key=lambda x: (x[0], x[1].person_id))
    print(f"mean nDCG@5 {sum(r[0] for r in rows) / len(rows):.3f} over {len(rows)} people")
    print(f"people with nDCG@5 = 0: {sum(1 for r in rows if r[0] == 0)}")
    for score, p, ranked in rows[: args.worst]:
        print(f"\n{p.person_id} nDCG@5={score:.3f} 「{p.needs_text}」")
        for rid in ranked[:3]:
            mark = labels.get(p.person_id, {}).get(rid, 0)
            print(f"  top {rid} (grade {mark}) {by_id[rid].name}")
        for rid, g in sorted(labels.get(p.person_id, {}).items(), key=lambda x: -x[1]):
            pos = ranked.index(rid) + 1 if rid in ranked else None
            print(f"  label {rid} grade {g} rank {pos} {by_id[rid].name}")


if __name__ == "__main__":
    main()
