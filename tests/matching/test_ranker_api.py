"""The ranker's public surface the casework integrator relies on."""

from __future__ import annotations

import hashlib

import numpy as np

from matching import Ranker
from matching.ranker import FEATURES, Query
from matching.ranker import Ranker as RankerFromPackage
from tests.matching.conftest import person


def test_package_and_top_level_export_the_same_ranker() -> None:
    assert RankerFromPackage is Ranker
    assert "concept" in FEATURES and Query.__name__ == "Query"


def test_query_text_is_what_the_encoder_gets(tiny_ranker: Ranker) -> None:
    p = person(needs_text="畑仕事がしたい", preferred_categories=["farm"])
    text = tiny_ranker.query_text(p)
    assert text.startswith("畑仕事がしたい") and "農" in text
    by_text = tiny_ranker.encode_query_text(text)
    assert by_text.dtype == np.float32
    np.testing.assert_array_equal(by_text, tiny_ranker.encode_query(p))
    # a stored vector keyed by the text hash ranks exactly as suggest does
    key = (tiny_ranker.encoder_.name, hashlib.sha256(text.encode()).hexdigest())
    stored = {key: by_text}
    ranked = tiny_ranker.rank(p, stored[key], top_k=6)
    assert [s.resource_id for s in ranked] == [s.resource_id for s in tiny_ranker.suggest(p, 6)]


def test_query_text_changes_only_with_what_the_encoder_reads(tiny_ranker: Ranker) -> None:
    a = tiny_ranker.query_text(person(needs_text="犬の散歩", age=30))
    b = tiny_ranker.query_text(person(needs_text="犬の散歩", age=50, max_travel_km=3.0))
    assert a == b
    assert a != tiny_ranker.query_text(person(needs_text="猫の世話"))
