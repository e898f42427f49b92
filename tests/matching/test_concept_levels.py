"""Narrow concepts under broad ones, and concepts a receiver's text names only in passing."""

from __future__ import annotations

import pytest

from matching import HashingEncoder, Ranker
from matching.ranker.core import UNBACKED, concept_strength, concept_strengths
from matching.ranker.features import FEATURES
from matching.ranker.query import build_query
from matching.text import Analyzer, Ontology
from tests.matching.conftest import person, res

PLAZA = res(
    "plaza",
    name="勤労市民プラザ 袋詰め",
    description="働く市民のための施設です。袋詰めの軽作業。",
    categories=["light_work"],
)
BAND = res("band", name="吹奏楽団", description="楽器の演奏を楽しむ会。", categories=["music_art"])
DESIGN = res(
    "design", name="デザイン工房", description="絵やデザインの制作。", categories=["music_art"]
)


def _fit(catalog: list) -> Ranker:
    return Ranker(encoder=HashingEncoder(dim=64), diversity="off", word_vectors="off").fit(catalog)


def _concepts(text: str) -> dict[str, list[str]]:
    return Analyzer().analyze(text, detect_negation=True).concepts


def test_a_narrow_word_names_its_concept_and_the_broad_one() -> None:
    found = _concepts("吹奏楽部でクラリネット吹いてた")
    assert {"music", "music_art"} <= set(found)
    assert "visual_art" not in found
    # ネット inside クラリネット is not the internet
    assert "office_it" not in found


def test_specific_words_reach_their_activity() -> None:
    assert "games" in _concepts("マイクラとスプラ3ばっかりやってる")
    assert "history" in _concepts("大学で考古学やってた、土器が好き")
    assert "repair" in _concepts("元整備士。油まみれでも平気")
    assert "assembly" in _concepts("ガンプラ作るのが趣味")
    assert "textile" in _concepts("ロックミシンも使えます")
    assert "sign_language" in _concepts("ろう者の先輩と筆談でしか話せなかった")
    assert "reading_aloud" in _concepts("教科書を読んで聞かせるのが好きだった")
    assert "nature" in _concepts("竹を切ったり、外の作業がしたい")


def test_being_shut_in_is_a_loose_wish_for_a_place_to_be() -> None:
    from matching.ranker.query import WEAK_TERM_WEIGHT, build_query

    q = build_query(Analyzer(), person(needs_text="15年ほど自宅にこもっている"))
    assert q.wish == {"place_to_be": pytest.approx(0.5 * WEAK_TERM_WEIGHT)}


def test_making_games_is_programming_not_playing() -> None:
    found = _concepts("Unityでゲーム作ってる")
    assert "office_it" in found and "games" not in found


def test_latte_art_is_cafe_work_not_painting() -> None:
    found = _concepts("ラテアートちょっとできる")
    assert "cafe" in found and "visual_art" not in found


def test_an_unknown_parent_is_refused() -> None:
    data = {
        "concepts": [{"id": "a", "categories": ["x"], "terms": ["あ"], "parent": "missing"}],
    }
    with pytest.raises(ValueError, match="unknown parent missing"):
        Ontology(data)


def test_a_parent_gets_its_childrens_words_and_lends_its_categories() -> None:
    onto = Ontology(
        {
            "concepts": [
                {"id": "art", "categories": ["music_art"], "terms": ["芸術"]},
                {"id": "music", "terms": ["楽器"], "parent": "art"},
            ]
        }
    )
    assert "楽器" in onto.concepts["art"].terms
    assert onto.concepts["music"].categories == ["music_art"]


def test_a_word_in_the_facility_introduction_counts_for_less() -> None:
    onto = Ontology.load()
    work = onto.concepts["employment_training"]
    plaza = res(
        "p",
        name="勤労市民プラザ 部品組立",
        description="働く市民のための施設です。部品の組み立てをしています。",
        categories=["light_work"],
    )
    assert concept_strength(work, ["働く"], plaza) == UNBACKED
    prep = res("j", name="就職準備講座", description="面接の練習。", categories=["light_work"])
    assert concept_strength(work, ["就職"], prep) == 1.0  # named in the title
    backed = res("b", name="講座", description="働く練習。", categories=["employment_training"])
    assert concept_strength(work, ["働く"], backed) == 1.0
    assert concept_strength(onto.concepts["quiet"], ["静か"], plaza) == 1.0  # traits are facts


def _ranked(needs: str) -> list[str]:
    catalog = [
        BAND,
        DESIGN,
        res("farm", name="農園", description="畑で野菜の収穫。", categories=["farm"]),
        PLAZA,
        res(
            "job",
            name="就職準備",
            description="履歴書と面接の練習。",
            categories=["employment_training"],
        ),
    ]
    rk = _fit(catalog)
    return [s.resource_id for s in rk.suggest(person(needs_text=needs), top_k=5)]


def test_a_sibling_ranks_below_the_same_narrow_activity_but_above_unrelated_ones() -> None:
    ranked = _ranked("クラリネットを吹いていた")
    assert ranked.index("band") < ranked.index("design") < ranked.index("farm")


