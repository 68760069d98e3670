"""The one door to matching: demand → ranked achievements, achievement → ranked demands, and the
search page, all through one process-wide matching engine (`kechuang.matching`, docs/matching.md).

The engine's index follows the database incrementally: before each use the (pk, updated_at)
pairs of offered achievements and live demands are compared with what is indexed, and only
changed or new rows are (re)indexed, vanished ones removed. Their dense vectors are kept beside
the records (`MatchVector`, docs/matching.md#stored-vectors): computed in the background after a
save (`tasks.match_vectors_refresh`) or by `kechuang match_index`, loaded with one query, and
encoded here only for a record whose text changed since. The dense encoder is on unless the
setting KECHUANG_MATCHING_DENSE is False; KECHUANG_MATCHING_MODEL_PATH names a local model file
(never downloaded at run time), KECHUANG_MATCHING_THREADS the encoder's threads. Every result
explains itself (the engine's reasons).
"""

from __future__ import annotations

import threading
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Q, Sum

from kechuang.matching import Doc, Engine
from kechuang.matching.dense import DIM, pack, unpack

from .models import Achievement, MatchVector, TechDemand

__all__ = [
    "Ranked",
    "dense_enabled",
    "engine",
    "match_demand",
    "match_achievement",
    "search",
    "VectorFileError",
    "vectors_export",
    "vectors_import",
    "vectors_refresh",
]

# Above this many changed records the index reads whole tables (one query each) instead of
# naming the rows; batches of vectors are encoded and written this many at a time.
_BULK = 2000
CHUNK = 256


@dataclass(frozen=True)
class Ranked:
    """One ranked item: its primary key, score (0–1, higher is better) and reasons."""

    pk: int
    score: float
    reasons: tuple[str, ...] = ()
    components: dict = field(default_factory=dict)

    @property
    def why(self) -> dict:
        return {"reasons": list(self.reasons), "components": self.components}


_lock = threading.RLock()
_states: dict[tuple, dict] = {}  # one engine and its record stamps per (dense, model path)


def dense_enabled() -> bool:
    return bool(getattr(settings, "KECHUANG_MATCHING_DENSE", True))


def _state() -> dict:
    key = (dense_enabled(), getattr(settings, "KECHUANG_MATCHING_MODEL_PATH", None))
    with _lock:
        state = _states.get(key)
        if state is None:
            threads = int(getattr(settings, "KECHUANG_MATCHING_THREADS", 2) or 1)
            state = _states[key] = {
                "engine": Engine(key[1] or None, dense=key[0], threads=threads),
                "seen": {},
            }
        return state


def engine() -> Engine:
    """The process's engine (built once; the dense model loads in about a second)."""
    return _state()["engine"]


def _achievement_doc(a) -> Doc:
    pk, title, summary, keywords, field_name = a
    words = tuple(k for k in keywords.replace("，", ",").replace("、", ",").split(",") if k.strip())
    return Doc(id=f"A{pk}", title=title, text=summary, field=field_name or None, keywords=words)


def _demand_doc(d) -> Doc:
    pk, title, summary, description, field_name, industry = d
    return Doc(
        id=f"D{pk}",
        title=title,
        text=f"{summary}。{description}",
        field=field_name or None,
        industry=industry or None,
        kind="demand",
    )


_ACHIEVEMENT_COLUMNS = ("pk", "title", "summary", "keywords", "field")
_DEMAND_COLUMNS = ("pk", "title", "summary", "description", "field", "industry_code")


def _split(keys: Iterable[str]) -> tuple[list[int], list[int]]:
    keys = list(keys)
    return [int(k[1:]) for k in keys if k[0] == "A"], [int(k[1:]) for k in keys if k[0] == "D"]


def _docs(keys: Iterable[str] | None) -> list[Doc]:
    """Docs of the indexed records among ``keys`` ("A12", "D7"), or of all of them (None)."""
    achievements = Achievement.objects.filter(active=True)
    demands = TechDemand.objects.live()
    if keys is None or len(keys := set(keys)) > _BULK:
        wanted = keys
    else:
        a_ids, d_ids = _split(keys)
        achievements, demands, wanted = (
            achievements.filter(pk__in=a_ids),
            demands.filter(pk__in=d_ids),
            None,
        )
    docs = _docs_of(achievements, demands)
    return docs if wanted is None else [d for d in docs if d.id in wanted]


def _docs_of(achievements, demands) -> list[Doc]:
    """Docs of the records of two querysets (one query each)."""
    docs = [_achievement_doc(r) for r in achievements.values_list(*_ACHIEVEMENT_COLUMNS)]
    return docs + [_demand_doc(r) for r in demands.values_list(*_DEMAND_COLUMNS)]


