"""A profile's stored reading: it replaces the note's analysis exactly, and is never trusted
when it was made from other inputs or is not a reading at all."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

import pytest

from matching import HashingEncoder, Ranker
from matching.io import load_people_jsonl
from matching.ranker import core
from matching.ranker.query import build_query, dump_reading, load_reading
from tests.matching.conftest import make_tiny_catalog, person, res

EVALSETS = Path(__file__).resolve().parents[2] / "matching" / "evalsets"


def _outputs(ranked: list) -> list[tuple[str, float, list[str]]]:
    return [(s.resource_id, round(s.score, 6), s.reasons) for s in ranked]


def test_every_person_of_every_set_round_trips_through_the_stored_form(
    tiny_ranker: Ranker,
) -> None:
    files = sorted(EVALSETS.glob("*/people.jsonl"))
    assert len(files) >= 10
    read = 0
    for path in files:
        for p in load_people_jsonl(path):
            q = build_query(tiny_ranker.analyzer_, p)
            assert load_reading(dump_reading(q)) == q, (path.parent.name, p.person_id)
            read += 1
    assert read > 1000


def test_ranking_with_the_stored_reading_never_reads_the_note_and_gives_the_same_list(
    tiny_ranker: Ranker,
) -> None:
    p = person(
        needs_text="「土に触れたい」。人混み×、午前中NG",
        avoid_text="電話対応",
        preferred_categories=["farm"],
    )
    vec = tiny_ranker.encode_query(p)
    stored = tiny_ranker.read(p)
    tiny_ranker.clear_memos()
    fresh = tiny_ranker.rank(p, vec, top_k=5)
    tiny_ranker.clear_memos()
    with mock.patch.object(core, "build_query", side_effect=AssertionError("read again")):
        from_store = tiny_ranker.rank(p, vec, top_k=5, reading=stored)
        near = tiny_ranker.near_excluded(p, 5, vec, stored)
        unserved = tiny_ranker.unserved_preferences(p, vec, stored)
    assert _outputs(from_store) == _outputs(fresh)
    assert isinstance(near, list) and isinstance(unserved, list)


@pytest.mark.parametrize(
    "change",
    [
        {"needs_text": "パソコン入力がしたい"},
        {"avoid_text": "畑"},
        {"prefers_quiet": True},
        {"preferred_categories": ["office_it"]},
        {"age": 18},
    ],
)
def test_a_reading_of_other_inputs_does_not_fit_and_is_not_used(
    tiny_ranker: Ranker, change: dict
) -> None:
    base = dict(needs_text="畑仕事がしたい", age=70)
    p, other = person(**base), person(**{**base, **change})
    stored = tiny_ranker.read(p)
    assert tiny_ranker.reading_fits(p, stored)
    assert not tiny_ranker.reading_fits(other, stored)
    vec = tiny_ranker.encode_query(other)
    tiny_ranker.clear_memos()
    fresh = tiny_ranker.rank(other, vec, top_k=5)
    tiny_ranker.clear_memos()
    assert _outputs(tiny_ranker.rank(other, vec, top_k=5, reading=stored)) == _outputs(fresh)


@pytest.mark.parametrize("broken", ["", "nonsense", "abc:{}", "{}", ":"])
def test_what_is_not_a_reading_is_read_afresh(tiny_ranker: Ranker, broken: str) -> None:
    p = person(needs_text="畑仕事がしたい")
    key = tiny_ranker.read(p).partition(":")[0]
    vec = tiny_ranker.encode_query(p)
    tiny_ranker.clear_memos()
    fresh = tiny_ranker.rank(p, vec, top_k=5)
    for reading in (broken, f"{key}:{broken}"):
        tiny_ranker.clear_memos()
        assert _outputs(tiny_ranker.rank(p, vec, top_k=5, reading=reading)) == _outputs(fresh)


def test_the_stored_form_is_plain_json_without_the_catalog_bound_word_rows(
    tiny_ranker: Ranker,
) -> None:
    stored = tiny_ranker.read(person(needs_text="犬の散歩が好き。土日NG"))
    key, _, payload = stored.partition(":")
    data = json.loads(payload)
    assert len(key) == 64
    assert "bridge" not in data
    assert sorted(data["time"]["avoid_days"]) == ["sat", "sun"]


def test_an_older_persons_reading_is_not_reused_for_a_young_one() -> None:
    # 「同年代」 from someone under 60 asks for young company, not a seniors' salon: the
    # reading depends on the age band, so the memo of readings must too.
    salon = res(
        "salon",
        name="高齢者サロン",
        description="同年代の仲間とお茶とおしゃべり。",
        categories=["elderly", "place_to_be"],
    )
    ranker = Ranker(encoder=HashingEncoder(dim=128), diversity="off").fit(
        [*make_tiny_catalog(), salon]
    )
    old = person(needs_text="同年代の仲間がほしい", age=72)
    young = person(needs_text="同年代の仲間がほしい", age=19)
    ranker.rank(old, ranker.encode_query(old), top_k=5)
    after_old = ranker.features(young, ["salon"])
    ranker.clear_memos()
    alone = ranker.features(young, ["salon"])
    assert (after_old == alone).all()
