"""Incremental BM25 index over token lists (docs/matching.md#lexical-retrieval).

Scores are those of bm25s's default ("lucene" variant, k1=1.5, b=0.75): idf = ln(1 + (N − df +
0.5)/(df + 0.5)), term weight tf/(tf + k1·(1 − b + b·|d|/avgdl)) (Lucene drops the constant
k1 + 1). Unlike bm25s the index
accepts additions and removals without a rebuild: postings are append-only per term, removed
slots are masked and ``df``/``N``/``avgdl`` follow the live documents.
"""

from __future__ import annotations

from collections import Counter

import numpy as np


class BM25Index:
    def __init__(self, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.vocab: dict[str, int] = {}
        self._post_docs: list[list[int]] = []
        self._post_tf: list[list[float]] = []
        self._cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        self.df = np.zeros(0, dtype=np.int64)
        self.doc_len = np.zeros(0, dtype=np.float32)
        self.alive = np.zeros(0, dtype=bool)
        self.doc_terms: list[
            np.ndarray
        ] = []  # unique term ids per slot (for removal, explanations)
        self.n_alive = 0
        self.total_len = 0.0
        self.generation = 0  # bumped by every change: cached term weights are then stale
        self._norm = np.zeros(0, dtype=np.float32)
        self._norm_generation = -1
        self._weights_cache: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    # ---------------------------------------------------------------- updates

    def _grow(self, n: int) -> None:
        if n > len(self.alive):
            cap = max(n, 2 * len(self.alive), 1024)
            for name in ("doc_len", "alive"):
                old = getattr(self, name)
                new = np.zeros(cap, dtype=old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)

    def add(self, slot: int, tokens: list[str], weights: dict[str, float] | None = None) -> None:
        """Index ``tokens`` in ``slot`` (a new slot number, the caller assigns them in order)."""
        self._grow(slot + 1)
        counts = Counter(tokens)
        ids = []
        for term, tf in counts.items():
            tid = self.vocab.get(term)
            if tid is None:
                tid = self.vocab[term] = len(self._post_docs)
                self._post_docs.append([])
                self._post_tf.append([])
            self._post_docs[tid].append(slot)
            self._post_tf[tid].append(tf * (weights.get(term, 1.0) if weights else 1.0))
            self._cache.pop(tid, None)
            ids.append(tid)
        if len(self.df) < len(self.vocab):
            df = np.zeros(max(len(self.vocab), 2 * len(self.df)), dtype=np.int64)
            df[: len(self.df)] = self.df
            self.df = df
        arr = np.asarray(ids, dtype=np.int64)
        self.df[arr] += 1
        while len(self.doc_terms) <= slot:
            self.doc_terms.append(np.zeros(0, dtype=np.int64))
        self.doc_terms[slot] = arr
        self.doc_len[slot] = len(tokens)
        self.alive[slot] = True
        self.n_alive += 1
        self.total_len += len(tokens)
        self.generation += 1

    def remove(self, slot: int) -> None:
        if slot >= len(self.alive) or not self.alive[slot]:
            return
        self.alive[slot] = False
        self.df[self.doc_terms[slot]] -= 1
        self.n_alive -= 1
        self.total_len -= float(self.doc_len[slot])
        self.generation += 1

    # ---------------------------------------------------------------- scoring

    def _postings(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        hit = self._cache.get(tid)
        if hit is None:
            hit = (
                np.asarray(self._post_docs[tid], dtype=np.int64),
                np.asarray(self._post_tf[tid], dtype=np.float32),
            )
            self._cache[tid] = hit
        return hit

    def idf(self, tid: int) -> float:
        df = float(self.df[tid])
        return float(np.log1p((self.n_alive - df + 0.5) / (df + 0.5)))

    def _term_weights(self, tid: int) -> tuple[np.ndarray, np.ndarray]:
        """(slots, idf·tf/(tf + norm)) of a term, remembered until the index changes."""
        hit = self._weights_cache.get(tid)
        if hit is None:
            docs, tf = self._postings(tid)
            hit = (docs, (self.idf(tid) * tf / (tf + self._norm[docs])).astype(np.float32))
            self._weights_cache[tid] = hit
        return hit

    def scores(self, query: dict[str, float], n_slots: int) -> np.ndarray:
        """BM25 score of every slot for a weighted query {term: weight} (dead slots score 0)."""
        out = np.zeros(n_slots, dtype=np.float32)
        if not self.n_alive:
            return out
        if self._norm_generation != self.generation or len(self._norm) < n_slots:
            avgdl = max(self.total_len / self.n_alive, 1e-9)
            self._norm = self.k1 * (1.0 - self.b + self.b * self.doc_len[:n_slots] / avgdl)
            self._norm_generation = self.generation
            self._weights_cache = {}
        for term, weight in query.items():
            tid = self.vocab.get(term)
            if tid is None or self.df[tid] <= 0:
                continue
            docs, contribution = self._term_weights(tid)
            out[docs] += contribution if weight == 1.0 else weight * contribution
        out *= self.alive[:n_slots]
        return out

    def terms_of(self, slot: int) -> set[str]:
        inv = self._inverse()
        return {inv[t] for t in self.doc_terms[slot]}

    def _inverse(self) -> list[str]:
        inv = getattr(self, "_inv", None)
        if inv is None or len(inv) != len(self.vocab):
            inv = [""] * len(self.vocab)
            for term, tid in self.vocab.items():
                inv[tid] = term
            self._inv = inv
        return inv
