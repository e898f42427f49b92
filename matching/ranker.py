"""The Tsunagu ranker: hard rules as masks, soft preferences as features, Japanese reasons."""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from threadpoolctl import ThreadpoolController

from matching.bm25 import BM25Index
from matching.encoders import AnalysisCache, EmbeddingCache, Encoder, default_encoder
from matching.rules import DAY_BIT, DAY_JA, RuleColumns, check_rules, day_mask
from matching.text import Analyzer, Ontology, TimeWishes, parse_hhmm, read_time_wishes
from matching.types import WEEKDAYS, Outcome, PersonProfile, Resource, RuleBreak, Suggestion

__all__ = ["DEFAULT_WEIGHTS", "FEATURES", "NotFittedError", "Ranker", "UnknownResourceError"]

ENGINE_VERSION = "1.0"

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
    "distance": 1.0,
    "visit_trial": 0.2,
    "time": 0.6,
    "capacity": 0.1,
    "avoid": -1.5,
    "avoid_lexical": -0.4,
}

_TRAITS = {"quiet", "small_group", "crowd", "lively", "paid", "outdoor"}
_ZCLIP = (-3.0, 8.0)
_QUERY_CHARS = 512


class NotFittedError(RuntimeError):
    """The ranker was used before ``fit``."""


class UnknownResourceError(KeyError):
    """A resource id that is not in the fitted catalog."""


@dataclass
class Query:
    """What the ranker read from one person profile."""

    tokens: list[str]
    wish: dict[str, float]
    wish_words: dict[str, list[str]]
    avoid: dict[str, list[str]]
    avoid_tokens: list[str]
    wants_quiet: bool
    wants_small: bool
    wants_lively: bool
    wants_paid: bool
    time: TimeWishes
    categories: dict[str, float]
    preferred: set[str]
    text: str


