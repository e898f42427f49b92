"""The rank memo: an unchanged profile is not ranked again, and nothing stale comes back."""

from __future__ import annotations

from unittest import mock

import numpy as np

from matching import Ranker
from tests.matching.conftest import person


def test_same_profile_ranks_once_and_returns_equal_results(tiny_ranker: Ranker) -> None:
    view = tiny_ranker.with_availability()
    p = person(needs_text="畑仕事がしたい")
    vec = view.encode_query(p)
    with mock.patch.object(view, "_rank", wraps=view._rank) as spy:
        first = view.rank(p, vec, top_k=3)
        second = view.rank(p, vec, top_k=3)
    assert spy.call_count == 1
    assert [s.resource_id for s in first] == [s.resource_id for s in second]
    assert [s.reasons for s in first] == [s.reasons for s in second]


def test_a_caller_mutating_results_does_not_change_the_memo(tiny_ranker: Ranker) -> None:
    view = tiny_ranker.with_availability()
    p = person(needs_text="畑仕事がしたい")
    vec = view.encode_query(p)
    first = view.rank(p, vec, top_k=3)
    first[0].reasons.clear()
    first[0].features.clear()
    again = view.rank(p, vec, top_k=3)
    assert again[0].reasons and again[0].features


def test_a_changed_profile_field_is_ranked_afresh(tiny_ranker: Ranker) -> None:
    view = tiny_ranker.with_availability()
    p = person(needs_text="畑仕事がしたい")
    vec = view.encode_query(p)
    top = view.rank(p, vec, top_k=1)[0].resource_id
    excluded = person(needs_text="畑仕事がしたい", excluded_resource_ids=[top])
    assert top not in [s.resource_id for s in view.rank(excluded, vec, top_k=5)]


def test_an_availability_view_does_not_reuse_results_of_the_full_catalog(
    tiny_ranker: Ranker,
) -> None:
    p = person(needs_text="畑仕事がしたい")
    vec = tiny_ranker.encode_query(p)
    top = tiny_ranker.rank(p, vec, top_k=1)[0].resource_id
    full = tiny_ranker.with_availability(remaining={top: 0})
    assert top not in [s.resource_id for s in full.rank(p, vec, top_k=5)]
    # and the original ranker still sees the place as free
    assert tiny_ranker.rank(p, vec, top_k=1)[0].resource_id == top


def test_a_weights_view_scores_with_its_own_weights(tiny_ranker: Ranker) -> None:
    p = person(needs_text="畑仕事がしたい")
    vec = tiny_ranker.encode_query(p)
    base = tiny_ranker.rank(p, vec, top_k=3)
    flat = tiny_ranker.with_weights(np.zeros_like(tiny_ranker.weight_vector_))
    assert all(s.score == 0.0 for s in flat.rank(p, vec, top_k=3))
    assert [s.score for s in tiny_ranker.rank(p, vec, top_k=3)] == [s.score for s in base]
