"""Latency, build time and memory of the ranker at several catalog sizes."""

from __future__ import annotations

import gc
import resource
import sys
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import numpy as np

from matching.encoders import EmbeddingCache, Encoder, default_encoder
from matching.evalsets.generate import make_catalog, make_people
from matching.ranker import Ranker


def _peak_mb() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _pct(values: Sequence[float], q: float) -> float:
    return round(float(np.percentile(np.array(values) * 1000, q)), 2)


def run_bench(
    sizes: Sequence[int],
    encoder: Encoder | None = None,
    encode_up_to: int = 1000,
    n_queries: int = 200,
    n_suggest: int = 100,
    seed: int = 0,
) -> list[dict[str, Any]]:
    """One result dict per catalog size; sizes above ``encode_up_to`` use random vectors."""
    enc = encoder or default_encoder()
    probe, _ = make_catalog(128, seed=seed + 1)
    texts = [f"{r.name}。{r.description}" for r in probe]
    enc.encode(texts[:8])  # load the model before timing
    t0 = time.perf_counter()
    enc.encode(texts)
    encode_rate = len(texts) / (time.perf_counter() - t0)

    small, small_kinds = make_catalog(300, seed=seed + 2)
    people, _, _ = make_people(small, small_kinds, max(n_queries, n_suggest), seed=seed + 3)
    results = []
    for n in sizes:
        resources, _ = make_catalog(n, seed=seed + 4)
        with tempfile.TemporaryDirectory() as cache_dir:
            # Fill the embedding cache first: the build is timed from cached embeddings.
            warm = Ranker(encoder=enc, cache_dir=cache_dir)
            passages_of = warm  # same passage text as fit uses
            encoded = n <= encode_up_to
            rng = np.random.default_rng(seed)

            def fill(
                batch: list[str], _enc: Encoder = enc, _rng: Any = rng, _real: bool = encoded
            ) -> np.ndarray:
                if _real:
                    return _enc.encode(batch, kind="passage")
                v = _rng.standard_normal((len(batch), _enc.dim)).astype(np.float32)
                return v / np.linalg.norm(v, axis=1, keepdims=True)

            cache = EmbeddingCache(cache_dir, enc.name)
            passages_of.analyzer_ = _analyzer()
            cache.get_or_encode([passages_of._passage(r) for r in resources], fill)
            # as after any earlier fit, the text analyses are cached too
            passages_of._analyze_catalog([passages_of._resource_text(r) for r in resources])
            del passages_of, warm
            gc.collect()
            t0 = time.perf_counter()
            ranker = Ranker(encoder=enc, cache_dir=cache_dir).fit(resources)
            build_s = time.perf_counter() - t0
        for p in people[:5]:  # warm-up, not timed
            ranker.suggest(p, top_k=10)
        qvecs = [ranker.encode_query(p) for p in people[:n_queries]]
        # the kernels get the note's tokens read beforehand, and rank its stored reading
        # (as the service keeps it with the profile version); reading a note is timed alone
        read_t, readings = [], []
        for p in people[:n_queries]:
            t0 = time.perf_counter()
            readings.append(ranker.read(p))
            read_t.append(time.perf_counter() - t0)
        sparse_t, dense_t = _kernel_times(ranker, people[:n_queries], qvecs)
        ranker.clear_memos()  # every timed call below does the whole work once
        rank_t = []
        for p, qv, reading in zip(people[:n_queries], qvecs, readings, strict=True):
            t0 = time.perf_counter()
            ranker.rank(p, qv, top_k=10, reading=reading)
            rank_t.append(time.perf_counter() - t0)
        ranker.clear_memos()
        unread_t = []
        for p, qv in zip(people[:n_queries], qvecs, strict=True):
            t0 = time.perf_counter()
            ranker.rank(p, qv, top_k=10)
            unread_t.append(time.perf_counter() - t0)
        # the service's path: vector and reading stored with the profile, no encoder, no
        # analyser; ranking, reasons and the word bridge's rows for this catalog
        ranker.clear_memos()
        cached_t = []
        for p in people[:n_suggest]:
            stored = ranker.encode_query_text(ranker.query_text(p))
            reading = ranker.read(p)
            t0 = time.perf_counter()
            ranker.rank(p, stored, top_k=10, reading=reading)
            cached_t.append(time.perf_counter() - t0)
        ranker.clear_memos()
        sugg_t = []
        for p in people[:n_suggest]:
            t0 = time.perf_counter()
            ranker.suggest(p, top_k=10)
            sugg_t.append(time.perf_counter() - t0)
        results.append(
            {
                "resources": n,
                "encode_texts_per_s": round(encode_rate, 1),
                "build_s": round(build_s, 2),
                "rank_p50_ms": _pct(rank_t, 50),
                "rank_p99_ms": _pct(rank_t, 99),
                "rank_unread_p99_ms": _pct(unread_t, 99),
                "read_note_p99_ms": _pct(read_t, 99),
                "suggest_p50_ms": _pct(sugg_t, 50),
                "suggest_p99_ms": _pct(sugg_t, 99),
                "kernel_sparse_p99_ms": _pct(sparse_t, 99),
                "kernel_dense_p99_ms": _pct(dense_t, 99),
                "suggest_cached_p99_ms": _pct(cached_t, 99),
                "suggest_cold_p99_ms": _pct(sugg_t, 99),
                "peak_memory_mb": round(_peak_mb(), 1),
                "catalog_vectors": "encoded" if encoded else "random",
            }
        )
        del ranker
        gc.collect()
    return results


def _kernel_times(
    ranker: Ranker, people: Sequence[Any], qvecs: Sequence[np.ndarray]
) -> tuple[list[float], list[float]]:
    """The raw kernels ranking is built from, timed alone in the same run: the sparse BM25
    scorer over the whole catalog, and an exact dense scan of every vector with a top-10."""
    tokens = [ranker.analyzer_.analyze(p.needs_text).tokens for p in people]
    emb = ranker.embeddings_
    sparse_t, dense_t = [], []
    for toks, qv in zip(tokens, qvecs, strict=True):
        t0 = time.perf_counter()
        ranker.bm25_.scores(toks)
        sparse_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        sims = emb @ qv
        np.argpartition(-sims, min(10, len(sims) - 1))[:10]
        dense_t.append(time.perf_counter() - t0)
    return sparse_t, dense_t


def _analyzer() -> Any:
    from matching.text import Analyzer

    return Analyzer()
