"""The one door to matching: demand → ranked achievements, achievement → ranked demands, and the
search page. It uses the matching engine (`kechuang.matching`) when that package is installed
and falls back to a lexical ranking (logic.lexical) otherwise, so pages always answer.

Every result explains itself: the shared or related terms, whether the field agrees, and the
score components.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .logic import lexical
from .models import Achievement, TechDemand

__all__ = ["Ranked", "engine_available", "match_demand", "match_achievement", "search"]


@dataclass(frozen=True)
class Ranked:
    """One ranked item: its primary key, score (higher is better) and reasons."""

    pk: int
    score: float
    terms: tuple[str, ...] = ()
    same_field: bool = False
    components: dict = field(default_factory=dict)
    method: str = "lexical"

    @property
    def why(self) -> dict:
        return {
            "terms": list(self.terms),
            "same_field": self.same_field,
            "components": self.components,
            "method": self.method,
        }


def engine_available() -> bool:
    return importlib.util.find_spec("kechuang.matching") is not None


def _achievement_items(queryset=None) -> list[tuple[str, str, str]]:
    rows = (
        queryset if queryset is not None else Achievement.objects.filter(active=True)
    ).values_list("pk", "title", "summary", "keywords", "field")
    return [(str(pk), f"{t}。{s}。{k}", f or "") for pk, t, s, k, f in rows]


def _demand_items() -> list[tuple[str, str, str]]:
    rows = TechDemand.objects.live().values_list("pk", "title", "summary", "description", "field")
    return [(str(pk), f"{t}。{s}。{d}", f or "") for pk, t, s, d, f in rows]


def _lexical(query: str, items, *, field_name: str, top: int) -> list[Ranked]:
    return [
        Ranked(
            pk=int(m.id),
            score=m.score,
            terms=m.shared,
            same_field=m.same_field,
            components={_("shared terms"): round(m.score - (0.3 if m.same_field else 0), 3)}
            | ({_("same field"): 0.3} if m.same_field else {}),
        )
        for m in lexical.rank(query, items, field=field_name, top=top)
    ]


def match_demand(demand: TechDemand, *, top: int = 10, items=None) -> list[Ranked]:
    """The achievements best suited to `demand`, best first."""
    return _lexical(
        demand.match_text,
        items if items is not None else _achievement_items(),
        field_name=demand.field,
        top=top,
    )


def match_achievement(achievement: Achievement, *, top: int = 10, items=None) -> list[Ranked]:
    """The live demands best suited to `achievement`, best first."""
    return _lexical(
        achievement.match_text,
        items if items is not None else _demand_items(),
        field_name=achievement.field,
        top=top,
    )


def search(query: str, *, top: int = 20) -> list[Ranked]:
    """Achievements for a free-text query (the search page)."""
    if not (query or "").strip():
        return []
    return _lexical(query, _achievement_items(), field_name="", top=top)
