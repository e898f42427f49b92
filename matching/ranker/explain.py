""" "Why not?": resources kept out by a hard rule, where a named resource stands, empty wishes.

Everything here scores resources as if the hard rules did not apply (same features, same
weights as ranking) and then asks :func:`matching.rules.check_rules` which rules keep each one
out, so the messages are the very ones ``explain_exclusion`` gives.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from matching.ranker.features import FEATURES, compute_features
from matching.ranker.query import Query
from matching.rules import check_rules
from matching.types import Excluded, Located, PersonProfile, UnservedPreference

if TYPE_CHECKING:
    from matching.ranker.core import Ranker

# how deep into the feasible list `locate` follows the exact (diversified) order
_LOCATE_DEPTH = 50


def score_rows(
    rk: Ranker, profile: PersonProfile, q: Query, qvec: np.ndarray, idx: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Scores and feature matrix for resource rows ``idx``, hard rules ignored."""
    if len(idx) == 0:
        return np.zeros(0, dtype=np.float32), np.zeros((len(FEATURES), 0), dtype=np.float32)
    feats, _ = compute_features(rk, profile, q, idx, qvec)
    return rk.weight_vector_ @ feats, feats


def near_excluded(
    rk: Ranker, profile: PersonProfile, q: Query, qvec: np.ndarray, top_k: int
) -> list[Excluded]:
    """Resources breaking a hard rule that would rank in the top ``top_k`` without it.

    Kept: those in the unconstrained top ``top_k``, and those scoring above the ``top_k``-th
    feasible resource (each would enter the list if its rule alone were waived). Best first,
    at most ``top_k`` of them.
    """
    n = len(rk.resources_)
    if n == 0 or top_k <= 0:
        return []
    every = np.arange(n)
    scores, _ = score_rows(rk, profile, q, qvec, every)
    feasible = np.zeros(n, dtype=bool)
    cand, _ = rk.rules_.candidates(profile)
    feasible[cand] = True
    feas_scores = np.sort(scores[feasible])[::-1]
    threshold = float(feas_scores[top_k - 1]) if len(feas_scores) >= top_k else -math.inf
    order = np.lexsort((every, -scores))  # best first, ties by catalog order
    would_rank = np.empty(n, dtype=np.int64)
    would_rank[order] = np.arange(1, n + 1)
    picked = [
        int(i)
        for i in order
        if not feasible[i] and (would_rank[i] <= top_k or scores[i] > threshold)
    ]
    out = []
    for i in picked[:top_k]:
        r = rk.resources_[i]
        out.append(
            Excluded(r.resource_id, float(scores[i]), int(would_rank[i]), check_rules(profile, r))
        )
    return out


def locate(
    rk: Ranker, profile: PersonProfile, q: Query, qvec: np.ndarray, resource_id: str
) -> Located:
    """Feasible or not, its 1-based rank among feasible resources, score, reasons or rules."""
    from matching.ranker.reasons import write_reasons

    i = rk.rules_.index[resource_id]
    breaks = check_rules(profile, rk.resources_[i])
    scores, feats = score_rows(rk, profile, q, qvec, np.array([i]))
    score = float(scores[0])
    if breaks:
        return Located(resource_id, False, None, score, [], breaks)
    shown = rk.rank(profile, qvec, top_k=_LOCATE_DEPTH, query=q, with_reasons=False)
    for pos, s in enumerate(shown, start=1):
        if s.resource_id == resource_id:
            reasons = write_reasons(rk, profile, q, i, s.features)
            return Located(resource_id, True, pos, s.score, reasons, [])
    # deeper than the shown list: diversity no longer matters, count better scores
    cand, _ = rk.rules_.candidates(profile)
    cand_scores, _ = score_rows(rk, profile, q, qvec, cand)
    better = int(np.sum(cand_scores > score)) + int(np.sum((cand_scores == score) & (cand < i)))
    fdict = {f: float(v) for f, v in zip(FEATURES, feats[:, 0], strict=True)}
    dist = rk.rules_._dist_at(profile, np.array([i]))
    if dist is not None and not math.isnan(float(dist[0])):
        fdict["distance_km"] = round(float(dist[0]), 2)
    reasons = write_reasons(rk, profile, q, i, fdict)
    return Located(resource_id, True, better + 1, score, reasons, [])


def unserved_preferences(
    rk: Ranker, profile: PersonProfile, q: Query, qvec: np.ndarray
) -> list[UnservedPreference]:
    """Each preferred category with no feasible resource, and the rules that exclude them."""
    out: list[UnservedPreference] = []
    if not profile.preferred_categories:
        return out
    feasible = rk.rules_.mask(profile)
    every: np.ndarray | None = None
    labels = rk.analyzer_.ontology.category_labels
    for cat in dict.fromkeys(profile.preferred_categories):
        pos = rk.category_pos_.get(cat)
        members = np.flatnonzero(rk.categories_T_[pos] > 0) if pos is not None else np.zeros(0, int)
        if len(members) and feasible[members].any():
            continue
        counts: dict[str, int] = {}
        best: Excluded | None = None
        if len(members):
            if every is None:
                every, _ = score_rows(rk, profile, q, qvec, np.arange(len(rk.resources_)))
            for i in members:
                for rule in {b.rule for b in check_rules(profile, rk.resources_[i])}:
                    counts[rule] = counts.get(rule, 0) + 1
            bi = int(members[np.lexsort((members, -every[members]))[0]])
            r = rk.resources_[bi]
            would = 1 + int(np.sum(every > every[bi])) + int(np.sum(every[:bi] == every[bi]))
            best = Excluded(r.resource_id, float(every[bi]), would, check_rules(profile, r))
        out.append(UnservedPreference(cat, labels.get(cat, cat), len(members), counts, best))
    return out
