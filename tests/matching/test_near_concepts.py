"""Concepts reached through word vectors, weak words, and unasked distance."""

from __future__ import annotations

import pytest

from matching import HashingEncoder, Ranker
from matching import bridge as bridge_mod
from matching.ranker.features import FEATURES, UNASKED_DISTANCE
from matching.ranker.query import NEAR_WEIGHT, WEAK_TERM_WEIGHT, build_query
from tests.matching.conftest import person, res

needs_ginza = pytest.mark.skipif(
    bridge_mod.ginza_vocab_dir() is None, reason="ja-ginza is not installed (optional)"
)


def _catalog() -> list:
    return [
        res(
            "dog", name="保護犬の散歩", description="犬の散歩と犬舎の掃除。", categories=["animals"]
        ),
        res("farm", name="農園", description="畑で野菜の収穫。", categories=["farm"]),
        res("club", name="将棋クラブ", description="将棋と囲碁を楽しむ会。", categories=["hobby"]),
    ]


def _ranker(**kw: object) -> Ranker:
    return Ranker(encoder=HashingEncoder(dim=64), diversity="off", **kw).fit(_catalog())  # type: ignore[arg-type]


@needs_ginza
def test_a_breed_reaches_the_animal_concept_with_a_bounded_weight() -> None:
    rk = _ranker()
    q = rk._query(person(needs_text="ポメラニアンと暮らしていた"))
    assert "animals" in q.wish
    assert 0 < q.wish["animals"] <= NEAR_WEIGHT
    assert q.wish_words["animals"] == ["ポメラニアン"]  # the person's own word, for reasons
    top = rk.suggest(person(needs_text="ポメラニアンと暮らしていた"), top_k=3)
    assert top[0].resource_id == "dog"


@needs_ginza
def test_general_words_reach_no_concept_and_switch_turns_it_off() -> None:
    rk = _ranker()
    for text in ("仕事を探している", "高校を中退した"):
        q = rk._query(person(needs_text=text))
        assert q.wish == {}, (text, q.wish)
    off = _ranker(near_concepts=False)
    assert "animals" not in off._query(person(needs_text="ポメラニアンと暮らしていた")).wish


@needs_ginza
def test_a_named_concept_is_not_overridden_by_a_near_one() -> None:
    rk = _ranker()
    q = rk._query(person(needs_text="犬の世話がしたい。柴犬が好き"))
    assert q.wish["animals"] == 1.0


def test_a_concept_named_only_by_weak_words_weighs_less() -> None:
    rk = _ranker(word_vectors="off")
    loose = build_query(rk.analyzer_, person(needs_text="古着屋めぐりが趣味"))
    named = build_query(rk.analyzer_, person(needs_text="将棋が趣味"))
    assert loose.wish["hobby"] == pytest.approx(named.wish["hobby"] * WEAK_TERM_WEIGHT)


def test_distance_counts_less_when_the_person_said_nothing_about_it() -> None:
    rk = _ranker(word_vectors="off")
    col = FEATURES.index("distance")
    unasked = rk.features(person(needs_text="畑", max_travel_km=None), ["farm"])[0, col]
    near = rk.features(person(needs_text="畑、近所がいい", max_travel_km=None), ["farm"])[0, col]
    assert 0 < unasked <= UNASKED_DISTANCE
    assert near > unasked


def test_worry_about_a_wished_thing_is_not_avoidance() -> None:
    rk = _ranker(word_vectors="off")
    q = build_query(rk.analyzer_, person(needs_text="求人を見てるけど面接がこわい"))
    assert "employment_training" in q.wish and "employment_training" not in q.avoid
    assert "面接" not in q.avoid_tokens
    # a refusal still wins over a wish (of the narrower thing it names: job hunting, while
    # work itself stays wished), and worry alone still avoids
    q = build_query(rk.analyzer_, person(needs_text="働きたい。でも面接は無理"))
    assert "job_hunting" in q.avoid and "employment_training" not in q.avoid
    assert "employment_training" in q.wish
    q = build_query(rk.analyzer_, person(needs_text="面接がこわい"))
    assert "employment_training" in q.avoid
