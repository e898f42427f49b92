"""Command line: ``python -m matching suggest|evaluate|bench``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from matching.encoders import Encoder, HashingEncoder, SentenceTransformerEncoder, default_encoder
from matching.evaluation import evaluate_all
from matching.io import load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.ranker import Ranker


def _encoder(spec: str) -> Encoder:
    if spec == "default":
        return default_encoder()
    if spec == "hashing":
        return HashingEncoder()
    if spec.startswith("st:"):
        return SentenceTransformerEncoder(spec[3:])
    raise SystemExit(f"unknown encoder {spec!r}: use default, hashing or st:<model path>")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    ap = argparse.ArgumentParser(prog="python -m matching", description="Tsunagu matching")
    sub = ap.add_subparsers(dest="command", required=True)
    for name in ("suggest", "evaluate"):
        sp = sub.add_parser(name)
        sp.add_argument("--catalog", required=True)
        sp.add_argument("--people", required=True)
        sp.add_argument("--encoder", default="default", help="default | hashing | st:<path>")
        sp.add_argument("--cache-dir", default=None, help="directory for cached embeddings")
        if name == "suggest":
            sp.add_argument("--top", type=int, default=10)
        else:
            sp.add_argument("--labels", required=True)
    bp = sub.add_parser("bench")
    bp.add_argument("--resources", default="1000,10000,100000")
    bp.add_argument("--encoder", default="default")
    bp.add_argument("--encode-up-to", type=int, default=1000)
    bp.add_argument("--queries", type=int, default=200)
    args = ap.parse_args(argv)

    if args.command == "bench":
        from matching.bench import run_bench

        sizes = [int(s) for s in args.resources.split(",") if s.strip()]
        out = run_bench(
            sizes,
            encoder=_encoder(args.encoder),
            encode_up_to=args.encode_up_to,
            n_queries=args.queries,
            n_suggest=max(args.queries // 2, 1),
        )
        print(json.dumps(out, ensure_ascii=False, indent=1))
        return 0

    resources = load_catalog_csv(args.catalog)
    people = load_people_jsonl(args.people)
    ranker = Ranker(encoder=_encoder(args.encoder), cache_dir=args.cache_dir).fit(resources)
    if args.command == "suggest":
        for p in people:
            sugg = ranker.suggest(p, top_k=args.top)
            line = {
                "person_id": p.person_id,
                "ranker_version": ranker.version,
                "suggestions": [
                    {"resource_id": s.resource_id, "score": round(s.score, 4), "reasons": s.reasons}
                    for s in sugg
                ],
            }
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        return 0
    report = evaluate_all(ranker, resources, people, load_labels_csv(args.labels))
    for res in report["results"].values():
        res.pop("per_person_ndcg", None)
    report["ranker_version"] = ranker.version
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0
