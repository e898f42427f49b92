"""Okapi BM25 over pre-tokenised documents, as a scipy sparse matrix."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp


class BM25Index:
    """BM25 term weights per (document, term); a query is a sparse column sum."""

    def __init__(self, k1: float = 1.2, b: float = 0.75) -> None:
        self.k1 = k1
        self.b = b

    def fit(self, docs: Sequence[Sequence[str]]) -> BM25Index:
        """Build the weight matrix from tokenised documents."""
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        lengths = np.zeros(len(docs), dtype=np.float64)
        for i, doc in enumerate(docs):
            lengths[i] = len(doc)
            for tok, tf in Counter(doc).items():
                j = vocab.setdefault(tok, len(vocab))
                rows.append(i)
                cols.append(j)
                vals.append(tf)
        n = len(docs)
        tf = sp.csr_matrix(
            (np.array(vals, dtype=np.float64), (np.array(rows), np.array(cols))),
            shape=(n, max(len(vocab), 1)),
        )
        df = np.bincount(np.array(cols, dtype=np.int64), minlength=tf.shape[1]).astype(np.float64)
        self.idf_ = np.log1p((n - df + 0.5) / (df + 0.5))
        avgdl = float(lengths.mean()) if n and lengths.mean() > 0 else 1.0
        norm = self.k1 * (1 - self.b + self.b * lengths / avgdl)
        coo = tf.tocoo()
        data = coo.data * (self.k1 + 1) / (coo.data + norm[coo.row]) * self.idf_[coo.col]
        self.weights_ = sp.csc_matrix((data.astype(np.float32), (coo.row, coo.col)), shape=tf.shape)
        self.vocab_ = vocab
        self.n_docs_ = n
        return self

    def query_vector(self, tokens: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Known term ids of the query and their counts."""
        counts = Counter(t for t in tokens if t in self.vocab_)
        ids = np.array([self.vocab_[t] for t in counts], dtype=np.int64)
        qtf = np.array(list(counts.values()), dtype=np.float32)
        return ids, qtf

    def scores(self, tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for the query tokens."""
        ids, qtf = self.query_vector(tokens)
        if len(ids) == 0:
            return np.zeros(self.n_docs_, dtype=np.float32)
        sub = self.weights_[:, ids]
        return np.asarray(sub @ qtf, dtype=np.float32).ravel()

    def matched_terms(self, tokens: Sequence[str], doc: int) -> list[str]:
        """Query terms that occur in document ``doc``, in query order."""
        out = []
        for t in dict.fromkeys(tokens):
            j = self.vocab_.get(t)
            if j is not None and self.weights_[doc, j] > 0:
                out.append(t)
        return out