def _stored(docs: list[Doc]) -> dict[str, tuple[str, bytes]]:
    """{key: (fingerprint, bytes)} of the stored vectors of ``docs``, in one query."""
    rows = MatchVector.objects.values_list("achievement_id", "demand_id", "fingerprint", "vector")
    if len(docs) <= _BULK:
        a_ids, d_ids = _split(d.id for d in docs)
        rows = rows.filter(Q(achievement_id__in=a_ids) | Q(demand_id__in=d_ids))
    return {(f"A{a}" if a else f"D{d}"): (fp, bytes(vec)) for a, d, fp, vec in rows}


def _store(docs: list[Doc], fingerprints: list[str], vectors: np.ndarray) -> None:
    """Write the vectors of ``docs`` (insert or replace, in bulk; concurrent writers of the
    same record do not collide)."""
    blobs = pack(vectors)
    for prefix, column in (("A", "achievement_id"), ("D", "demand_id")):
        rows = [
            MatchVector(**{column: int(d.id[1:])}, fingerprint=fp, vector=blob)
            for d, fp, blob in zip(docs, fingerprints, blobs, strict=True)
            if d.id[0] == prefix
        ]
        if rows:
            MatchVector.objects.bulk_create(
                rows,
                batch_size=500,
                update_conflicts=True,
                unique_fields=[column.removesuffix("_id")],
                update_fields=["fingerprint", "vector", "computed_at"],
            )


def _vectors(eng: Engine, docs: list[Doc]) -> tuple[np.ndarray, int]:
    """Dense vectors of ``docs``: stored ones whose fingerprint is current, the others encoded
    (in one batch, sorted by length) and stored. Returns them and how many were encoded."""
    stored = _stored(docs)
    fingerprints = [eng.fingerprint(d) for d in docs]
    fresh = [i for i, d in enumerate(docs) if stored.get(d.id, ("",))[0] == fingerprints[i]]
    stale = sorted(set(range(len(docs))) - set(fresh))
    out = np.zeros((len(docs), DIM), dtype=np.float32)
    if fresh:
        out[fresh] = unpack([stored[docs[i].id][1] for i in fresh])
    encoded = eng.encode([docs[i] for i in stale]) if stale else None
    if encoded is not None:
        out[stale] = encoded
        _store([docs[i] for i in stale], [fingerprints[i] for i in stale], encoded)
    return out, len(stale)


def vectors_refresh(keys: Iterable[str] | None = None, *, chunk: int = CHUNK) -> dict[str, int]:
    """Compute the missing or stale dense vectors of the indexed records among ``keys`` (all
    of them if None), ``chunk`` records at a time: one query for their texts, one per chunk for
    the stored vectors, bulk writes (the background task after a save, `kechuang match_index`,
    the demo). Nothing to do for a lexical-only engine."""
    eng = engine()
    if eng.encoder is None:
        return {"records": 0, "encoded": 0}
    docs = _docs(keys)
    encoded = 0
    for start in range(0, len(docs), chunk):
        encoded += _vectors(eng, docs[start : start + chunk])[1]
    return {"records": len(docs), "encoded": encoded}


# A vector file (docs/matching.md#vector-files): the SHA-1 fingerprints (one row of 20 bytes
# each; not NumPy's fixed-width bytes, which drop trailing zero bytes) and the float16 vectors
# of the same rows, as an uncompressed NumPy .npz archive.
_FILE_KEYS, _FILE_VECTORS = "fingerprints", "vectors"


class VectorFileError(ValueError):
    """A vector file that cannot be read as one (the message says why)."""


def vectors_export(path, *, all_records: bool = False) -> int:
    """Write every stored vector with its fingerprint to ``path`` (.npz); returns the count.

    ``all_records``: instead, the vectors of every achievement and demand, offered or not,
    live or not, encoded where none is stored (how the demo's file is made: which demands are
    live depends on the size of the generated region, their texts do not)."""
    if not all_records:
        rows = list(MatchVector.objects.order_by("pk").values_list("fingerprint", "vector"))
        fingerprints = [fp for fp, _ in rows]
        vectors = unpack([bytes(v) for _, v in rows])
    else:
        eng = engine()
        if eng.encoder is None:
            raise VectorFileError("the dense encoder is off: there are no vectors to write")
        docs = _docs_of(Achievement.objects.all(), TechDemand.objects.all())
        by_fingerprint = {eng.fingerprint(d): d for d in docs}
        fingerprints = sorted(by_fingerprint)
        vectors = np.zeros((len(fingerprints), DIM), dtype=np.float32)
        for start in range(0, len(fingerprints), CHUNK):
            part = [by_fingerprint[fp] for fp in fingerprints[start : start + CHUNK]]
            vectors[start : start + len(part)] = _vectors(eng, part)[0]
    keys = np.frombuffer(b"".join(bytes.fromhex(fp) for fp in fingerprints), dtype=np.uint8)
    with open(path, "wb") as out:
        np.savez(
            out,
            **{_FILE_KEYS: keys.reshape(-1, 20), _FILE_VECTORS: vectors.astype(np.float16)},
        )
    return len(fingerprints)


