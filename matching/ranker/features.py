"""Soft preferences as a features x candidates matrix, and the hand-set weights."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from matching.ranker.query import Query
from matching.rules import day_mask
from matching.text import TimeWishes
from matching.types import PersonProfile

if TYPE_CHECKING:
    from matching.ranker.core import Ranker

FEATURES = (
    "concept",
    "category",
    "preferred_category",
    "bm25",
    "dense",
    "quiet",
    "small_group",
    "paid",
    "distance",
    "visit_trial",
    "time",
    "capacity",
    "avoid",
    "avoid_lexical",
    "avoid_schedule",
    "semantic_bridge",
)

# Hand-set weights: text features are z-scores against the catalog, the rest lie in [-1, 1].
DEFAULT_WEIGHTS: dict[str, float] = {
    "concept": 2.0,
    "category": 1.0,
    "preferred_category": 1.5,
    "bm25": 0.25,
    "dense": 0.35,
    "quiet": 0.6,
    "small_group": 0.4,
    "paid": 1.0,
    "distance": 2.0,
    "visit_trial": 0.2,
    "time": 0.6,
    "capacity": 0.1,
    "avoid": -1.5,
    "avoid_lexical": -0.4,
    "avoid_schedule": -3.0,
    "semantic_bridge": 1.0,
}

ZCLIP = (-3.0, 8.0)
# weight of closeness when the profile gives no travel limit and the note no 近所-like wish:
# at full weight 12 km of Chiba City outweighed a clear match in meaning
UNASKED_DISTANCE = 0.5
# above this many candidates the word bridge only re-scores the best of the first stage
BRIDGE_MAX = 2000


DENSE_GATHER_MAX = 4096


def zscores(full_or_cand: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """``full_or_cand`` as clipped z-scores against the reference sample ``ref`` (float32).

    In place after the first subtraction: a query makes three of these over its candidates.
    """
    mu, sd = float(ref.mean()), float(ref.std())
    z = np.subtract(full_or_cand, mu)
    z /= sd + 1e-6
    np.clip(z, *ZCLIP, out=z)
    return z.astype(np.float32, copy=False)


def compute_features(
    rk: Ranker,
    profile: PersonProfile,
    q: Query,
    cand: np.ndarray,
    qvec: np.ndarray,
    dist: np.ndarray | None = None,
    approx_ok: bool = False,
    dense_ref: np.ndarray | None = None,
) -> tuple[np.ndarray, bool]:
    """Features x candidates matrix (``dist`` aligned with ``cand``); True if dense approximate.

    Feature-major so that scoring is one small vector-matrix product. ``dense_ref``: the
    reference sample's dense scores when the caller has them already.
    """
    out = np.zeros((len(FEATURES), len(cand)), dtype=np.float32)
    ref = rk.reference_

    # ontology concepts, weighted by how rare they are in the catalog
    if q.wish:
        w = np.zeros(len(rk.concept_ids_), dtype=np.float32)
        for cid, weight in q.wish.items():
            w[rk.concept_pos_[cid]] = weight * rk.concept_idf_[rk.concept_pos_[cid]]
        out[0] = rows_dot(rk.concepts_T_, w / w.sum(), cand)
    if q.categories:
        wc = np.zeros(len(rk.category_ids_), dtype=np.float32)
        for cat, weight in q.categories.items():
            if cat in rk.category_pos_:
                wc[rk.category_pos_[cat]] = weight
        if wc.sum() > 0:
            out[1] = rows_dot(rk.categories_T_, wc / wc.sum(), cand)
    if q.preferred:
        pc = [rk.category_pos_[c] for c in q.preferred if c in rk.category_pos_]
        if pc:
            pv = np.zeros(len(rk.category_ids_), dtype=np.float32)
            pv[pc] = 1.0
            out[2] = (rows_dot(rk.categories_T_, pv, cand) > 0).astype(np.float32)

    # lexical and semantic relevance, calibrated as z-scores against the catalog sample
    bm = rk.bm25_.scores(q.tokens)
    out[3] = zscores(bm[cand], bm[ref])
    if dense_ref is None:
        dense_ref = rk.reference_embeddings_ @ qvec
    approx = False
    # Gathering candidate rows copies them (30,000 x 384 floats is 46 MB): beyond a few
    # thousand candidates one pass over the whole matrix (or its low-rank copy) is cheaper.
    if len(cand) <= DENSE_GATHER_MAX:
        dense = rk.embeddings_[cand] @ qvec
    elif approx_ok and rk.dense_low_ is not None and rk.dense_proj_ is not None:
        dense = (rk.dense_low_ @ (qvec @ rk.dense_proj_))[cand]
        approx = True
    else:
        dense = (rk.embeddings_ @ qvec)[cand]
    out[4] = zscores(dense, dense_ref)

    # accommodations and practical fit
    if q.wants_quiet:
        noisy = np.maximum(rk.lively_[cand], rk.crowd_[cand])
        out[5] = rk.quiet_[cand] - 0.5 * noisy * (1 - rk.quiet_[cand])
    elif q.wants_lively:
        out[5] = 0.5 * rk.lively_[cand] - 0.5 * rk.quiet_[cand] * rk.small_[cand]
    if q.wants_small:
        out[6] = rk.small_[cand]
    if q.wants_paid:
        out[7] = rk.paid_[cand]
    if dist is None:
        dist = rk.rules_._dist_at(profile, cand)
    if dist is not None:
        d = dist.astype(np.float32)
        if profile.max_travel_km:
            prox = 1.0 - d / float(profile.max_travel_km)
            if q.near:  # 「近所がいい」 within a limit: the nearest still win clearly
                prox = np.minimum(prox, np.exp(-d / 3.0))
        elif q.near:
            prox = np.exp(-d / 3.0)
        else:  # nothing said about distance: closer still helps, but less than meaning does
            prox = UNASKED_DISTANCE * np.exp(-d / 10.0)
        out[8] = np.nan_to_num(np.clip(prox, 0.0, 1.0), nan=0.0)
    out[9] = rk.visit_trial_[cand]
    out[10] = time_fit(rk, q.time, cand)
    if q.time.wish_days:
        rm = rk.rules_.days[cand]
        wish = day_mask(sorted(q.time.wish_days))
        out[10] = np.clip(out[10] + np.where(rm == 0, 0.0, np.where(rm & wish, 0.5, -0.5)), -1, 1)
    out[11] = rk.capacity_[cand]

    # what the person wants to avoid
    if q.avoid:
        a = np.zeros(len(rk.concept_ids_), dtype=np.float32)
        for cid in q.avoid:
            a[rk.concept_pos_[cid]] = 1.0
        out[12] = np.minimum(rows_dot(rk.concepts_T_, a, cand), 1.0)
    if q.avoid_tokens:
        av = rk.bm25_.scores(q.avoid_tokens)
        out[13] = np.clip(zscores(av[cand], av[ref]) / 4.0, 0.0, 1.0)
    out[14] = schedule_clash(rk, q.time, cand)
    if rk.bridge_ is not None and q.bridge is not None and len(q.bridge[2]):
        qv, qw, _ = q.bridge
        if len(cand) <= BRIDGE_MAX:
            out[15] = rk.bridge_.scores(qv, qw, cand)
        else:  # large catalogs: the bridge re-scores the first stage's best BRIDGE_MAX
            first = rk.weight_vector_ @ out
            short = np.argpartition(-first, BRIDGE_MAX - 1)[:BRIDGE_MAX]
            out[15, short] = rk.bridge_.scores(qv, qw, cand[short])
    return out, approx


def time_columns(start: np.ndarray, end: np.ndarray) -> dict[str, np.ndarray]:
    """What each time wish makes of every resource's hours, once per catalog (float32).

    A query gathers the few columns its wishes name for its candidates instead of comparing
    hours (with nan for unknown ones) again; the values are the ones the comparisons give.
    """
    with np.errstate(invalid="ignore"):
        cols = {
            "morning": np.where(start < 12, 1.0, -1.0),
            "afternoon": np.where(end > 13, 0.5, -0.5),
            "evening": np.where(end >= 17, 1.0, -0.5),
            "avoid_morning": np.where(start < 12, np.where(end <= 12.5, 1.0, 0.5), 0.0),
            "avoid_afternoon": np.where(end > 13, np.where(start >= 12, 1.0, 0.5), 0.0),
            "avoid_early": start < 8,
        }
    return {k: v.astype(np.float32) for k, v in cols.items()}


def schedule_clash(rk: Ranker, t: TimeWishes, cand: np.ndarray) -> np.ndarray:
    """How much of an activity falls in times or days the person said to avoid, in [0, 2].

    1 for a morning-only shift under 「午前中NG」, 0.5 when only part of it does (starts in the
    morning, ends in the afternoon); 2 for an activity held only on ruled-out days (「土日NG」
    and a weekend-only activity), 0.1 when some of its days are ruled out (the person can
    still go on the others).
    """
    out = np.zeros(len(cand), dtype=np.float32)
    cols = rk.time_cols_
    for wish in ("avoid_morning", "avoid_afternoon", "avoid_early"):
        if getattr(t, wish):
            np.maximum(out, cols[wish][cand], out=out)
    if t.avoid_night:
        with np.errstate(invalid="ignore"):
            np.maximum(out, (rk.end_[cand] > t.night_from).astype(np.float32), out=out)
    if t.avoid_days:
        rm = rk.rules_.days[cand].astype(np.int32)
        bad = day_mask(sorted(t.avoid_days))
        only_bad = (rm != 0) & ((rm & ~bad) == 0)
        some_bad = (rm & bad) != 0
        # an activity held only on days the person ruled out is as good as closed to them
        clash = np.where(only_bad, 2.0, np.where(some_bad, 0.1, 0.0)).astype(np.float32)
        np.maximum(out, clash, out=out)
    return out


def time_fit(rk: Ranker, t: TimeWishes, cand: np.ndarray) -> np.ndarray:
    """How well an activity's hours meet the time-of-day wishes, in [-1, 1]."""
    score = np.zeros(len(cand), dtype=np.float32)
    cols = rk.time_cols_
    for wish in ("morning", "afternoon", "evening"):
        if getattr(t, wish):
            score += cols[wish][cand]
    if t.window is None:
        return np.clip(score, -1.0, 1.0)
    s, e = rk.start_[cand], rk.end_[cand]
    ws, we = t.window
    with np.errstate(invalid="ignore"):
        inside = np.clip(np.minimum(e, we) - np.maximum(s, ws), 0, None) / np.maximum(e - s, 0.25)
        score += 2 * inside - 1
    return np.clip(np.nan_to_num(score, nan=0.0), -1.0, 1.0)


def rows_dot(matrix_t: np.ndarray, weights: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """``(matrix_t.T @ weights)[cand]`` touching only rows with a non-zero weight."""
    nz = np.flatnonzero(weights)
    if len(nz) == 0:
        return np.zeros(len(cand), dtype=np.float32)
    # a few contiguous full rows, then one gather: cheaper than a 2-D fancy index
    acc = matrix_t[nz[0]] * weights[nz[0]]
    for j in nz[1:]:
        acc += matrix_t[j] * weights[j]
    return acc[cand].astype(np.float32, copy=False)


def _nan(v: float | None) -> float:
    return float("nan") if v is None else v
