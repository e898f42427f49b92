"""Unmet needs on a small hand-made catalog: themes, binding rules, anonymised phrases."""

from __future__ import annotations

import pytest

from development.unmet import (
    NO_SUPPLY,
    WEAK_FIT,
    NeedRecord,
    age_band,
    anonymise_phrase,
    unmet_needs,
)
from matching import HashingEncoder, PersonProfile, Ranker, Resource

ALL_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat"]


def _resources() -> list[Resource]:
    return [
        Resource(
            "FARM1",
            name="市民農園の畑仕事",
            description="畑で野菜を育てる農作業",
            categories=["farm"],
            days=ALL_DAYS,
            capacity_total=5,
            capacity_remaining=5,
            requires_certificate=True,
        ),
        Resource(
            "COOK1",
            name="こども食堂の調理",
            description="料理の下ごしらえと調理",
            categories=["cooking"],
            days=ALL_DAYS,
            capacity_total=5,
            capacity_remaining=5,
        ),
        Resource(
            "CLEAN1",
            name="公園の清掃",
            description="公園を掃除する清掃活動",
            categories=["cleaning"],
            days=["sat"],
            capacity_total=5,
            capacity_remaining=5,
        ),
    ]


@pytest.fixture(scope="module")
def ranker() -> Ranker:
    return Ranker(encoder=HashingEncoder()).fit(_resources())


def _rec(
    pid: str, text: str, ward: str = "中央区", month: str = "2026-05", **kw: object
) -> NeedRecord:
    profile = PersonProfile(pid, needs_text=text, home_ward=ward, **kw)  # type: ignore[arg-type]
    return NeedRecord(profile=profile, ward=ward, age=kw.get("age"), month=month)  # type: ignore[arg-type]


def test_kind_ruled_out_everywhere_is_grouped_with_its_binding_rule(ranker: Ranker) -> None:
    people = [
        _rec("A", "畑仕事がしたい", age=30),
        _rec("B", "野菜を育てる農作業をしてみたい", ward="花見川区", month="2026-06", age=52),
        _rec("C", "料理がしたい", age=41),  # served by COOK1: not unmet
    ]
    report = unmet_needs(ranker, people, weak_score=-1e9)
    assert (report.people, report.unmet) == (3, 2)
    [farm] = report.themes
    assert farm.concept_id == "farm" and farm.label == "農作業"
    assert farm.count == 2
    assert farm.by_rule == {"certificate": 2}
    assert farm.by_ward == {"中央区": 1, "花見川区": 1}
    assert farm.by_age_band == {"30代": 1, "50代": 1}
    assert farm.by_month == {"2026-05": 1, "2026-06": 1}
    assert report.by_rule == {"certificate": 2}
    assert farm.examples and all(not any(ch.isdigit() for ch in e) for e in farm.examples)


def test_a_kind_nobody_offers_is_no_supply_and_days_bind_cleaning(ranker: Ranker) -> None:
    people = [
        _rec("A", "動物の世話がしたい"),
        _rec("B", "清掃の仕事がしたい", days=["mon"]),
    ]
    report = unmet_needs(ranker, people, weak_score=-1e9)
    rules = {t.concept_id: t.by_rule for t in report.themes}
    assert rules == {"animals": {NO_SUPPLY: 1}, "cleaning": {"days": 1}}


def test_weak_best_match_counts_when_nothing_is_ruled_out(ranker: Ranker) -> None:
    people = [_rec("A", "料理がしたい"), _rec("B", "特に希望はない")]
    assert unmet_needs(ranker, people, weak_score=-1e9).unmet == 0
    report = unmet_needs(ranker, people, weak_score=1e9)
    assert report.unmet == 2
    assert {t.concept_id: t.by_rule for t in report.themes} == {
        "cooking": {WEAK_FIT: 1},
        "unclassified": {WEAK_FIT: 1},
    }


def test_anonymise_phrase_drops_names_places_and_numbers() -> None:
    phrase = anonymise_phrase("佐藤さんと千葉公園で週2回、13時から畑仕事がしたい")
    assert "佐藤" not in phrase and "千葉公園" not in phrase
    assert not any(ch.isdigit() for ch in phrase)
    assert "畑仕事" in phrase


def test_age_bands() -> None:
    assert [age_band(a) for a in (None, 17, 20, 39, 64, 85)] == [
        "不明",
        "10代以下",
        "20代",
        "30代",
        "60代",
        "80代以上",
    ]
