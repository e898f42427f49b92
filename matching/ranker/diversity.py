"""Maximal marginal relevance for broad wishes: a top list that is not five of one kind."""

from __future__ import annotations

import numpy as np


def diversity_lambda(setting: str | float, broad: bool) -> float:
    """λ for MMR: a number given by the caller, 1.0 (off) or 0.8 when the wishes are broad."""
    if isinstance(setting, int | float):
        return float(setting)
    if setting in ("off", "none"):
        return 1.0
    return 0.8 if broad else 1.0


def mmr_order(embeddings: np.ndarray, scores: np.ndarray, top_k: int, lam: float) -> list[int]:
    """Positions (into ``scores``, sorted best first) re-ordered by MMR; the best stays first."""
    k = min(top_k, len(scores))
    if lam >= 1.0 or len(scores) <= 2:
        return list(range(k))
    rel = (scores - scores.mean()) / (scores.std() + 1e-6)
    sim = embeddings @ embeddings.T
    chosen = [0]  # the clearly best fit always stays first
    left = list(range(1, len(scores)))
    while len(chosen) < k and left:
        red = sim[np.ix_(left, chosen)].max(axis=1)
        val = lam * rel[left] - (1 - lam) * red * 3.0
        j = left.pop(int(np.argmax(val)))
        chosen.append(j)
    return chosen
