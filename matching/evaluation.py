"""Evaluation kept apart from ranking: metrics, an evaluator callable, and two baselines."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.bm25 import BM25Index
from matching.encoders import Encoder
from matching.rules import RuleColumns, check_rules
from matching.text import Analyzer, normalize
from matching.types import PersonProfile, Resource, Suggestion


class SuggestsResources(Protocol):
    """Anything that ranks resources for a person."""

    def suggest(self, profile: PersonProfile, top_k: int = 10) -> list[Suggestion]:
        """Ranked suggestions."""
        ...


def ndcg_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """Graded nDCG@k with gain 2^grade - 1."""
    dcg = sum((2 ** grades.get(r, 0) - 1) / math.log2(i + 2) for i, r in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg > 0 else 0.0


def reciprocal_rank(ranked: Sequence[str], grades: Mapping[str, int]) -> float:
    """1/rank of the first relevant (grade > 0) resource."""
    for i, r in enumerate(ranked):
        if grades.get(r, 0) > 0:
            return 1.0 / (i + 1)
    return 0.0


def recall_at_k(ranked: Sequence[str], grades: Mapping[str, int], k: int = 5) -> float:
    """Share of relevant resources found in the top k."""
    rel = {r for r, g in grades.items() if g > 0}
    return len(rel & set(ranked[:k])) / len(rel) if rel else 0.0


class RankingEvaluator:
    """Callable evaluator: ``evaluator(ranker) -> dict`` with nDCG@5, MRR, recall@5, rule breaks."""

    def __init__(
        self,
        people: Sequence[PersonProfile],
        labels: Mapping[str, Mapping[str, int]],
        resources: Sequence[Resource],
        name: str = "",
        k: int = 5,
        top_n: int = 10,
    ) -> None:
        self.people = list(people)
        self.labels = labels
        self.resources = {r.resource_id: r for r in resources}
        self.name = name
        self.k = k
        self.top_n = top_n

    def __call__(self, ranker: SuggestsResources) -> dict[str, Any]:
        """Metrics averaged over people that have labels; rule breaks counted over all."""
        nd, mrr, rec, breaks = [], [], [], 0
        per_person = {}
        for p in self.people:
            ranked = [s.resource_id for s in ranker.suggest(p, top_k=self.top_n)]
            breaks += sum(1 for rid in ranked if check_rules(p, self.resources[rid]))
            grades = self.labels.get(p.person_id)
            if not grades:
                continue
            nd.append(ndcg_at_k(ranked, grades, self.k))
            mrr.append(reciprocal_rank(ranked, grades))
            rec.append(recall_at_k(ranked, grades, self.k))
            per_person[p.person_id] = nd[-1]
        key = f"ndcg@{self.k}"
        return {
            key: float(np.mean(nd)) if nd else 0.0,
            "mrr": float(np.mean(mrr)) if mrr else 0.0,
            f"recall@{self.k}": float(np.mean(rec)) if rec else 0.0,
            f"hard_rule_breaks@{self.top_n}": breaks,
            "n_people": len(nd),
            "primary_metric": key,
            "per_person_ndcg": per_person,
        }


class _FilteredBaseline:
    """Shared part of the baselines: score texts, apply the same hard-rule masks, take top k."""

    def _fit_rules(self, resources: Sequence[Resource]) -> None:
        self.resources_ = list(resources)
        self.rules_ = RuleColumns.from_resources(self.resources_)

    def _scores(self, profile: PersonProfile) -> np.ndarray:
        raise NotImplementedError

    def suggest(self, profile: PersonProfile, top_k: int = 10) -> list[Suggestion]:
        """Top resources by text score among those breaking no hard rule."""
        scores = self._scores(profile)
        cand = np.flatnonzero(self.rules_.mask(profile))
        order = cand[np.lexsort((cand, -scores[cand]))][:top_k]
        return [Suggestion(self.resources_[i].resource_id, float(scores[i]), [], {}) for i in order]


def _doc(r: Resource) -> str:
    return f"{r.name}\n{r.description}\n{' '.join(r.categories)}"


class TfidfBaseline(_FilteredBaseline):
    """Baseline: character 2–3-gram TF-IDF cosine between needs text and resource text."""

    def fit(self, resources: Sequence[Resource]) -> TfidfBaseline:
        """Fit the vectoriser on the catalog."""
        self._fit_rules(resources)
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True
        )
        self.matrix_ = self.vectorizer_.fit_transform([normalize(_doc(r)) for r in self.resources_])
        return self

    def _scores(self, profile: PersonProfile) -> np.ndarray:
        qv = self.vectorizer_.transform([normalize(profile.needs_text)])
        return np.asarray((self.matrix_ @ qv.T).todense()).ravel()


class BM25Baseline(_FilteredBaseline):
    """Baseline: plain BM25 over Sudachi tokens, no ontology and no embeddings."""

    def fit(self, resources: Sequence[Resource]) -> BM25Baseline:
        """Index the catalog."""
        self._fit_rules(resources)
        self.analyzer_ = Analyzer()
        self.index_ = BM25Index().fit([self.analyzer_.tokens(_doc(r)) for r in self.resources_])
        return self

    def _scores(self, profile: PersonProfile) -> np.ndarray:
        return self.index_.scores(self.analyzer_.tokens(profile.needs_text))


class ParaphraseEvaluator:
    """Callable evaluator for encoders: each query should retrieve its paired passage."""

    def __init__(self, pairs: Sequence[tuple[str, str]], name: str = "paraphrase") -> None:
        self.pairs = list(pairs)
        self.name = name

    def __call__(self, encoder: Encoder) -> dict[str, Any]:
        """MRR and accuracy@1 of query -> passage retrieval over all passages."""
        queries = encoder.encode([q for q, _ in self.pairs], kind="query")
        passages = encoder.encode([p for _, p in self.pairs], kind="passage")
        sims = queries @ passages.T
        ranks = (sims > np.diag(sims)[:, None]).sum(axis=1) + 1
        return {
            "mrr": float(np.mean(1.0 / ranks)),
            "acc@1": float(np.mean(ranks == 1)),
            "acc@3": float(np.mean(ranks <= 3)),
            "n_pairs": len(self.pairs),
            "primary_metric": "mrr",
        }


def evaluate_all(
    ranker: SuggestsResources,
    resources: Sequence[Resource],
    people: Sequence[PersonProfile],
    labels: Mapping[str, Mapping[str, int]],
) -> dict[str, Any]:
    """The ranker beside both baselines on one set, with ratios to the better baseline."""
    evaluator = RankingEvaluator(people, labels, resources)
    results = {
        "ranker": evaluator(ranker),
        "tfidf_char": evaluator(TfidfBaseline().fit(resources)),
        "bm25": evaluator(BM25Baseline().fit(resources)),
    }
    ratios = {}
    for metric in ("ndcg@5", "mrr", "recall@5"):
        best = max(results["tfidf_char"][metric], results["bm25"][metric])
        ratios[metric] = results["ranker"][metric] / best if best else float("inf")
    return {"results": results, "ratio_to_best_baseline": ratios, "primary_metric": "ndcg@5"}
