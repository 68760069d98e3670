"""Reads behind the indicator pages: the bureau's own sets against their benchmarks, whether any
target is set, the sets with their members for the catalogue page."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import IndexRun, Indicator, IndicatorSet, IndicatorValue, Target
from .selectors import indicator_table

__all__ = [
    "set_vs_targets",
    "has_targets",
    "sets_with_members",
    "indicators_in_order",
    "values_in_order",
    "targets_in_order",
    "runs_in_order",
    "run_scores",
    "set_by_code",
]


def set_vs_targets(year: int) -> list[dict]:
    """The bureau's own (unranked) sets: each indicator's home value against its benchmark."""
    out = []
    for s in IndicatorSet.objects.filter(is_ranked=False).order_by("sort_order"):
        table = indicator_table(s, year)
        home = next((r for r in table["rows"] if r["is_home"]), None)
        members = {m.indicator.code: m for m in s.members.select_related("indicator")}
        rows = []
        for c in table["columns"]:
            benchmark = members[c["code"]].benchmark
            actual = home["values"][c["code"]] if home else None
            progress = 100 * actual / float(benchmark) if benchmark and actual is not None else None
            rows.append({**c, "actual": actual, "benchmark": benchmark, "progress": progress})
        out.append({"set": s, "rows": rows})
    return out


def has_targets() -> bool:
    return Target.objects.exists()


def sets_with_members() -> QuerySet:
    return IndicatorSet.objects.prefetch_related("members__indicator").order_by("sort_order")


def indicators_in_order() -> QuerySet:
    return Indicator.objects.order_by("sort_order", "code")


def values_in_order() -> QuerySet:
    return IndicatorValue.objects.select_related("indicator", "region").order_by(
        "indicator__sort_order", "year", "region__code"
    )


def targets_in_order() -> QuerySet:
    return Target.objects.select_related("indicator").order_by("year", "indicator__code")


def runs_in_order() -> QuerySet:
    """Stored index computations, newest first (the API's list)."""
    return IndexRun.objects.select_related("indicator_set", "computed_by").order_by(
        "-computed_at", "-id"
    )


def run_scores(run_: IndexRun) -> QuerySet:
    """A run's scores and ranks on every node, by node then rank."""
    return run_.scores.select_related("region").order_by("node", "rank", "region__code")


def set_by_code(code: str) -> IndicatorSet | None:
    return IndicatorSet.objects.filter(code=code).first()