def _read_vector_file(path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data[_FILE_KEYS], data[_FILE_VECTORS]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        raise VectorFileError(f"{path}: not a vector file ({exc})") from exc
    if keys.dtype != np.uint8 or keys.ndim != 2 or keys.shape[1] != 20:
        raise VectorFileError(f"{path}: fingerprints must be rows of 20 bytes (SHA-1 digests)")
    if vectors.dtype != np.float16 or vectors.shape != (len(keys), DIM):
        raise VectorFileError(f"{path}: vectors must be float16 rows of {DIM} values, one per key")
    return {bytes(k).hex(): vectors[i] for i, k in enumerate(keys)}


def vectors_import(path, *, chunk: int = CHUNK) -> dict[str, int]:
    """Store the vectors of ``path`` whose fingerprint is the current one of an indexed record
    that lacks it (a vector for another text or model is never used); nothing is encoded.
    Returns {"records", "imported"}. Raises VectorFileError for a file that is not one."""
    eng = engine()
    if eng.encoder is None:
        return {"records": 0, "imported": 0}
    known = _read_vector_file(path)
    docs = _docs(None)
    imported = 0
    for start in range(0, len(docs), chunk):
        part = docs[start : start + chunk]
        stored = _stored(part)
        hits = []
        for d in part:
            fp = eng.fingerprint(d)
            if fp in known and stored.get(d.id, ("",))[0] != fp:
                hits.append((d, fp))
        if hits:
            vectors = np.stack([known[fp] for _, fp in hits]).astype(np.float32)
            _store([d for d, _ in hits], [fp for _, fp in hits], vectors)
            imported += len(hits)
    return {"records": len(docs), "imported": imported}


def _sync() -> Engine:
    """Bring the index up to date with the database (incremental)."""
    state = _state()
    eng: Engine = state["engine"]
    seen: dict[str, object] = state["seen"]
    # Nothing changed since the last sync (two aggregate queries instead of reading every
    # row's stamp): same number of indexed rows, same sum of keys, same latest change.
    signature = tuple(
        tuple(qs.aggregate(n=Count("pk"), s=Sum("pk"), t=Max("updated_at")).values())
        for qs in (Achievement.objects.filter(active=True), TechDemand.objects.live())
    )
    if state.get("signature") == signature:
        return eng
    current: dict[str, object] = {}
    for pk, stamp in Achievement.objects.filter(active=True).values_list("pk", "updated_at"):
        current[f"A{pk}"] = stamp
    for pk, stamp in TechDemand.objects.live().values_list("pk", "updated_at"):
        current[f"D{pk}"] = stamp
    gone = [i for i in seen if i not in current]
    changed = [i for i, stamp in current.items() if seen.get(i) != stamp]
    if gone:
        eng.remove(gone)
    docs = _docs(changed) if changed else []
    if docs:
        vectors = _vectors(eng, docs)[0] if eng.encoder is not None else None
        eng.add(docs, vectors=vectors)
    for i in gone:
        seen.pop(i, None)
    seen.update({i: current[i] for i in changed})
    state["signature"] = signature
    return eng


def _ranked(matches) -> list[Ranked]:
    return [
        Ranked(
            pk=int(m.id[1:]),
            score=round(float(m.score), 4),
            reasons=tuple(m.why),
            components={k: round(float(v), 3) for k, v in m.components.items()},
        )
        for m in matches
    ]


def match_demand(demand: TechDemand, *, top: int = 10) -> list[Ranked]:
    """The achievements best suited to `demand`, best first."""
    doc = _demand_doc(
        (
            demand.pk,
            demand.title,
            demand.summary,
            demand.description,
            demand.field,
            demand.industry_code,
        )
    )
    with _lock:
        eng = _sync()
    return _ranked(eng.search(doc, top=top, kind="achievement"))


def match_achievement(achievement: Achievement, *, top: int = 10) -> list[Ranked]:
    """The live demands best suited to `achievement`, best first."""
    doc = _achievement_doc(
        (
            achievement.pk,
            achievement.title,
            achievement.summary,
            achievement.keywords,
            achievement.field,
        )
    )
    with _lock:
        eng = _sync()
    return _ranked(eng.search(doc, top=top, kind="demand"))


def search(query: str, *, top: int = 20) -> list[Ranked]:
    """Achievements for a free-text query (the search page)."""
    if not (query or "").strip():
        return []
    with _lock:
        eng = _sync()
    return _ranked(eng.search(query.strip()[:200], top=top, kind="achievement"))