class Ranker:
    """Suggests catalog resources for a person (参加支援のマッチング).

    ``fit(resources, outcomes=None)`` builds the index (and, given enough outcomes, a learned
    scoring stage); ``suggest(profile, top_k)`` returns ranked suggestions with reasons.
    """

    def __init__(
        self,
        encoder: Encoder | None = None,
        cache_dir: str | Path | None = None,
        weights: dict[str, float] | None = None,
        ontology_path: str | Path | None = None,
        diversity: str | float = "auto",
        min_outcomes: int = 60,
        learned_margin: float = 0.01,
        reference_size: int = 2000,
        dense_exact_max: int = 20000,
        dense_low_dim: int = 64,
        blas_threads: int | None = 1,
        random_state: int = 0,
    ) -> None:
        self.encoder = encoder
        self.cache_dir = cache_dir
        self.weights = weights
        self.ontology_path = ontology_path
        self.diversity = diversity
        self.min_outcomes = min_outcomes
        self.learned_margin = learned_margin
        self.reference_size = reference_size
        self.dense_exact_max = dense_exact_max
        self.dense_low_dim = dense_low_dim
        self.blas_threads = blas_threads
        self.random_state = random_state

    # ------------------------------------------------------------------ fitting
    def fit(
        self, resources: Sequence[Resource], outcomes: Sequence[Outcome] | None = None
    ) -> Ranker:
        """Index the catalog; learn weights from outcomes when there are enough and they help."""
        resources = list(resources)
        self.encoder_ = self.encoder if self.encoder is not None else default_encoder()
        self.analyzer_ = Analyzer(Ontology.load(self.ontology_path))
        onto = self.analyzer_.ontology
        self.resources_ = resources
        self.rules_ = RuleColumns.from_resources(resources)
        n = len(resources)

        self.concept_ids_ = onto.concept_ids
        self.concept_pos_ = {c: i for i, c in enumerate(self.concept_ids_)}
        self.category_ids_ = sorted(
            set(onto.category_labels) | {c for r in resources for c in r.categories}
        )
        self.category_pos_ = {c: i for i, c in enumerate(self.category_ids_)}
        concepts = np.zeros((n, len(self.concept_ids_)), dtype=np.float32)
        cats = np.zeros((n, len(self.category_ids_)), dtype=np.float32)
        docs: list[list[str]] = []
        self.resource_concepts_: list[dict[str, list[str]]] = []
        analyses = self._analyze_catalog([self._resource_text(r) for r in resources])
        for i, (r, (tokens, found)) in enumerate(zip(resources, analyses, strict=True)):
            for cid in found:
                concepts[i, self.concept_pos_[cid]] = 1.0
            for cat in set(r.categories) | onto.categories_of(
                c for c in found if onto.concepts[c].trait is None
            ):
                cats[i, self.category_pos_[cat]] = 1.0
            docs.append(tokens + [f"§{c}" for c in sorted(found)])
            self.resource_concepts_.append(found)
        # concept-major layout: a person's few wishes touch few contiguous rows
        self.concepts_T_ = np.ascontiguousarray(concepts.T)
        self.categories_T_ = np.ascontiguousarray(cats.T)
        df = concepts.sum(axis=0)
        self.concept_idf_ = (np.log((n + 1) / (df + 1)) + 1.0).astype(np.float32)
        self.bm25_ = BM25Index().fit(docs)

        def col(attr: str) -> np.ndarray:
            return np.array([getattr(r, attr) for r in resources], dtype=np.float32)

        self.quiet_ = col("quiet_environment")
        self.small_ = col("small_group")
        self.paid_ = col("paid")
        self.visit_trial_ = (col("visit_ok") + col("trial_ok")) / 2
        self.capacity_ = (
            np.minimum(
                np.array([max(r.capacity_remaining, 0) for r in resources], dtype=np.float32), 5
            )
            / 5
        )
        self.lively_ = concepts[:, self.concept_pos_["lively"]].copy()
        del concepts, cats
        self.start_ = np.array(
            [_nan(parse_hhmm(r.start_time)) for r in resources], dtype=np.float32
        )
        self.end_ = np.array([_nan(parse_hhmm(r.end_time)) for r in resources], dtype=np.float32)

        passages = [self._passage(r) for r in resources]
        if self.cache_dir is not None:
            cache = EmbeddingCache(self.cache_dir, self.encoder_.name)
            self.embeddings_, self.n_encoded_ = cache.get_or_encode(
                passages, lambda t: self.encoder_.encode(t, kind="passage")
            )
        else:
            self.embeddings_ = self.encoder_.encode(passages, kind="passage")
            self.n_encoded_ = n
        rng = np.random.default_rng(self.random_state)
        self.reference_ = np.sort(rng.permutation(n)[: min(n, self.reference_size)])
        self.reference_embeddings_ = np.ascontiguousarray(self.embeddings_[self.reference_])
        # Large catalogs scan a low-rank projection first, then re-score a shortlist exactly.
        self.dense_proj_: np.ndarray | None = None
        self.dense_low_: np.ndarray | None = None
        if n > self.dense_exact_max and self.dense_low_dim < self.embeddings_.shape[1]:
            sample = self.embeddings_[rng.choice(n, size=min(n, 5000), replace=False)]
            _, _, vt = np.linalg.svd(sample, full_matrices=False)  # uncentred: keeps dot products
            self.dense_proj_ = np.ascontiguousarray(vt[: self.dense_low_dim].T, dtype=np.float32)
            self.dense_low_ = np.ascontiguousarray(self.embeddings_ @ self.dense_proj_)

        self.weight_vector_ = np.array(
            [(self.weights or DEFAULT_WEIGHTS).get(f, DEFAULT_WEIGHTS[f]) for f in FEATURES],
            dtype=np.float32,
        )
        # Ranking's matrix-vector products are memory-bound; letting OpenBLAS spin two threads
        # after each one starves the query encoder's OpenMP threads (measured: suggest p50
        # 72 -> 36 ms at 10,000 resources with one BLAS thread).
        self.threadpools_ = ThreadpoolController() if self.blas_threads else None
        self.learned_ = False
        self.learning_report_: dict[str, Any] = {"used": False, "reason": "no outcomes"}
        if outcomes:
            self._learn(outcomes)
        return self

    def _analyze_catalog(self, texts: list[str]) -> list[tuple[list[str], dict[str, list[str]]]]:
        """Tokens and concepts per text; identical texts analysed once, reused from cache_dir."""
        cache = (
            AnalysisCache(self.cache_dir, self.analyzer_.ontology.fingerprint)
            if self.cache_dir is not None
            else None
        )
        stored = cache.load() if cache is not None else {}
        out: list[tuple[list[str], dict[str, list[str]]]] = []
        fresh = 0
        memo: dict[str, tuple[list[str], dict[str, list[str]]]] = {}
        for text in texts:
            key = hashlib.sha256(text.encode()).hexdigest()[:32]
            hit = memo.get(key) or stored.get(key)
            if hit is None:
                an = self.analyzer_.analyze(text)
                hit = (an.tokens, an.concepts)
                fresh += 1
            memo[key] = hit
            out.append(hit)
        if cache is not None and fresh:
            cache.save(memo)
        self.n_analyzed_ = fresh
        return out

    def _learn(self, outcomes: Sequence[Outcome]) -> None:
        from matching.learn import OutcomeModel

        rows, labels, groups = [], [], []
        for oc in outcomes:
            i = self.rules_.index.get(oc.resource_id)
            if i is None:
                continue
            q = self._query(oc.profile)
            feats, _ = self._features(oc.profile, q, np.array([i]), self._query_vector(q))
            rows.append(feats[:, 0])
            labels.append(1 if oc.positive else 0)
            groups.append(oc.profile.person_id)
        model = OutcomeModel(
            min_outcomes=self.min_outcomes,
            margin=self.learned_margin,
            random_state=self.random_state,
        ).fit(
            np.array(rows).reshape(-1, len(FEATURES)),
            np.array(labels),
            np.array(groups),
            hand_weights=self.weight_vector_,
        )
        self.learning_report_ = model.report_
        if model.used_:
            self.weight_vector_ = model.weights_.astype(np.float32)
            self.learned_ = True

    @property
    def version(self) -> str:
        """Which ranker produced a suggestion: engine, encoder, ontology and weights."""
        self._check_fitted()
        digest = hashlib.sha256(self.weight_vector_.tobytes()).hexdigest()[:8]
        stage = f"learned-{digest}" if self.learned_ else f"hand-{digest}"
        onto = self.analyzer_.ontology.version
        return f"tsunagu-match-{ENGINE_VERSION}/{self.encoder_.name}/onto-{onto}/{stage}"

    # ------------------------------------------------------------------ ranking
    def suggest(self, profile: PersonProfile, top_k: int = 10) -> list[Suggestion]:
        """The best ``top_k`` resources that break no hard rule, each with reasons."""
        self._check_fitted()
        q = self._query(profile)
        qvec = self._query_vector(q)
        return self.rank(profile, qvec, top_k=top_k, query=q)

    def encode_query(self, profile: PersonProfile) -> np.ndarray:
        """The dense query vector for a profile (split out so benchmarks can time ranking)."""
        self._check_fitted()
        return self._query_vector(self._query(profile))

    def query_text(self, profile: PersonProfile) -> str:
        """The exact text the encoder reads for this profile (a key for stored vectors)."""
        self._check_fitted()
        return self._query(profile).text

    def encode_query_text(self, text: str) -> np.ndarray:
        """The dense query vector for a text returned by ``query_text``."""
        self._check_fitted()
        return self.encoder_.encode([text], kind="query")[0]

    def rank(
        self,
        profile: PersonProfile,
        query_vector: np.ndarray,
        top_k: int = 10,
        query: Query | None = None,
        with_reasons: bool = True,
    ) -> list[Suggestion]:
        """Rank with an already encoded query vector."""
        self._check_fitted()
        if self.threadpools_ is not None:
            with self.threadpools_.limit(limits=self.blas_threads, user_api="blas"):
                return self._rank(profile, query_vector, top_k, query, with_reasons)
        return self._rank(profile, query_vector, top_k, query, with_reasons)

    def _rank(
        self,
        profile: PersonProfile,
        query_vector: np.ndarray,
        top_k: int,
        query: Query | None,
        with_reasons: bool,
    ) -> list[Suggestion]:
        q = query or self._query(profile)
        cand, dist = self.rules_.candidates(profile)
        if len(cand) == 0 or top_k <= 0:
            return []
        feats, approx = self._features(profile, q, cand, query_vector, dist, approx_ok=True)
        scores = self.weight_vector_ @ feats
        if approx:
            # exact dense scores for a shortlist chosen with the low-rank scan
            short = np.argpartition(-scores, min(len(cand), 256) - 1)[:256]
            feats, cand = feats[:, short], cand[short]
            exact = self.embeddings_[cand] @ query_vector
            feats[4] = self._zscores(exact, self.reference_embeddings_ @ query_vector)
            scores = self.weight_vector_ @ feats
            dist = dist[short] if dist is not None else None
        pool = min(len(cand), max(3 * top_k, 20))
        top = (
            np.argpartition(-scores, pool - 1)[:pool] if pool < len(cand) else np.arange(len(cand))
        )
        top = top[np.lexsort((cand[top], -scores[top]))]
        order = self._diversify(q, cand[top], scores[top], top_k)
        out = []
        for j in order:
            pos = top[j]
            i = int(cand[pos])
            fdict = {f: float(v) for f, v in zip(FEATURES, feats[:, pos], strict=True)}
            if dist is not None and not math.isnan(dist[pos]):
                fdict["distance_km"] = round(float(dist[pos]), 2)
            reasons = self._reasons(profile, q, i, fdict) if with_reasons else []
            out.append(
                Suggestion(self.resources_[i].resource_id, float(scores[pos]), reasons, fdict)
            )
        return out

    def with_availability(self, remaining: dict[str, int], status: dict[str, str]) -> Ranker:
        """A copy that sees live free places and status; the index is shared, not refitted.

        Free places change with every placement; refitting for that would rebuild the text
        and vector indexes for nothing, so availability is a filter applied at query time.
        """
        self._check_fitted()
        resources = list(self.resources_)
        for i, r in enumerate(resources):
            n = remaining.get(r.resource_id, r.capacity_remaining)
            s = status.get(r.resource_id, r.status)
            if n != r.capacity_remaining or s != r.status:
                resources[i] = replace(r, capacity_remaining=n, status=s)
        clone = copy.copy(self)
        clone.resources_ = resources
        clone.rules_ = replace(
            self.rules_,
            available=np.array(
                [r.status == "active" and r.capacity_remaining > 0 for r in resources], dtype=bool
            ),
        )
        clone.capacity_ = (
            np.minimum(
                np.array([max(r.capacity_remaining, 0) for r in resources], dtype=np.float32), 5
            )
            / 5
        )
        return clone

    def explain_exclusion(self, profile: PersonProfile, resource_id: str) -> list[RuleBreak]:
        """Which hard rules the named resource breaks for this person (empty when none)."""
        self._check_fitted()
        i = self.rules_.index.get(resource_id)
        if i is None:
            raise UnknownResourceError(resource_id)
        return check_rules(profile, self.resources_[i])

    def features(self, profile: PersonProfile, resource_ids: Sequence[str]) -> np.ndarray:
        """Feature rows (columns as FEATURES) for named resources, hard rules ignored."""
        self._check_fitted()
        idx = np.array([self.rules_.index[r] for r in resource_ids], dtype=np.int64)
        q = self._query(profile)
        return self._features(profile, q, idx, self._query_vector(q))[0].T

    # ------------------------------------------------------------------ internals
    def _check_fitted(self) -> None:
        if not hasattr(self, "weight_vector_"):
            raise NotFittedError("Ranker is not fitted yet: call fit(resources) first.")

    def _resource_text(self, r: Resource) -> str:
        labels = self.analyzer_.ontology.category_labels
        cats = "・".join(labels.get(c, c) for c in r.categories)
        return f"{r.name}\n{r.organization}\n{r.description}\n{cats}"

    def _passage(self, r: Resource) -> str:
        labels = self.analyzer_.ontology.category_labels
        cats = "・".join(labels.get(c, c) for c in r.categories)
        return f"{r.name}。{r.description}" + (f"（分野: {cats}）" if cats else "")

    def _query(self, profile: PersonProfile) -> Query:
        onto = self.analyzer_.ontology
        needs = self.analyzer_.analyze(profile.needs_text, detect_negation=True)
        avoid = self.analyzer_.analyze(profile.avoid_text)
        wish: dict[str, float] = {}
        for cid in needs.concepts:
            if onto.concepts[cid].trait is None:
                wish[cid] = 1.0 if cid in needs.desired else 0.5
        avoided = {
            cid: words
            for src in (needs.negated, avoid.concepts)
            for cid, words in src.items()
            if onto.concepts[cid].trait is None
        }
        for cid in avoided:
            wish.pop(cid, None)
        traits_pos = {c for c in needs.concepts if onto.concepts[c].trait}
        traits_neg = {c for c in needs.negated if onto.concepts[c].trait} | {
            c for c in avoid.concepts if onto.concepts[c].trait
        }
        crowd_avoided = "crowd" in traits_neg or "lively" in traits_neg
        wants_quiet = profile.prefers_quiet or "quiet" in traits_pos | traits_neg or crowd_avoided
        wants_small = profile.prefers_small_group or "small_group" in traits_pos or crowd_avoided
        wants_lively = "lively" in traits_pos and not wants_quiet
        categories: dict[str, float] = {}
        for cid, w in wish.items():
            for cat in onto.concepts[cid].categories:
                categories[cat] = max(categories.get(cat, 0.0), w)
        preferred = set(profile.preferred_categories)
        labels = onto.category_labels
        # encoder cost grows with length; the wish is stated well before 512 characters
        text = profile.needs_text[:_QUERY_CHARS]
        if preferred:
            text += "（希望分野: " + "・".join(labels.get(c, c) for c in sorted(preferred)) + "）"
        return Query(
            tokens=needs.tokens + [f"§{c}" for c in sorted(wish)],
            wish=wish,
            wish_words={c: needs.concepts[c] for c in wish},
            avoid=avoided,
            avoid_tokens=avoid.tokens + [f"§{c}" for c in sorted(avoided)],
            wants_quiet=wants_quiet,
            wants_small=wants_small,
            wants_lively=wants_lively,
            wants_paid=profile.wants_paid or "paid" in traits_pos,
            time=read_time_wishes(profile.needs_text, profile.avoid_text),
            categories=categories,
            preferred=preferred,
            text=text,
        )

    def _query_vector(self, q: Query) -> np.ndarray:
        return self.encoder_.encode([q.text], kind="query")[0]

    def _zscores(self, full_or_cand: np.ndarray, ref: np.ndarray) -> np.ndarray:
        mu, sd = float(ref.mean()), float(ref.std())
        return np.clip((full_or_cand - mu) / (sd + 1e-6), *_ZCLIP).astype(np.float32)

    def _features(
        self,
        profile: PersonProfile,
        q: Query,
        cand: np.ndarray,
        qvec: np.ndarray,
        dist: np.ndarray | None = None,
        approx_ok: bool = False,
    ) -> tuple[np.ndarray, bool]:
        """Features x candidates matrix (``dist`` aligned with ``cand``); True if dense approximate.

        Feature-major so that scoring is one small vector-matrix product.
        """
        n_all = len(self.resources_)
        out = np.zeros((len(FEATURES), len(cand)), dtype=np.float32)
        ref = self.reference_

        # ontology concepts, weighted by how rare they are in the catalog
        if q.wish:
            w = np.zeros(len(self.concept_ids_), dtype=np.float32)
            for cid, weight in q.wish.items():
                w[self.concept_pos_[cid]] = weight * self.concept_idf_[self.concept_pos_[cid]]
            out[0] = _rows_dot(self.concepts_T_, w / w.sum(), cand)
        if q.categories:
            wc = np.zeros(len(self.category_ids_), dtype=np.float32)
            for cat, weight in q.categories.items():
                if cat in self.category_pos_:
                    wc[self.category_pos_[cat]] = weight
            if wc.sum() > 0:
                out[1] = _rows_dot(self.categories_T_, wc / wc.sum(), cand)
        if q.preferred:
            pc = [self.category_pos_[c] for c in q.preferred if c in self.category_pos_]
            if pc:
                pv = np.zeros(len(self.category_ids_), dtype=np.float32)
                pv[pc] = 1.0
                out[2] = (_rows_dot(self.categories_T_, pv, cand) > 0).astype(np.float32)

        # lexical and semantic relevance, calibrated as z-scores against the catalog sample
        bm = self.bm25_.scores(q.tokens)
        out[3] = self._zscores(bm[cand], bm[ref])
        dense_ref = self.reference_embeddings_ @ qvec
        approx = False
        if len(cand) < 0.3 * n_all:
            dense = self.embeddings_[cand] @ qvec
        elif approx_ok and self.dense_low_ is not None and self.dense_proj_ is not None:
            dense = (self.dense_low_ @ (qvec @ self.dense_proj_))[cand]
            approx = True
        else:
            dense = (self.embeddings_ @ qvec)[cand]
        out[4] = self._zscores(dense, dense_ref)

        # accommodations and practical fit
        if q.wants_quiet:
            out[5] = self.quiet_[cand] - 0.5 * self.lively_[cand] * (1 - self.quiet_[cand])
        elif q.wants_lively:
            out[5] = 0.5 * self.lively_[cand] - 0.5 * self.quiet_[cand] * self.small_[cand]
        if q.wants_small:
            out[6] = self.small_[cand]
        if q.wants_paid:
            out[7] = self.paid_[cand]
        if dist is None:
            dist = self.rules_._dist_at(profile, cand)
        if dist is not None:
            d = dist.astype(np.float32)
            if profile.max_travel_km:
                prox = 1.0 - d / float(profile.max_travel_km)
            else:
                prox = np.exp(-d / 10.0)
            out[8] = np.nan_to_num(np.clip(prox, 0.0, 1.0), nan=0.0)
        out[9] = self.visit_trial_[cand]
        out[10] = self._time_fit(q.time, cand)
        out[11] = self.capacity_[cand]

        # what the person wants to avoid
        if q.avoid:
            a = np.zeros(len(self.concept_ids_), dtype=np.float32)
            for cid in q.avoid:
                a[self.concept_pos_[cid]] = 1.0
            out[12] = np.minimum(_rows_dot(self.concepts_T_, a, cand), 1.0)
        if q.avoid_tokens:
            av = self.bm25_.scores(q.avoid_tokens)
            out[13] = np.clip(self._zscores(av[cand], av[ref]) / 4.0, 0.0, 1.0)
        return out, approx

    def _time_fit(self, t: TimeWishes, cand: np.ndarray) -> np.ndarray:
        s, e = self.start_[cand], self.end_[cand]
        score = np.zeros(len(cand), dtype=np.float32)
        with np.errstate(invalid="ignore"):
            if t.morning:
                score += np.where(s < 12, 1.0, -1.0)
            if t.afternoon:
                score += np.where(e > 13, 0.5, -0.5)
            if t.evening:
                score += np.where(e >= 17, 1.0, -0.5)
            if t.avoid_night:
                score -= (e > 18).astype(np.float32)
            if t.avoid_early:
                score -= (s < 8).astype(np.float32)
            if t.window is not None:
                ws, we = t.window
                inside = np.clip(np.minimum(e, we) - np.maximum(s, ws), 0, None) / np.maximum(
                    e - s, 0.25
                )
                score += 2 * inside - 1
        return np.clip(np.nan_to_num(score, nan=0.0), -1.0, 1.0)

    def _diversify(self, q: Query, idx: np.ndarray, scores: np.ndarray, top_k: int) -> list[int]:
        k = min(top_k, len(idx))
        lam = self._lambda(q)
        if lam >= 1.0 or len(idx) <= 2:
            return list(range(k))
        rel = (scores - scores.mean()) / (scores.std() + 1e-6)
        emb = self.embeddings_[idx]
        sim = emb @ emb.T
        chosen = [0]  # the clearly best fit always stays first
        left = list(range(1, len(idx)))
        while len(chosen) < k and left:
            red = sim[np.ix_(left, chosen)].max(axis=1)
            val = lam * rel[left] - (1 - lam) * red * 3.0
            j = left.pop(int(np.argmax(val)))
            chosen.append(j)
        return chosen

    def _lambda(self, q: Query) -> float:
        if isinstance(self.diversity, int | float):
            return float(self.diversity)
        if self.diversity in ("off", "none"):
            return 1.0
        broad = not q.preferred and (len(q.categories) == 0 or len(q.categories) >= 4)
        return 0.8 if broad else 1.0

    # ------------------------------------------------------------------ reasons
    def _reasons(self, profile: PersonProfile, q: Query, i: int, f: dict[str, float]) -> list[str]:
        r = self.resources_[i]
        onto = self.analyzer_.ontology
        reasons: list[str] = []
        if f["concept"] > 0:
            res_concepts = self.resource_concepts_[i]
            for cid in sorted(q.wish, key=lambda c: -q.wish[c]):
                if cid in res_concepts:
                    mine = "・".join(q.wish_words.get(cid, [])[:3])
                    theirs = "・".join(res_concepts[cid][:3])
                    label = onto.concepts[cid].label
                    reasons.append(f"希望「{mine}」が活動内容「{theirs}」と合う（{label}）")
                if len(reasons) >= 3:
                    break
        if f["preferred_category"] > 0:
            labels = [onto.category_labels.get(c, c) for c in sorted(q.preferred)]
            hit = [
                lab
                for c, lab in zip(sorted(q.preferred), labels, strict=True)
                if c in self._cats(i)
            ]
            reasons.append(f"希望分野「{'・'.join(hit or labels)}」の活動")
        if not reasons and f["bm25"] > 1.0:
            words = [t for t in self.bm25_.matched_terms(q.tokens, i) if not t.startswith("§")]
            if words:
                reasons.append(f"記述の言葉が重なる（{'・'.join(words[:4])}）")
        if not reasons and f["dense"] > 1.0:
            reasons.append("希望の内容と活動の説明が意味的に近い")
        pm, rm = day_mask(profile.days), day_mask(r.days)
        if pm and rm:
            both = [DAY_JA[d] for d in WEEKDAYS if pm & rm & DAY_BIT[d]]
            reasons.append(f"希望の曜日に活動あり（{'・'.join(both)}）")
        if "distance_km" in f:
            reasons.append(f"自宅から約{f['distance_km']:.1f}km")
        acc = []
        if q.wants_quiet and r.quiet_environment:
            acc.append("静かな環境")
        if q.wants_small and r.small_group:
            acc.append("少人数")
        if profile.needs_wheelchair_access and r.wheelchair_accessible:
            acc.append("車椅子対応")
        if acc:
            reasons.append("配慮: " + "・".join(acc))
        if q.wants_paid and r.paid:
            reasons.append("有償（収入につながる）")
        if f["time"] > 0 and r.start_time:
            reasons.append(f"希望の時間帯に合う（{r.start_time}〜{r.end_time}）")
        if r.visit_ok or r.trial_ok:
            kinds = "・".join(k for k, ok in (("見学", r.visit_ok), ("体験", r.trial_ok)) if ok)
            reasons.append(f"{kinds}できる")
        reasons.append(f"空き{r.capacity_remaining}名")
        return reasons

    def _cats(self, i: int) -> set[str]:
        return {self.category_ids_[j] for j in np.flatnonzero(self.categories_T_[:, i])}


def _rows_dot(matrix_t: np.ndarray, weights: np.ndarray, cand: np.ndarray) -> np.ndarray:
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
