"""The one door to matching: demand → ranked achievements, achievement → ranked demands, and the
search page, all through one process-wide matching engine (`kechuang.matching`, docs/matching.md).

The engine's index follows the database incrementally: before each use the (pk, updated_at)
pairs of offered achievements and live demands are compared with what is indexed, and only
changed or new rows are (re)indexed, vanished ones removed. The dense encoder is on unless the
setting KECHUANG_MATCHING_DENSE is False; KECHUANG_MATCHING_MODEL_PATH names a local model file
(never downloaded at run time). Every result explains itself (the engine's reasons).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.conf import settings

from kechuang.matching import Doc, Engine

from .models import Achievement, TechDemand

__all__ = ["Ranked", "engine", "match_demand", "match_achievement", "search"]


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
_state: dict = {}


def engine() -> Engine:
    """The process's engine (built once; the dense model loads in about a second)."""
    with _lock:
        key = (
            bool(getattr(settings, "KECHUANG_MATCHING_DENSE", True)),
            getattr(settings, "KECHUANG_MATCHING_MODEL_PATH", None),
        )
        if _state.get("key") != key:
            _state.clear()
            _state["key"] = key
            _state["engine"] = Engine(key[1] or None, dense=key[0])
            _state["seen"] = {}
        return _state["engine"]


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


def _sync() -> Engine:
    """Bring the index up to date with the database (incremental)."""
    eng = engine()
    seen: dict[str, object] = _state["seen"]
    current: dict[str, object] = {}
    for pk, stamp in Achievement.objects.filter(active=True).values_list("pk", "updated_at"):
        current[f"A{pk}"] = stamp
    for pk, stamp in TechDemand.objects.live().values_list("pk", "updated_at"):
        current[f"D{pk}"] = stamp
    gone = [i for i in seen if i not in current]
    changed = [i for i, stamp in current.items() if seen.get(i) != stamp]
    if gone:
        eng.remove(gone)
    a_ids = [int(i[1:]) for i in changed if i[0] == "A"]
    d_ids = [int(i[1:]) for i in changed if i[0] == "D"]
    docs = [
        _achievement_doc(r)
        for r in Achievement.objects.filter(pk__in=a_ids).values_list(
            "pk", "title", "summary", "keywords", "field"
        )
    ] + [
        _demand_doc(r)
        for r in TechDemand.objects.filter(pk__in=d_ids).values_list(
            "pk", "title", "summary", "description", "field", "industry_code"
        )
    ]
    if docs:
        eng.add(docs)
    for i in gone:
        seen.pop(i, None)
    seen.update({i: current[i] for i in changed})
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
