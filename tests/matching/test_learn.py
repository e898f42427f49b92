"""The learned stage is used only with enough outcomes and only when it beats hand weights."""

from __future__ import annotations

import random

from matching import HashingEncoder, Outcome, Ranker, Resource
from tests.matching.conftest import person


def _outcomes(n: int, signal: bool) -> list[Outcome]:
    rng = random.Random(0)
    ids = ["farm", "cafe", "pc", "dogs", "kids", "room"]
    out = []
    for i in range(n):
        rid = rng.choice(ids)
        # with signal: people placed well only at paid resources (a pattern hand weights ignore)
        ok = rid == "pc" if signal else rng.random() < 0.5
        out.append(
            Outcome(
                person(person_id=f"p{i}", needs_text=rng.choice(["何か始めたい", "外に出たい"])),
                rid,
                "placed_stable" if ok else "ended_early",
            )
        )
    return out


def test_few_outcomes_keep_hand_weights(tiny_catalog: list[Resource]) -> None:
    r = Ranker(encoder=HashingEncoder(dim=32), min_outcomes=60).fit(
        tiny_catalog, _outcomes(20, True)
    )
    assert not r.learned_
    assert "too few" in r.learning_report_["reason"]
    assert "/hand-" in r.version


def test_learned_weights_used_when_they_beat_hand_weights(tiny_catalog: list[Resource]) -> None:
    hand = Ranker(encoder=HashingEncoder(dim=32)).fit(tiny_catalog)
    r = Ranker(encoder=HashingEncoder(dim=32), min_outcomes=60).fit(
        tiny_catalog, _outcomes(300, True)
    )
    assert r.learned_, r.learning_report_
    assert r.learning_report_["auc_learned"] > r.learning_report_["auc_hand"]
    assert "/learned-" in r.version and r.version != hand.version


def test_noise_outcomes_do_not_replace_hand_weights(tiny_catalog: list[Resource]) -> None:
    r = Ranker(encoder=HashingEncoder(dim=32), min_outcomes=60, learned_margin=0.05).fit(
        tiny_catalog, _outcomes(300, False)
    )
    assert not r.learned_
