""" "Why not?": close-but-excluded resources, locating one resource, unserved categories,
live availability without a refit, and the plain Japanese rule messages."""

from __future__ import annotations

import pytest

from matching import HashingEncoder, Ranker, Resource, UnknownResourceError
from matching.rules import check_rules
from tests.matching.conftest import make_tiny_catalog, person, res


def it_catalog() -> list[Resource]:
    """The tiny catalog plus an IT placement for 15-39-year-olds only."""
    it = res(
        "it_young",
        name="若者IT就労体験",
        description="パソコンでデータ入力とホームページ更新。",
        categories=["office_it"],
        min_age=15,
        max_age=39,
    )
    return [*make_tiny_catalog(), it]


@pytest.fixture
def ranker() -> Ranker:
    return Ranker(encoder=HashingEncoder(dim=128), diversity="off").fit(it_catalog())


def test_rule_messages_are_plain_japanese_with_the_deciding_figures() -> None:
    p = person(age=45, days=["mon"], max_travel_km=5.0, home_lat=35.60, home_lon=140.10)
    r = res(
        "x",
        min_age=15,
        max_age=39,
        requires_certificate=True,
        capacity_remaining=0,
        days=["sat", "sun"],
        lat=35.711,
        lon=140.10,
    )
    msgs = {b.rule: b.message_ja for b in check_rules(p, r)}
    assert msgs["available"] == "空きがありません"
    assert msgs["age"].startswith("年齢条件（15〜39歳）に合いません")
    assert msgs["certificate"].startswith("受給者証が必要です")
    assert msgs["days"] == "活動日（土・日）が希望の曜日（月）と合いません"
    assert msgs["distance"] == "自宅から約12.3km（上限5km）"


def test_near_excluded_lists_the_age_limited_it_place(ranker: Ranker) -> None:
    p = person(age=45, needs_text="パソコンの入力作業がしたい")
    shown = [s.resource_id for s in ranker.suggest(p, top_k=5)]
    assert "it_young" not in shown
    near = ranker.near_excluded(p, top_k=5)
    assert [e.resource_id for e in near] == ["it_young"]
    e = near[0]
    assert e.would_rank <= 2 and e.score > 0
    assert [b.rule for b in e.rules] == ["age"]
    assert e.rules == ranker.explain_exclusion(p, "it_young")
    assert "年齢条件（15〜39歳）に合いません" in e.rules[0].message_ja


def test_near_excluded_is_empty_when_nothing_is_excluded(ranker: Ranker) -> None:
    assert ranker.near_excluded(person(age=30, needs_text="パソコン"), top_k=5) == []


def test_near_excluded_accepts_a_stored_query_vector(ranker: Ranker) -> None:
    p = person(age=45, needs_text="パソコンの入力作業がしたい")
    qv = ranker.encode_query(p)
    assert ranker.near_excluded(p, 5, query_vector=qv) == ranker.near_excluded(p, 5)


def test_locate_feasible_gives_its_rank_and_reasons(ranker: Ranker) -> None:
    p = person(age=45, needs_text="パソコンの入力作業がしたい")
    shown = [s.resource_id for s in ranker.suggest(p, top_k=10)]
    for rid in shown:
        loc = ranker.locate(p, rid)
        assert loc.feasible and loc.rules == []
        assert loc.rank == shown.index(rid) + 1
    assert ranker.locate(p, "pc").reasons


def test_locate_excluded_gives_rules_not_a_rank(ranker: Ranker) -> None:
    p = person(age=45, needs_text="パソコン")
    loc = ranker.locate(p, "it_young")
    assert not loc.feasible and loc.rank is None and loc.reasons == []
    assert loc.rules == ranker.explain_exclusion(p, "it_young")
    with pytest.raises(UnknownResourceError):
        ranker.locate(p, "nope")


def test_unserved_preference_names_the_rule_and_the_best_excluded() -> None:
    only_young_it = [r for r in it_catalog() if r.resource_id != "pc"]
    rk = Ranker(encoder=HashingEncoder(dim=64)).fit(only_young_it)
    p = person(age=45, needs_text="PC得意", preferred_categories=["office_it", "farm"])
    got = rk.unserved_preferences(p)
    assert [u.category for u in got] == ["office_it"]  # farm has a feasible resource
    u = got[0]
    assert u.n_resources == 1 and u.rule_counts == {"age": 1}
    assert u.best is not None and u.best.resource_id == "it_young" and u.best.would_rank >= 1
    assert "年齢条件 1件" in u.message_ja and "事務" in u.message_ja
    assert rk.unserved_preferences(person(age=30, preferred_categories=["office_it"])) == []


def test_unserved_preference_for_a_category_with_no_resource(ranker: Ranker) -> None:
    got = ranker.unserved_preferences(person(preferred_categories=["music_art"]))
    assert got[0].n_resources == 0 and got[0].best is None
    assert "登録されていません" in got[0].message_ja


def test_with_availability_filters_without_refit(ranker: Ranker) -> None:
    p = person(needs_text="パソコンの入力作業がしたい")
    assert ranker.suggest(p, 3)[0].resource_id == "pc"
    live = ranker.with_availability(remaining={"pc": 0, "unknown": 3})
    assert live.embeddings_ is ranker.embeddings_ and live.bm25_ is ranker.bm25_
    assert "pc" not in [s.resource_id for s in live.suggest(p, 10)]
    assert [b.message_ja for b in live.explain_exclusion(p, "pc")] == ["空きがありません"]
    assert "pc" in [e.resource_id for e in live.near_excluded(p, 5)]
    # the fitted ranker is unchanged, and a place freed again comes back
    assert ranker.suggest(p, 3)[0].resource_id == "pc"
    back = live.with_availability(remaining={"pc": 2}, status={"farm": "inactive"})
    ids = [s.resource_id for s in back.suggest(p, 10)]
    assert ids[0] == "pc" and "farm" not in ids
    assert back.resources_[back.rules_.index["pc"]].capacity_remaining == 2
