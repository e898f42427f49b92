"""The Tsunagu ranker: hard rules as masks, soft preferences as features, Japanese reasons."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import math
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from threadpoolctl import ThreadpoolController

from matching.bm25 import BM25Index
from matching.bridge import WordBridge, load_word_vectors
from matching.encoders import AnalysisCache, EmbeddingCache, Encoder, default_encoder
from matching.ranker import explain
from matching.ranker.diversity import diversity_lambda, mmr_order
from matching.ranker.features import (
    DEFAULT_WEIGHTS,
    FEATURES,
    compute_features,
    time_columns,
    zscores,
)
from matching.ranker.query import (
    Query,
    add_near_concepts,
    build_query,
    concept_terms,
    dump_reading,
    load_reading,
    query_text,
    reading_inputs,
    reading_key,
)
from matching.ranker.reasons import Quotes, write_reasons
from matching.rules import RuleColumns, check_rules
from matching.text import Analyzer, Concept, Ontology, parse_hhmm
from matching.types import (
    SHOWN_OUTCOMES,
    Excluded,
    Located,
    Outcome,
    PersonProfile,
    Resource,
    RuleBreak,
    Suggestion,
    SuggestionLog,
    UnservedPreference,
)

if TYPE_CHECKING:
    from matching.pairwise import PairwiseLearner

__all__ = ["ENGINE_VERSION", "NotFittedError", "Ranker", "UnknownResourceError"]

ENGINE_VERSION = "1.1"

QUERY_CACHE_SIZE = 4096
RANK_MEMO_SIZE = 1024


@lru_cache(maxsize=1)
def _limit_blas_once(threads: int) -> None:
    """Limit BLAS to ``threads`` for the whole process (again only when the number changes)."""
    # Kept on purpose: leaving the limiter unexited keeps the limit for the process.
    ThreadpoolController().limit(limits=threads, user_api="blas")


# a preferred category with a feasible resource always has one in this many first places
PREFERRED_SLOTS = 5


class NotFittedError(RuntimeError):
    """The ranker was used before ``fit``."""


class UnknownResourceError(KeyError):
    """A resource id that is not in the fitted catalog."""


class Ranker:
    """Suggests catalog resources for a person (参加支援のマッチング).

    ``fit(resources, outcomes=None, runs=None)`` builds the index (and, given enough logged
    decisions, a learned scoring stage); ``suggest(profile, top_k)`` returns ranked
    suggestions with reasons. ``learner`` configures the pairwise stage learned from ``runs``
    (a :class:`matching.pairwise.PairwiseLearner`, cloned at fit). ``near_concepts=False``
    turns off reaching concepts through word vectors (for ablations).
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
        word_vectors: str = "auto",
        learner: PairwiseLearner | None = None,
        near_concepts: bool = True,
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
        self.word_vectors = word_vectors
        self.learner = learner
        self.near_concepts = near_concepts

    # ------------------------------------------------------------------ fitting
    def fit(
        self,
        resources: Sequence[Resource],
        outcomes: Sequence[Outcome] | None = None,
        runs: Sequence[SuggestionLog] | None = None,
    ) -> Ranker:
        """Index the catalog; learn weights from decisions when there are enough and they help.

        ``runs`` (stored suggestion lists with what came of each item) feed the pairwise
        stage; ``outcomes`` (one row per finished placement) the older pointwise one, which
        is tried only when the pairwise stage is not adopted.
        """
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
        label_memo: dict[tuple[str, ...], tuple[list[str], dict[str, list[str]]]] = {}
        for i, (r, (tokens, found)) in enumerate(zip(resources, analyses, strict=True)):
            tokens, found = self._with_category_labels(r, tokens, found, label_memo)
            strengths = concept_strengths(onto, found, r)
            for cid, strength in strengths.items():
                concepts[i, self.concept_pos_[cid]] = strength
                if onto.concepts[cid].trait is None:
                    for cat in onto.concepts[cid].categories:
                        pos = self.category_pos_[cat]
                        cats[i, pos] = max(cats[i, pos], strength)
            for cat in r.categories:
                cats[i, self.category_pos_[cat]] = 1.0
            docs.append(tokens + [f"§{c}" for c in sorted(found)])
            self.resource_concepts_.append(found)
        # concept-major layout: a person's few wishes touch few contiguous rows
        self.concepts_T_ = np.ascontiguousarray(concepts.T)
        self.categories_T_ = np.ascontiguousarray(cats.T)
        df = concepts.sum(axis=0)
        self.concept_idf_ = (np.log((n + 1) / (df + 1)) + 1.0).astype(np.float32)
        self.bm25_ = BM25Index().fit(docs)
        # soft word-to-word bridge (chiVe from ja-ginza); None when off or not installed
        self.bridge_: WordBridge | None = None
        if self.word_vectors != "off":
            wv = load_word_vectors()
            if wv is not None:
                self.bridge_ = WordBridge(wv).fit(docs)
                self.bridge_.fit_concepts(concept_terms(self.analyzer_))

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
        self.crowd_ = concepts[:, self.concept_pos_["crowd"]].copy()
        del concepts, cats
        self.start_ = np.array(
            [_nan(parse_hhmm(r.start_time)) for r in resources], dtype=np.float32
        )
        self.end_ = np.array([_nan(parse_hhmm(r.end_time)) for r in resources], dtype=np.float32)
        self.time_cols_ = time_columns(self.start_, self.end_)

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
        # 72 -> 36 ms at 10,000 resources with one BLAS thread). The limit is set once for
        # the process: OpenBLAS's pool is process-wide anyway, and threadpoolctl's limiter
        # scans the loaded libraries on every entry (measured: 23% of a rank call).
        if self.blas_threads:
            _limit_blas_once(self.blas_threads)
        self.learned_ = False
        self.learning_report_: dict[str, Any] = {"used": False, "reason": "no outcomes"}
        self.query_cache_: OrderedDict[tuple[Any, ...], Query] = OrderedDict()
        self.rank_memo_: OrderedDict[tuple[Any, ...], list[Suggestion]] = OrderedDict()
        if runs:
            self._learn_pairwise(runs)
        if outcomes and not self.learned_:
            pairwise_report = self.learning_report_ if runs else None
            self._learn(outcomes)
            if pairwise_report is not None:
                self.learning_report_["pairwise"] = pairwise_report
        # The learning pass ranked with trial weights: those results do not hold.
        self.rank_memo_ = OrderedDict()
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
                an = self.analyzer_.analyze_offer(text)
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
            feats, _ = compute_features(self, oc.profile, q, np.array([i]), self._query_vector(q))
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

    def log_features(
        self, runs: Sequence[SuggestionLog]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """One row per shown item of resources still in the catalog: features, outcome label,
        position, run index and person id (the arrays :class:`PairwiseLearner` fits on).

        Features are recomputed from the profile as it was shown and today's catalog, hard
        rules ignored: the items were feasible when shown, and storing sixteen numbers per
        shown item would tie the stored runs to one feature set.
        """
        self._check_fitted()
        rows: list[np.ndarray] = []
        outcomes: list[str] = []
        positions: list[int] = []
        run_idx: list[int] = []
        people: list[str] = []
        vectors: dict[str, np.ndarray] = {}
        for n, log in enumerate(runs):
            items = [
                it
                for it in sorted(log.items, key=lambda it: it.position)
                if it.resource_id in self.rules_.index and it.outcome in SHOWN_OUTCOMES
            ]
            if len(items) < 2:
                continue
            q = self._query(log.profile)
            qvec = vectors.get(q.text)
            if qvec is None:
                qvec = vectors[q.text] = self._query_vector(q)
            idx = np.array([self.rules_.index[it.resource_id] for it in items], dtype=np.int64)
            feats, _ = compute_features(self, log.profile, q, idx, qvec)
            rows.append(feats.T)
            outcomes += [it.outcome for it in items]
            positions += [it.position for it in items]
            run_idx += [n] * len(items)
            people += [log.profile.person_id] * len(items)
        X = np.vstack(rows) if rows else np.zeros((0, len(FEATURES)), dtype=np.float32)
        return (
            X.astype(np.float64),
            np.array(outcomes, dtype=object),
            np.array(positions, dtype=np.int64),
            np.array(run_idx, dtype=np.int64),
            np.array(people, dtype=object),
        )

    def _learn_pairwise(self, runs: Sequence[SuggestionLog]) -> None:
        from sklearn.base import clone

        from matching.pairwise import PairwiseLearner

        learner = (
            clone(self.learner)
            if self.learner is not None
            else PairwiseLearner(random_state=self.random_state)
        )
        learner.fit(*self.log_features(runs), hand_weights=self.weight_vector_)
        self.learning_report_ = dict(learner.report_)
        if learner.used_:
            self.weight_vector_ = learner.weights_.astype(np.float32)
            self.learned_ = True

    @property
    def version(self) -> str:
        """Which ranker produced a suggestion: engine, encoder, ontology and weights."""
        self._check_fitted()
        digest = hashlib.sha256(self.weight_vector_.tobytes()).hexdigest()[:8]
        stage = f"learned-{digest}" if self.learned_ else f"hand-{digest}"
        onto = self.analyzer_.ontology.version
        wv = f"+{self.bridge_.wv.name}" if self.bridge_ is not None else ""
        return f"tsunagu-match-{ENGINE_VERSION}/{self.encoder_.name}{wv}/onto-{onto}/{stage}"

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
        return self.encode_query_text(self.query_text(profile))

    def query_text(self, profile: PersonProfile) -> str:
        """The exact text the encoder gets for this profile.

        Store query vectors keyed by ``(encoder name, sha256(query_text))``: the same key means
        the same vector, so a saved profile's vector can be reused without running the encoder.
        """
        self._check_fitted()
        return query_text(profile, self.analyzer_.ontology)

    def read(self, profile: PersonProfile) -> str:
        """The profile's reading (wishes, avoidances, time, tokens) to store with its version.

        Pass it back as ``reading=`` to :meth:`rank` and the explanations: they skip the
        analysis while the profile's inputs, the ontology and the reading code are unchanged,
        and read the note again otherwise (see :meth:`reading_fits`).
        """
        self._check_fitted()
        onto = self.analyzer_.ontology
        return f"{reading_key(profile, onto)}:{dump_reading(build_query(self.analyzer_, profile))}"

    def reading_fits(self, profile: PersonProfile, reading: str | None) -> bool:
        """Whether a stored reading was made from this profile by this reading code."""
        self._check_fitted()
        if not reading:
            return False
        return reading.partition(":")[0] == reading_key(profile, self.analyzer_.ontology)

    def encode_query_text(self, text: str) -> np.ndarray:
        """Encode a query text (from :meth:`query_text`) into a unit vector (float32)."""
        self._check_fitted()
        return self.encoder_.encode([text], kind="query")[0]

    def rank(
        self,
        profile: PersonProfile,
        query_vector: np.ndarray,
        top_k: int = 10,
        query: Query | None = None,
        with_reasons: bool = True,
        reading: str | None = None,
    ) -> list[Suggestion]:
        """Rank with an already encoded query vector (and the stored reading, from :meth:`read`)."""
        self._check_fitted()
        if query is not None:
            return self._rank(profile, query_vector, top_k, query, with_reasons)
        # Ranking is a pure function of the profile, its vector and this ranker (a view per
        # availability change gets a memo of its own), so an unchanged profile asked again
        # (a coordinator reloading the page) costs a lookup, not a ranking.
        key = (repr(profile), np.asarray(query_vector).tobytes(), top_k, with_reasons)
        memo = self.rank_memo_
        found = memo.get(key)
        if found is None:
            q = self._query(profile, reading)
            found = self._rank(profile, query_vector, top_k, q, with_reasons)
            memo[key] = found
            while len(memo) > RANK_MEMO_SIZE:
                memo.popitem(last=False)
        return [
            Suggestion(s.resource_id, s.score, list(s.reasons), dict(s.features)) for s in found
        ]

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
        dense_ref = self.reference_embeddings_ @ query_vector
        feats, approx = compute_features(
            self, profile, q, cand, query_vector, dist, approx_ok=True, dense_ref=dense_ref
        )
        scores = self.weight_vector_ @ feats
        if approx:
            # exact dense scores for a shortlist chosen with the low-rank scan
            short = np.argpartition(-scores, min(len(cand), 256) - 1)[:256]
            feats, cand = feats[:, short], cand[short]
            exact = self.embeddings_[cand] @ query_vector
            feats[4] = zscores(exact, dense_ref)
            scores = self.weight_vector_ @ feats
            dist = dist[short] if dist is not None else None
        pool = min(len(cand), max(3 * top_k, 20))
        top = (
            np.argpartition(-scores, pool - 1)[:pool] if pool < len(cand) else np.arange(len(cand))
        )
        top = top[np.lexsort((cand[top], -scores[top]))]
        order = self._diversify(q, cand[top], scores[top], top_k)
        chosen = self._keep_preferred(q, cand, scores, [int(top[j]) for j in order], top_k)
        out = []
        quotes = Quotes()
        for pos in chosen:
            i = int(cand[pos])
            fdict = dict(zip(FEATURES, feats[:, pos].tolist(), strict=True))
            if dist is not None and not math.isnan(dist[pos]):
                fdict["distance_km"] = round(float(dist[pos]), 2)
            reasons = write_reasons(self, profile, q, i, fdict, quotes) if with_reasons else []
            out.append(
                Suggestion(self.resources_[i].resource_id, float(scores[pos]), reasons, fdict)
            )
        return out

    def _keep_preferred(
        self, q: Query, cand: np.ndarray, scores: np.ndarray, chosen: list[int], top_k: int
    ) -> list[int]:
        """Make sure each preferred category with a feasible resource shows in the top 5.

        ``chosen`` holds positions into ``cand``; a missing category's best resource takes the
        last free slot of the top 5 and the rest moves down one place.
        """
        slots = min(PREFERRED_SLOTS, top_k, len(cand))
        if not q.preferred or slots <= 0:
            return chosen[:top_k]
        required: list[int] = []
        for cat in sorted(q.preferred):
            row = self.category_pos_.get(cat)
            if row is None or len(required) >= slots:
                continue
            member = self.categories_T_[row, cand] > 0
            if not member.any() or any(member[p] for p in required):
                continue
            shown = [p for p in chosen[:slots] if member[p]]
            best = shown[0] if shown else int(np.flatnonzero(member)[np.argmax(scores[member])])
            required.append(best)
        req = set(required)
        fill = [p for p in chosen if p not in req][: slots - len(req)]
        head_set = req | set(fill)
        head = [p for p in chosen if p in head_set]
        head += sorted((p for p in required if p not in chosen), key=lambda p: -float(scores[p]))
        chosen = head + [p for p in chosen if p not in head_set]
        return chosen[:top_k]

    def explain_exclusion(self, profile: PersonProfile, resource_id: str) -> list[RuleBreak]:
        """Which hard rules the named resource breaks for this person (empty when none)."""
        self._check_fitted()
        i = self.rules_.index.get(resource_id)
        if i is None:
            raise UnknownResourceError(resource_id)
        return check_rules(profile, self.resources_[i])

    def near_excluded(
        self,
        profile: PersonProfile,
        top_k: int = 5,
        query_vector: np.ndarray | None = None,
        reading: str | None = None,
    ) -> list[Excluded]:
        """Resources kept out by a hard rule that would otherwise rank in the top ``top_k``.

        For the "close but excluded" panel: each with its score, the 1-based position it would
        have in the catalog ranked with no hard rule (``would_rank``) and the rules it breaks
        (same messages as :meth:`explain_exclusion`). Pass ``query_vector`` and ``reading``
        when they are stored.
        """
        self._check_fitted()
        q = self._query(profile, reading)
        qvec = self._query_vector(q) if query_vector is None else query_vector
        return explain.near_excluded(self, profile, q, qvec, top_k)

    def locate(
        self,
        profile: PersonProfile,
        resource_id: str,
        query_vector: np.ndarray | None = None,
        reading: str | None = None,
    ) -> Located:
        """Where one resource stands for this person (search box: "what about this one?").

        Feasible or not; its 1-based rank among feasible resources (None when excluded), its
        score, reasons when feasible and the broken rules when not.
        Raises :class:`UnknownResourceError` for an id that is not in the fitted catalog.
        """
        self._check_fitted()
        if resource_id not in self.rules_.index:
            raise UnknownResourceError(resource_id)
        q = self._query(profile, reading)
        qvec = self._query_vector(q) if query_vector is None else query_vector
        return explain.locate(self, profile, q, qvec, resource_id)

    def unserved_preferences(
        self,
        profile: PersonProfile,
        query_vector: np.ndarray | None = None,
        reading: str | None = None,
    ) -> list[UnservedPreference]:
        """Each preferred category with no feasible resource, with the rules that exclude it.

        Per category: how many catalog resources it has, how many break each rule, and the
        best-scoring excluded one. Empty when every preferred category can be served.
        """
        self._check_fitted()
        if not profile.preferred_categories:
            return []
        q = self._query(profile, reading)
        qvec = self._query_vector(q) if query_vector is None else query_vector
        return explain.unserved_preferences(self, profile, q, qvec)

    def clear_memos(self) -> None:
        """Forget memoised readings and rankings (benchmarks time the work, not the memo)."""
        self._check_fitted()
        self.query_cache_.clear()
        self.rank_memo_.clear()

    def with_weights(self, weights: np.ndarray) -> Ranker:
        """A view scoring with other feature weights (ablations); shares the index."""
        self._check_fitted()
        view = copy.copy(self)
        view.weight_vector_ = np.asarray(weights, dtype=np.float32)
        view.rank_memo_ = OrderedDict()
        return view

    def with_availability(
        self,
        remaining: Mapping[str, int] | None = None,
        status: Mapping[str, str] | None = None,
    ) -> Ranker:
        """A view of this fitted ranker with live places left and status; no refit.

        ``remaining`` (resource id -> capacity_remaining) and ``status`` (resource id ->
        active/inactive) override what was fitted for the ids they name; ids the fitted
        catalog does not know are ignored. The view shares the index, embeddings and text
        analyses with this ranker (copy cost: a few O(catalog) numpy arrays), so a placement
        that takes a place needs no refit: build the view from the live counts per request.
        """
        self._check_fitted()
        view = copy.copy(self)
        view.rank_memo_ = OrderedDict()  # places changed: results of this ranker do not hold
        if not remaining and not status:
            return view
        resources = list(self.resources_)
        changed: list[int] = []
        for rid in set(remaining or {}) | set(status or {}):
            i = self.rules_.index.get(rid)
            if i is None:
                continue
            r = resources[i]
            resources[i] = dataclasses.replace(
                r,
                capacity_remaining=int((remaining or {}).get(rid, r.capacity_remaining)),
                status=str((status or {}).get(rid, r.status)),
            )
            changed.append(i)
        idx = np.array(changed, dtype=np.int64)
        rules = copy.copy(self.rules_)
        rules.available = self.rules_.available.copy()
        rules.available[idx] = [
            resources[i].status == "active" and resources[i].capacity_remaining > 0 for i in changed
        ]
        capacity = self.capacity_.copy()
        capacity[idx] = [min(max(resources[i].capacity_remaining, 0), 5) / 5 for i in changed]
        view.resources_, view.rules_, view.capacity_ = resources, rules, capacity
        return view

    def features(self, profile: PersonProfile, resource_ids: Sequence[str]) -> np.ndarray:
        """Feature rows (columns as FEATURES) for named resources, hard rules ignored."""
        self._check_fitted()
        idx = np.array([self.rules_.index[r] for r in resource_ids], dtype=np.int64)
        q = self._query(profile)
        return compute_features(self, profile, q, idx, self._query_vector(q))[0].T

    # ------------------------------------------------------------------ internals
    def _check_fitted(self) -> None:
        if not hasattr(self, "weight_vector_"):
            raise NotFittedError("Ranker is not fitted yet: call fit(resources) first.")

    def _resource_text(self, r: Resource) -> str:
        return f"{r.name}\n{r.organization}\n{r.description}"

    def _with_category_labels(
        self,
        r: Resource,
        tokens: list[str],
        found: dict[str, list[str]],
        memo: dict[tuple[str, ...], tuple[list[str], dict[str, list[str]]]],
    ) -> tuple[list[str], dict[str, list[str]]]:
        """A resource's reading plus its categories' labels read as words, broad concepts only.

        The label 「音楽・アート」 names music_art; read like the description it would also
        name painting (アート) and music (音楽) for a choir and a gallery alike.
        """
        key = tuple(r.categories)
        if key not in memo:
            onto = self.analyzer_.ontology
            an = self.analyzer_.analyze("・".join(onto.category_labels.get(c, c) for c in key))
            broad = {c: w for c, w in an.concepts.items() if onto.concepts[c].parent is None}
            memo[key] = (an.tokens, broad)
        label_tokens, label_found = memo[key]
        merged = dict(found)
        for cid, words in label_found.items():
            merged.setdefault(cid, words)
        return tokens + label_tokens, merged

    def _passage(self, r: Resource) -> str:
        labels = self.analyzer_.ontology.category_labels
        cats = "・".join(labels.get(c, c) for c in r.categories)
        return f"{r.name}。{r.description}" + (f"（分野: {cats}）" if cats else "")

    def _query(self, profile: PersonProfile, reading: str | None = None) -> Query:
        """The profile's reading, memoised on what it reads: SudachiPy on the note was 40% of
        a rank call, and a coordinator asks for the same unchanged profile again and again.
        A stored ``reading`` that fits the profile replaces the analysis; the word bridge's
        rows depend on the catalog and are added here. The Query is shared between calls, so
        nothing downstream may mutate it."""
        key = reading_inputs(profile)
        cache = self.query_cache_
        found = cache.get(key)
        if found is not None:
            return found
        q = self._stored_reading(profile, reading) if reading else None
        if q is None:
            q = build_query(self.analyzer_, profile)
        if self.bridge_ is not None:
            q.bridge = self.bridge_.query_rows(q.tokens)
            if self.near_concepts:
                add_near_concepts(q, self.bridge_, self.analyzer_.ontology)
        cache[key] = q
        while len(cache) > QUERY_CACHE_SIZE:
            cache.popitem(last=False)
        return q

    def _stored_reading(self, profile: PersonProfile, reading: str) -> Query | None:
        key, _, payload = reading.partition(":")
        if key != reading_key(profile, self.analyzer_.ontology):
            return None
        try:
            return load_reading(payload)
        except ValueError:
            return None

    def _diversify(self, q: Query, idx: np.ndarray, scores: np.ndarray, top_k: int) -> list[int]:
        broad = not q.preferred and (len(q.categories) == 0 or len(q.categories) >= 4)
        lam = diversity_lambda(self.diversity, broad)
        return mmr_order(self.embeddings_[idx], scores, top_k, lam)

    def _query_vector(self, q: Query) -> np.ndarray:
        return self.encoder_.encode([q.text], kind="query")[0]


# weight of a concept named only outside what the receiver is about (see concept_strength)
UNBACKED = 0.5


def concept_strength(concept: Concept, words: list[str], r: Resource) -> float:
    """How surely a receiver offers a concept its text names.

    A word in a facility's introduction (「働く市民のための施設です」) names a concept the
    activity is not about; the receiver's own categories, or its name, back the ones it is.
    """
    if concept.trait is not None or not r.categories or not concept.categories:
        return 1.0
    if set(concept.categories) & set(r.categories):
        return 1.0
    name = r.name.lower()
    if any(w in name for w in words):
        return 1.0
    return UNBACKED


def concept_strengths(onto: Ontology, found: dict[str, list[str]], r: Resource) -> dict[str, float]:
    """concept_strength for each concept found, where a word that also names a backed concept
    backs this one too: 「体を動かして」 in a beach clean-up is cleaning work and exercise."""
    out = {cid: concept_strength(onto.concepts[cid], words, r) for cid, words in found.items()}
    backed_words = {w for cid, words in found.items() if out[cid] == 1.0 for w in words}
    for cid, words in found.items():
        if out[cid] < 1.0 and any(w in backed_words for w in words):
            out[cid] = 1.0
    return out


def _nan(v: float | None) -> float:
    return float("nan") if v is None else v
