"""The chiVe word bridge: lookups, lazy optional loading, and what it adds to ranking."""

from __future__ import annotations

import numpy as np
import pytest

from matching import HashingEncoder, Ranker
from matching import bridge as bridge_mod
from matching.bridge import load_word_vectors, murmurhash64a
from matching.ranker.features import FEATURES
from tests.matching.conftest import person, res

needs_ginza = pytest.mark.skipif(
    bridge_mod.ginza_vocab_dir() is None, reason="ja-ginza is not installed (optional)"
)


def test_murmurhash64a_matches_known_values() -> None:
    # reference values of MurmurHash64A (seed 1), as spaCy hashes strings
    assert murmurhash64a(b"") == 0xC6A4A7935BD064DC
    assert murmurhash64a("犬".encode()) != murmurhash64a("猫".encode())


@needs_ginza
def test_word_vectors_know_colloquial_and_specific_words() -> None:
    wv = load_word_vectors()
    assert wv is not None

    def cos(a: str, b: str) -> float:
        ra, rb = wv.row(a), wv.row(b)
        assert ra >= 0 and rb >= 0, (a, b)
        return float(wv.vectors[ra] @ wv.vectors[rb])

    assert cos("柴犬", "犬") > 0.6
    assert cos("プラモ", "模型") > 0.6
    assert cos("ミシン", "農業") < 0.3
    assert wv.row("わんこ") >= 0  # found through its katakana form ワンコ
    assert wv.row("存在しない語xyz") == -1


def _hobby_catalog() -> list:
    return [
        res("model", name="模型サークル", description="プラスチック模型の組み立てと塗装。"),
        res("sew", name="縫製作業所", description="裁縫で巾着を縫います。"),
        res("farm", name="農園", description="畑で野菜の収穫。"),
        res("dog", name="保護犬の散歩", description="犬の散歩と犬舎の掃除。"),
    ]


def _ambiguous_catalog() -> list:
    """Activities whose words share no characters with the colloquial notes below."""
    return [
        res("model", name="組み立てサークル", description="模型を組み立てて塗装します。"),
        res("sew", name="縫製作業所", description="裁縫で巾着を縫います。"),
        res("farm", name="農園", description="畑で野菜の収穫。"),
        res("dog", name="保護団体の散歩", description="犬の散歩と犬舎の掃除。"),
        res("game", name="交流の居場所", description="テレビゲームで遊びながら交流します。"),
    ]


@needs_ginza
def test_bridge_finds_the_activity_behind_a_specific_word() -> None:
    catalog = _ambiguous_catalog()
    # the hashing encoder is noise here: leave it out to see the bridge alone
    weights = {"semantic_bridge": 1.5, "dense": 0.0}
    on = Ranker(encoder=HashingEncoder(dim=64), diversity="off", weights=weights)
    on.fit(catalog)
    off = Ranker(encoder=HashingEncoder(dim=64), diversity="off", word_vectors="off")
    off.fit(catalog)
    assert on.bridge_ is not None and "+chive" in on.version
    for text, want in (("ガンプラ", "model"), ("ミシン", "sew"), ("柴犬", "dog")):
        top = on.suggest(person(needs_text=text), top_k=5)
        assert top[0].resource_id == want, (text, [s.resource_id for s in top])
        assert top[0].features["semantic_bridge"] > 0.2
        plain = [s.resource_id for s in off.suggest(person(needs_text=text), top_k=5)]
        assert plain.index(want) >= 0  # ranked, but only by chance without the bridge
    # the reason quotes the person's word and the activity's word
    top = on.suggest(person(needs_text="柴犬を飼ってた"), top_k=1)[0]
    assert top.resource_id == "dog"
    assert any(r.startswith("『柴犬") and "犬" in r.split("→")[1] for r in top.reasons)


def test_bridge_off_or_missing_degrades_to_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    off = Ranker(encoder=HashingEncoder(dim=64), word_vectors="off").fit(_hobby_catalog())
    assert off.bridge_ is None and "+chive" not in off.version
    monkeypatch.setattr("matching.ranker.core.load_word_vectors", lambda: None)
    missing = Ranker(encoder=HashingEncoder(dim=64)).fit(_hobby_catalog())
    assert missing.bridge_ is None
    got = missing.suggest(person(needs_text="ガンプラ"), top_k=4)
    assert len(got) == 4
    assert all(s.features["semantic_bridge"] == 0.0 for s in got)
    assert FEATURES[-1] == "semantic_bridge"


@needs_ginza
def test_bridge_scores_only_a_shortlist_above_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("matching.ranker.features.BRIDGE_MAX", 2)
    rk = Ranker(encoder=HashingEncoder(dim=64), diversity="off").fit(_hobby_catalog())
    got = rk.suggest(person(needs_text="プラモ"), top_k=4)
    assert sum(1 for s in got if s.features["semantic_bridge"] != 0.0) <= 2
    assert np.isfinite([s.score for s in got]).all()
