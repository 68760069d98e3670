"""Incremental BM25 against bm25s's reference scores (docs/matching.md#lexical-retrieval)."""

from __future__ import annotations

import random

import bm25s
import numpy as np

from kechuang.matching.bm25 import BM25Index

VOCAB = [f"t{i}" for i in range(40)]


def _docs(n: int, seed: int = 3) -> list[list[str]]:
    rng = random.Random(seed)
    return [[rng.choice(VOCAB) for _ in range(rng.randint(1, 12))] for _ in range(n)]


def _index(docs: list[list[str]]) -> BM25Index:
    ix = BM25Index()
    for slot, doc in enumerate(docs):
        ix.add(slot, doc)
    return ix


def test_scores_equal_bm25s_lucene():
    docs = _docs(60)
    ref = bm25s.BM25(k1=1.5, b=0.75, method="lucene")
    ref.index(docs, show_progress=False)
    ix = _index(docs)
    for query in (["t1", "t2"], ["t5"], ["t7", "t8", "t9", "t39"]):
        expected = ref.get_scores(query)
        got = ix.scores({t: 1.0 for t in query}, len(docs))
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-6)


def test_removal_equals_rebuild_without_the_document():
    docs = _docs(30, seed=5)
    ix = _index(docs)
    for slot in (0, 7, 29):
        ix.remove(slot)
    ix.remove(7)  # removing twice is harmless
    kept = [d for i, d in enumerate(docs) if i not in (0, 7, 29)]
    rebuilt = _index(kept)
    query = {"t3": 1.0, "t11": 1.0}
    got = np.delete(ix.scores(query, len(docs)), [0, 7, 29])
    np.testing.assert_allclose(got, rebuilt.scores(query, len(kept)), rtol=1e-5)
    assert ix.scores(query, len(docs))[[0, 7, 29]].tolist() == [0.0, 0.0, 0.0]


def test_query_weights_scale_term_contributions():
    ix = _index([["a", "b"], ["a"], ["c"]])
    one = ix.scores({"b": 1.0}, 3)
    half = ix.scores({"b": 0.5}, 3)
    np.testing.assert_allclose(half, one / 2)
    assert ix.scores({"zzz": 1.0}, 3).tolist() == [0.0, 0.0, 0.0]
