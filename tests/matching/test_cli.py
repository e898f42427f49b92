"""The command line: suggest and evaluate on the dev set."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "matching", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_suggest_prints_one_json_line_per_person(dev_dir: Path) -> None:
    out = _run(
        "suggest",
        "--catalog",
        str(dev_dir / "catalog.csv"),
        "--people",
        str(dev_dir / "people.jsonl"),
        "--top",
        "3",
        "--encoder",
        "hashing",
    )
    lines = [json.loads(x) for x in out.splitlines()]
    assert len(lines) == 25
    first = lines[0]
    assert first["person_id"] == "P001"
    assert len(first["suggestions"]) == 3
    assert set(first["suggestions"][0]) == {"resource_id", "score", "reasons"}


def test_evaluate_prints_ranker_and_both_baselines(dev_dir: Path) -> None:
    out = _run(
        "evaluate",
        "--catalog",
        str(dev_dir / "catalog.csv"),
        "--people",
        str(dev_dir / "people.jsonl"),
        "--labels",
        str(dev_dir / "labels.csv"),
        "--encoder",
        "hashing",
    )
    report = json.loads(out)
    assert set(report["results"]) == {"ranker", "tfidf_char", "bm25"}
    for res in report["results"].values():
        assert {"ndcg@5", "mrr", "recall@5", "hard_rule_breaks@10", "primary_metric"} <= set(res)
        assert res["hard_rule_breaks@10"] == 0
    assert set(report["ratio_to_best_baseline"]) == {"ndcg@5", "mrr", "recall@5"}


def test_bench_small_size_prints_contract_keys() -> None:
    out = _run("bench", "--resources", "200", "--encoder", "hashing", "--queries", "10")
    rows = json.loads(out)
    assert list(rows[0]) == [
        "resources",
        "encode_texts_per_s",
        "build_s",
        "rank_p50_ms",
        "rank_p99_ms",
        "rank_unread_p99_ms",
        "read_note_p99_ms",
        "suggest_p50_ms",
        "suggest_p99_ms",
        "kernel_sparse_p99_ms",
        "kernel_dense_p99_ms",
        "suggest_cached_p99_ms",
        "suggest_cold_p99_ms",
        "peak_memory_mb",
        "catalog_vectors",
    ]
    assert rows[0]["resources"] == 200 and rows[0]["catalog_vectors"] == "encoded"