def test_a_passing_word_in_an_introduction_counts_for_less_than_the_activity() -> None:
    catalog = [
        PLAZA,
        res(
            "shop",
            name="作業所",
            description="働く練習をする作業所。",
            categories=["employment_training"],
        ),
    ]
    rk = _fit(catalog)
    F = rk.features(person(needs_text="働きたい"), ["plaza", "shop"])
    concept = FEATURES.index("concept")
    assert 0 < F[0, concept] < F[1, concept]
    assert F[0, concept] == pytest.approx(UNBACKED * F[1, concept])


def test_a_category_label_names_only_the_broad_concept() -> None:
    """「音楽・アート」 as a label must not make a choir a painting class."""
    catalog = [
        res("choir", name="合唱の会", description="みんなで歌います。", categories=["music_art"]),
        res("bare", name="文化ホール", description="市民の会です。", categories=["music_art"]),
    ]
    rk = _fit(catalog)
    choir, bare = rk.resource_concepts_
    assert {"music", "music_art"} <= set(choir) and "visual_art" not in choir
    # a resource with nothing but its category still carries the category's concept
    assert set(bare) == {"music_art"}


def test_a_word_that_names_a_backed_concept_backs_its_other_concepts() -> None:
    onto = Ontology.load()
    beach = res(
        "b",
        name="海岸クリーンアップ",
        description="体を動かして気分転換。",
        categories=["cleaning"],
    )
    found = onto.find("体を動かして気分転換", [])
    assert {"physical", "sports"} <= set(found)
    strengths = concept_strengths(onto, {c: found[c] for c in ("physical", "sports")}, beach)
    assert strengths == {"physical": 1.0, "sports": 1.0}
    # alone, exercise is not what a clean-up is about
    assert concept_strengths(onto, {"sports": ["運動"]}, beach) == {"sports": UNBACKED}


def test_an_activity_avoided_only_in_a_manner_is_not_avoided() -> None:
    """A pastry cook who avoids a rushed kitchen still wants kitchens."""
    from matching.ranker.query import build_query

    a = Analyzer()
    rushed = person(needs_text="粉や生地にさわる仕事がしたい", avoid_text="急かされる雰囲気の厨房")
    q = build_query(a, rushed)
    assert "pressure" in q.avoid and "cooking" not in q.avoid
    # with no wish of the same kind, the kitchen is avoided as written
    plain = person(needs_text="パソコンが得意", avoid_text="急かされる雰囲気の厨房")
    assert "cooking" in build_query(a, plain).avoid
    # a negated clause in the note is read the same way
    crowd = person(needs_text="カフェで働きたい。人が多いカフェは無理")
    assert "cafe" not in build_query(a, crowd).avoid


def test_refusing_care_work_is_not_refusing_the_elderly_one_wants_to_talk_with() -> None:
    from matching.ranker.query import build_query

    a = Analyzer()
    note = "おむつ交換などの身体介護はもう難しいが、お年寄りと話すのは今も好き"
    q = build_query(a, person(needs_text=note))
    assert "care_skills" in q.avoid and "elderly" not in q.avoid
    assert "elderly" in q.wish
    # refused in its own words, the broad concept stays refused
    q2 = build_query(a, person(needs_text="お年寄りの相手は難しい。パソコンが好き"))
    assert "elderly" in q2.avoid


def test_no_reason_claims_a_sibling_activity_meets_a_narrow_wish() -> None:
    rk = _fit([BAND, DESIGN])
    out = {
        s.resource_id: s.reasons for s in rk.suggest(person(needs_text="クラリネットを吹いていた"))
    }
    assert any("クラリネット" in r for r in out["band"])
    assert not any("クラリネット" in r for r in out["design"])


def test_one_thing_refused_and_another_of_its_kind_wished() -> None:
    from matching.ranker.query import build_query

    a = Analyzer()
    q = build_query(a, person(needs_text="将棋少し指す(囲碁×)"))
    assert "hobby" in q.wish and "hobby" not in q.avoid
    assert "囲碁" in q.avoid_tokens  # the refused word still counts against places naming it
    # the same word wished and refused stays refused
    q2 = build_query(a, person(needs_text="保護猫のお世話がしたい。でも猫は無理"))
    assert "animals" in q2.avoid


def test_work_said_as_history_counts_less_than_work_wished() -> None:
    an = Analyzer()
    told = build_query(an, person(needs_text="工場で働いていたが退職。お年寄りと話すのが好き"))
    wished = build_query(an, person(needs_text="また働きたい。お年寄りと話すのが好き"))
    assert told.wish["employment_training"] < 0.5 <= told.wish["elderly"]
    assert wished.wish["employment_training"] == 1.0


def test_peers_are_seniors_only_for_a_senior() -> None:
    a = Analyzer()
    note = "同年代の居場所ほしい"
    assert "elderly" not in build_query(a, person(needs_text=note, age=18)).wish
    assert "elderly" in build_query(a, person(needs_text=note, age=75)).wish
    # said in other words, seniors stay wished whatever the age
    assert "elderly" in build_query(a, person(needs_text="お年寄りと話したい", age=18)).wish
