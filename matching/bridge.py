"""A soft word-to-word bridge: chiVe word vectors read from the ``ja-ginza`` wheel.

The small sentence encoder misses colloquial and very specific words (わんこ, 柴犬, ガンプラ,
ミシン); BM25 only sees identical words. chiVe (Sudachi-based word2vec, shipped inside the
``ja-ginza`` spaCy package: 20,000 vectors x 300, 480,000 keys, no download) knows that
柴犬 ~ 犬 (0.78) and プラモ ~ 模型 (0.70) while ミシン ~ 農業 is 0.13.

Only the vector table is read (``vocab/vectors``, a numpy file, and ``vocab/key2row``, a
msgpack map from spaCy's 64-bit string hash to a row): spaCy itself is not imported, so the
package can be installed with ``pip install --no-deps ja-ginza`` next to SudachiPy 0.7 (ja-ginza
pins SudachiPy < 0.7). Loading is lazy and happens once per process (about 0.5 s, 30 MB).
When ``ja-ginza`` or ``msgpack`` is missing, :func:`load_word_vectors` returns ``None`` and the
ranker scores the bridge feature as 0 (everything else unchanged).
"""

from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, the hash spaCy's StringStore uses for keys (seed 1)."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    nb = n // 8
    for i in range(nb):
        k = int.from_bytes(data[8 * i : 8 * i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[8 * nb :]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


class WordVectors:
    """Unit-length word vectors with lookup by word (hiragana/katakana variants tried)."""

    def __init__(self, keys: np.ndarray, rows: np.ndarray, vectors: np.ndarray, name: str):
        order = np.argsort(keys)
        self._keys = keys[order]
        self._rows = rows[order]
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.vectors = (vectors / np.maximum(norms, 1e-6)).astype(np.float32)
        self.name = name
        self.dim = int(vectors.shape[1])

    def row(self, word: str) -> int:
        """Row of ``word`` (or of its kana variant), -1 when unknown."""
        found = self._row_of(word)
        if found >= 0:
            return found
        # the kana variants only when the word itself is unknown (most words are known)
        for form in _variants(word)[1:]:
            found = self._row_of(form)
            if found >= 0:
                return found
        return -1

    def _row_of(self, form: str) -> int:
        key = murmurhash64a(form.encode("utf-8"))
        # np.uint64: with a bare Python int numpy converts the whole 480k-key array on
        # every lookup (0.7 ms each against 2 us; a query looks up a few words)
        j = int(np.searchsorted(self._keys, np.uint64(key)))
        if j < len(self._keys) and int(self._keys[j]) == key:
            return int(self._rows[j])
        return -1

    def rows(self, words: list[str]) -> np.ndarray:
        """Rows for many words (-1 where unknown)."""
        return np.array([self.row(w) for w in words], dtype=np.int64)


def _variants(word: str) -> list[str]:
    import jaconv

    forms = [word]
    for alt in (jaconv.hira2kata(word), jaconv.kata2hira(word)):
        if alt not in forms:
            forms.append(alt)
    return forms


def ginza_vocab_dir() -> Path | None:
    """Where the ja-ginza wheel keeps its vectors, None when the package is not installed."""
    spec = importlib.util.find_spec("ja_ginza")  # does not import spaCy
    if spec is None or not spec.submodule_search_locations:
        return None
    base = Path(next(iter(spec.submodule_search_locations)))
    for vocab in sorted(base.glob("ja_ginza-*/vocab")):
        if (vocab / "vectors").exists() and (vocab / "key2row").exists():
            return vocab
    return None


@lru_cache(maxsize=1)
def load_word_vectors() -> WordVectors | None:
    """chiVe vectors from ja-ginza, loaded once; None when ja-ginza or msgpack is missing."""
    vocab = ginza_vocab_dir()
    if vocab is None or importlib.util.find_spec("msgpack") is None:
        return None
    import msgpack

    key2row = msgpack.unpackb((vocab / "key2row").read_bytes(), strict_map_key=False)
    keys = np.fromiter(key2row.keys(), dtype=np.uint64, count=len(key2row))
    rows = np.fromiter(key2row.values(), dtype=np.int32, count=len(key2row))
    del key2row
    vectors = np.load(vocab / "vectors", allow_pickle=False)
    return WordVectors(keys, rows, vectors, name=f"chive-{vocab.parent.name}")


class WordBridge:
    """Per catalog: each resource's content words as vector rows; scores a query's words.

    Per query word: ``max(0, (max cosine to the resource's words - floor) / (1 - floor))``;
    score(resource) = half the best word's value + half their mean weighted by rarity in the
    catalog (a word most activities share says little). In [0, 1].
    """

    def __init__(self, wv: WordVectors, floor: float = 0.35, max_words: int = 48) -> None:
        self.wv = wv
        self.floor = floor
        self.max_words = max_words

    def fit(self, docs: list[list[str]]) -> WordBridge:
        """``docs``: content tokens per resource (Sudachi normalised forms)."""
        n = len(docs)
        df: dict[str, int] = {}
        for toks in docs:
            for t in set(toks):
                df[t] = df.get(t, 0) + 1
        # words in more than a fifth of the catalog are generic (活動, 作業, する)
        vocab = sorted(t for t, c in df.items() if c <= max(2, 0.2 * n) and not t.startswith("§"))
        rows = self.wv.rows(vocab)
        known = rows >= 0
        self.vocab_ = [t for t, k in zip(vocab, known, strict=True) if k]
        self.vocab_pos_ = {t: j for j, t in enumerate(self.vocab_)}
        self.vocab_vecs_ = np.ascontiguousarray(self.wv.vectors[rows[known]])
        self.df_ = df
        self.n_ = n
        # padded (n, L) matrix of vocab positions; the pad points at an all-zero vector
        pad = len(self.vocab_)
        per_doc = [
            list(dict.fromkeys(self.vocab_pos_[t] for t in toks if t in self.vocab_pos_))[
                : self.max_words
            ]
            for toks in docs
        ]
        width = max((len(p) for p in per_doc), default=1) or 1
        self.words_ = np.full((n, width), pad, dtype=np.int32)
        for i, pos in enumerate(per_doc):
            self.words_[i, : len(pos)] = pos
        # the same as one flat list (each resource's words, then the pad): for whole-catalog
        # scoring a gather + reduceat touches no padding
        self.flat_ = np.array([p for pos in per_doc for p in [*pos, pad]], dtype=np.int64)
        self.starts_ = np.cumsum([0] + [len(pos) + 1 for pos in per_doc[:-1]]).astype(np.int64)
        return self

    def fit_concepts(self, terms: dict[str, list[str]]) -> WordBridge:
        """Vectors of the ontology's one-word terms, ``terms``: concept id -> word forms.

        They let a note word the ontology does not list (ポメラニアン, シュナウザー)
        reach the concept of its nearest listed word (犬, タイピング, 編み物).
        """
        pairs = [(cid, w) for cid, words in terms.items() for w in dict.fromkeys(words)]
        rows = self.wv.rows([w for _, w in pairs])
        known = rows >= 0
        self.concept_of_ = [cid for (cid, _), k in zip(pairs, known, strict=True) if k]
        self.concept_words_ = [w for (_, w), k in zip(pairs, known, strict=True) if k]
        self.concept_vecs_ = np.ascontiguousarray(self.wv.vectors[rows[known]])
        return self

    def near_concepts(
        self, qvecs: np.ndarray, words: list[str], threshold: float
    ) -> dict[str, tuple[float, str, str]]:
        """Concept id -> (cosine, note word, ontology word) for note words close to a term."""
        out: dict[str, tuple[float, str, str]] = {}
        if len(qvecs) == 0 or not getattr(self, "concept_words_", None):
            return out
        sims = qvecs @ self.concept_vecs_.T  # (words, terms)
        for i, j in zip(*np.nonzero(sims >= threshold), strict=True):
            cid, sim = self.concept_of_[int(j)], float(sims[i, j])
            if sim > out.get(cid, (0.0, "", ""))[0]:
                out[cid] = (sim, words[int(i)], self.concept_words_[int(j)])
        return out

    def query_rows(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Unit vectors, weights and words of the query's known, not too common words."""
        words, vecs, weights = [], [], []
        for t in dict.fromkeys(tokens):
            if t.startswith("§") or (len(t) < 2 and not _is_kanji(t)):
                continue
            df = self.df_.get(t, 0)
            if df > 0.2 * self.n_ and self.n_ > 10:
                continue
            r = self.wv.row(t)
            if r < 0:
                continue
            words.append(t)
            vecs.append(self.wv.vectors[r])
            weights.append(float(np.log((self.n_ + 1) / (df + 1)) + 1.0))
        if not words:
            return np.zeros((0, self.wv.dim), np.float32), np.zeros(0, np.float32), []
        return np.stack(vecs), np.array(weights, dtype=np.float32), words

    def scores(self, qvecs: np.ndarray, qweights: np.ndarray, cand: np.ndarray) -> np.ndarray:
        """Bridge score in [0, 1] for each candidate resource."""
        if len(qvecs) == 0 or len(cand) == 0 or not self.vocab_:
            return np.zeros(len(cand), dtype=np.float32)
        sims = qvecs @ self.vocab_vecs_.T  # (m, U)
        sims = np.concatenate([sims, np.zeros((len(qvecs), 1), np.float32)], axis=1)
        if len(cand) > self.n_ // 3:
            best = np.maximum.reduceat(sims[:, self.flat_], self.starts_, axis=1)[:, cand]
        else:
            best = _best_per_candidate(sims, self.words_[cand].T)
        soft = np.clip((best - self.floor) / (1.0 - self.floor), 0.0, 1.0)
        # half the best single word (a note is often about one thing: ガンプラ), half the mean
        mean = qweights @ soft / qweights.sum()
        return (0.5 * _max_over_rows(soft) + 0.5 * mean).astype(np.float32)

    def best_pair(self, qvecs: np.ndarray, words: list[str], i: int) -> tuple[str, str] | None:
        """(query word, resource word) with the highest cosine for resource ``i``, if > 0.5."""
        pos = [p for p in self.words_[i] if p < len(self.vocab_)]
        if len(qvecs) == 0 or not pos:
            return None
        sims = qvecs @ self.vocab_vecs_[pos].T
        a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[a, b] < 0.5:
            return None
        return words[int(a)], self.vocab_[pos[int(b)]]


def _best_per_candidate(sims: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """``(m, c)``: per query word, the best of ``sims`` (``(m, U)``) over each candidate's
    word slots (``slots``: ``(L, c)``, slot major).

    A running maximum over the L slots, each a gather of c rows, costs a fifth of one
    ``(m, c, L)`` gather reduced over its short last axis (numpy reduces a contiguous axis of
    25 slowly). The result is the transpose of a ``(c, m)`` array, the very layout the
    one-gather form had, so the weighted mean after it rounds exactly as before.
    """
    rows = np.ascontiguousarray(sims.T)  # (U, m): one candidate's word is one short row
    best = rows[slots[0]]
    tmp = np.empty_like(best)
    for slot in slots[1:]:
        np.take(rows, slot, axis=0, out=tmp)
        np.maximum(best, tmp, out=best)
    return best.T


def _max_over_rows(a: np.ndarray) -> np.ndarray:
    """``a.max(axis=0)`` for a few rows laid out column-major: numpy reduces a short
    contiguous axis slowly, a running maximum row by row is several times faster."""
    best = a[0].copy()
    for row in a[1:]:
        np.maximum(best, row, out=best)
    return best


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"
