"""The weight sweep ranks with the scaled weights it names."""

from __future__ import annotations

from matching import HashingEncoder, Ranker
from matching.evalsets.weight_sweep import mean_ndcg
from tests.matching.conftest import make_tiny_catalog, person


def test_a_scaled_weight_changes_the_ranking_and_none_leaves_it() -> None:
    ranker = Ranker(encoder=HashingEncoder(dim=128), diversity="off").fit(make_tiny_catalog())
    people = [person(person_id="p1", needs_text="畑仕事がしたい")]
    vectors = {"p1": ranker.encode_query(people[0])}
    loaded = ("tiny", ranker, people, {"p1": {"farm": 2}}, vectors)
    assert mean_ndcg(loaded, {}) == 1.0
    assert mean_ndcg(loaded, {"concept": 1.0}) == 1.0
    assert mean_ndcg(loaded, {"concept": -1.0, "category": -1.0, "bm25": -1.0}) < 1.0
