"""The Tsunagu ranker: hard rules as masks, soft preferences as features, Japanese reasons.

- ``core``: :class:`Ranker` (fit, rank, suggest, explanations);
- ``query``: what is read from a person profile, and the text the encoder gets;
- ``features``: the soft-preference feature matrix and the hand-set weights;
- ``reasons``: the Japanese reasons shown with a suggestion;
- ``diversity``: MMR re-ordering for broad wishes.
"""

from matching.ranker.core import ENGINE_VERSION, NotFittedError, Ranker, UnknownResourceError
from matching.ranker.features import DEFAULT_WEIGHTS, FEATURES
from matching.ranker.query import Query, build_query, query_text

__all__ = [
    "DEFAULT_WEIGHTS",
    "ENGINE_VERSION",
    "FEATURES",
    "NotFittedError",
    "Query",
    "Ranker",
    "UnknownResourceError",
    "build_query",
    "query_text",
]
