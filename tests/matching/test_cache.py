"""Embedding cache: keyed by content hash and encoder name; only changed rows re-encoded."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from matching import HashingEncoder, Ranker, Resource
from tests.matching.conftest import CountingEncoder


def test_second_fit_encodes_nothing(tiny_catalog: list[Resource], tmp_path: Path) -> None:
    enc = CountingEncoder()
    first = Ranker(encoder=enc, cache_dir=tmp_path).fit(tiny_catalog)
    assert enc.calls == len(tiny_catalog)
    second = Ranker(encoder=enc, cache_dir=tmp_path).fit(tiny_catalog)
    assert enc.calls == len(tiny_catalog)
    assert second.n_encoded_ == 0 and second.n_analyzed_ == 0
    np.testing.assert_array_equal(first.embeddings_, second.embeddings_)


def test_only_changed_rows_are_reencoded(tiny_catalog: list[Resource], tmp_path: Path) -> None:
    enc = CountingEncoder()
    Ranker(encoder=enc, cache_dir=tmp_path).fit(tiny_catalog)
    changed = list(tiny_catalog)
    changed[1] = replace(changed[1], description="説明を書き換えました。")
    changed.append(replace(changed[0], resource_id="new", name="新しい農園"))
    before = enc.calls
    r = Ranker(encoder=enc, cache_dir=tmp_path).fit(changed)
    assert enc.calls - before == 2
    assert r.n_encoded_ == 2
    np.testing.assert_allclose(r.embeddings_[1], enc.encode([r._passage(changed[1])])[0])


def test_capacity_change_does_not_reencode(tiny_catalog: list[Resource], tmp_path: Path) -> None:
    enc = CountingEncoder()
    Ranker(encoder=enc, cache_dir=tmp_path).fit(tiny_catalog)
    before = enc.calls
    Ranker(encoder=enc, cache_dir=tmp_path).fit(
        [replace(r, capacity_remaining=1) for r in tiny_catalog]
    )
    assert enc.calls == before


def test_other_encoder_name_gets_its_own_vectors(
    tiny_catalog: list[Resource], tmp_path: Path
) -> None:
    Ranker(encoder=HashingEncoder(dim=64), cache_dir=tmp_path).fit(tiny_catalog)
    r = Ranker(encoder=HashingEncoder(dim=32), cache_dir=tmp_path).fit(tiny_catalog)
    assert r.embeddings_.shape == (len(tiny_catalog), 32)
    assert r.n_encoded_ == len(tiny_catalog)
