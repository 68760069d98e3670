"""Reads of the indicator system: the catalogue, the composite index of a set with ranks,
contributions and sensitivity, and target progress.

Contract for the annual report (kechuang.reports) and any other reader:

``ranking_summary(year) -> dict``
    Keyed by index set code (the demo has "innovation" and "transformation"; every set with
    `is_ranked` appears). Each value is a dict::

        {"code", "name", "year", "is_demo_configuration",
         "index": float,                       # the home region's index (0–100 for min–max)
         "rank_province": int, "n_province": int,
         "rank_ningbo": int, "n_ningbo": int,  # the home region's city ("宁波市" in the demo)
         "city": str,                          # that city's name
         "median_rank_province": float, "interval_province": (low, high),
         "median_rank_ningbo": float, "interval_ningbo": (low, high),
         "draws": int, "coverage": float,      # sensitivity: draws and interval coverage (0.9)
         "top_contributors": [{"code", "name", "contribution"}],  # lifts, largest first (≤ 3)
         "drags": [{"code", "name", "contribution"}],             # drags, worst first (≤ 3)
         "normalisation", "aggregation"}

    Ranks are None when the home region lacks a value of the set for the year (then also
    absent: nothing is imputed). A set with no values at all for the year is left out.

``target_progress(year) -> list[dict]``
    One dict per target of the home region for `year`::

        {"indicator": code, "name", "unit", "target": float, "comparison": "at_least"|"at_most",
         "actual": float | None, "progress_pct": float | None, "met": bool | None,
         "pending": str,        # what is not published yet, e.g. a recognition batch ("" if none)
         "records_url": str,    # the list of records behind the actual value ("" if none)
         "source": str, "note": str}

``indicator_table(set_code, year) -> dict``
    The set's index table: {"set", "year", "columns": [{"code", "name", "unit", "weight",
    "direction", "decimals"}], "rows": [{"code", "name", "city", "is_home", "values": {code:
    value}, "index", "rank_province", "rank_ningbo" (None outside the city), "contributions":
    {code: value}}] sorted by rank, "n_province", "n_ningbo", "city", "normalisation",
    "aggregation", "excluded": [names of regions lacking a value]}.

All three are region-wide aggregates that the leader role may read (no enterprise records).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kechuang.regions.models import Region
from kechuang.regions.selectors import home_region

from .figures import RANK_KEYS
from .logic.compute import composite_index, rank_intervals, ranks, sensitivity_draws
from .logic.sensitivity import NOISE_FACTOR
from .models import (
    Indicator,
    IndicatorSet,
    IndicatorSetMember,
    IndicatorSource,
    IndicatorValue,
    Normalisation,
    Target,
    TargetComparison,
)
from .registry import REGISTRY, computed_value

__all__ = [
    "SENSITIVITY_DRAWS",
    "SENSITIVITY_SEED",
    "indicator_list",
    "indicator_set_list",
    "indicator_values",
    "value_years",
    "set_matrix",
    "set_index",
    "indicator_table",
    "ranking_summary",
    "rank_history",
    "target_progress",
    "rank_headline_figures",
]

SENSITIVITY_DRAWS = 500
SENSITIVITY_SEED = 2024
SENSITIVITY_CONCENTRATION = 50.0
# Each weight × (1 + U(−0.25, 0.25)): a spread of ≈ 14 % per weight whatever the number of
# indicators, as COINr's sensitivity example (docs/indicators.md#sensitivity).
SENSITIVITY_NOISE = NOISE_FACTOR
COVERAGE = 0.9


def indicator_list() -> QuerySet[Indicator]:
    """The catalogue, in display order, with the sets each indicator belongs to."""
    return Indicator.objects.prefetch_related("sets").order_by("sort_order", "code")


def indicator_set_list(*, ranked_only: bool = False) -> QuerySet[IndicatorSet]:
    qs = IndicatorSet.objects.prefetch_related("members__indicator")
    return qs.filter(is_ranked=True) if ranked_only else qs


def indicator_values(
    *, year: int | None = None, indicator: str | None = None, region: Region | None = None
) -> QuerySet[IndicatorValue]:
    """Stored values (reported; for computed indicators only peers'), filtered."""
    qs = IndicatorValue.objects.select_related("indicator", "region")
    if year is not None:
        qs = qs.filter(year=year)
    if indicator:
        qs = qs.filter(indicator__code=indicator)
    if region is not None:
        qs = qs.filter(region=region)
    return qs.order_by("indicator__sort_order", "year", "region__code")


def value_years() -> list[int]:
    """Years with stored indicator values, ascending."""
    return sorted(IndicatorValue.objects.order_by().values_list("year", flat=True).distinct())


# ------------------------------------------------------------------ the index of a set


@dataclass
class SetMatrix:
    """Values of a set's indicators for the regions with a complete row, home region first."""

    indicator_set: IndicatorSet
    members: list  # IndicatorSetMember, in order
    regions: list  # Region
    matrix: np.ndarray
    excluded: list  # Region lacking a value
    home: Region | None


def _home_value(indicator: Indicator, year: int, stored: float | None) -> float | None:
    if indicator.source == IndicatorSource.COMPUTED and indicator.code in REGISTRY:
        return computed_value(indicator.code, year)
    return stored


def set_matrix(indicator_set: IndicatorSet, year: int) -> SetMatrix:
    """Load the set's values for `year` (one query) and the home region's computed values
    from the registry (live data); regions missing any value are excluded, not imputed."""
    members = list(indicator_set.members.select_related("indicator").order_by("sort_order", "id"))
    home = home_region()
    codes = [m.indicator.code for m in members]
    col = {c: j for j, c in enumerate(codes)}
    by_region: dict[int, list] = {}
    regions = {r.pk: r for r in Region.objects.all()}
    for region_id, code, value in IndicatorValue.objects.filter(
        year=year, indicator__code__in=codes
    ).values_list("region_id", "indicator__code", "value"):
        by_region.setdefault(region_id, [None] * len(codes))[col[code]] = float(value)
    if home is not None:
        row = by_region.get(home.pk, [None] * len(codes))
        by_region[home.pk] = [_home_value(m.indicator, year, row[j]) for j, m in enumerate(members)]
    if home is not None and home.province:
        group = [r for r in regions.values() if r.province == home.province]
    else:
        group = list(regions.values())
    group.sort(key=lambda r: (home is None or r.pk != home.pk, r.code))
    complete: list[Region] = []
    excluded: list[Region] = []
    for r in group:
        values = by_region.get(r.pk)
        if values is None:
            continue
        (complete if all(v is not None for v in values) else excluded).append(r)
    matrix = np.array([by_region[r.pk] for r in complete], dtype=np.float64).reshape(
        len(complete), len(codes)
    )
    return SetMatrix(indicator_set, members, complete, matrix, excluded, home)


def _normalisations(
    indicator_set: IndicatorSet, members: list[IndicatorSetMember]
) -> tuple[list[str], list]:
    targets = [float(m.benchmark) if m.benchmark else None for m in members]
    methods = [Normalisation.MIN_MAX.value, Normalisation.Z_SCORE.value]
    if all(t and t > 0 for t in targets):
        methods.append(Normalisation.DISTANCE_TO_TARGET.value)
    return methods, targets


def set_index(indicator_set: IndicatorSet, year: int, *, draws: int = SENSITIVITY_DRAWS) -> dict:
    """The composite index of every region of the peer group for `year`, with ranks in the
    province and in the home region's city, contributions and (draws > 0) sensitivity.

    Returns {"matrix": SetMatrix, "result": IndexResult | None, "rank_city": array (0 outside
    the city), "in_city": mask, "sens_province", "sens_city": SensitivityResult | None}.
    """
    sm = set_matrix(indicator_set, year)
    out: dict[str, Any] = {"matrix": sm, "result": None, "sens_province": None, "sens_city": None}
    if len(sm.regions) < 2:
        return out
    directions = [m.indicator.direction for m in sm.members]
    weights = [float(m.weight) for m in sm.members]
    methods, targets = _normalisations(indicator_set, sm.members)
    result = composite_index(
        sm.matrix,
        directions,
        weights,
        normalisation=indicator_set.normalisation,
        aggregation=indicator_set.aggregation,
        targets=targets,
    )
    city = sm.home.city if sm.home else ""
    in_city = np.array([bool(city) and r.city == city for r in sm.regions])
    rank_city = np.zeros(len(sm.regions), dtype=int)
    if in_city.any():
        rank_city[in_city] = ranks(result.index[in_city])
    out.update(result=result, in_city=in_city, rank_city=rank_city, city=city)
    if draws:
        d = sensitivity_draws(
            sm.matrix,
            directions,
            weights,
            aggregation=indicator_set.aggregation,
            normalisations=methods,
            targets=targets,
            draws=draws,
            seed=SENSITIVITY_SEED,
            concentration=SENSITIVITY_CONCENTRATION,
            noise=SENSITIVITY_NOISE,
        )
        out["sens_province"] = rank_intervals(d, None, COVERAGE)
        out["sens_city"] = rank_intervals(d, in_city.tolist(), COVERAGE) if in_city.any() else None
        out["draws"] = draws
    return out


def _get_set(set_code: str | IndicatorSet) -> IndicatorSet:
    if isinstance(set_code, IndicatorSet):
        return set_code
    return IndicatorSet.objects.get(code=set_code)


def indicator_table(set_code: str | IndicatorSet, year: int) -> dict:
    """The set's index table for `year` (see the module docstring for the shape)."""
    indicator_set = _get_set(set_code)
    data = set_index(indicator_set, year, draws=0)
    sm, result = data["matrix"], data["result"]
    columns = [
        {
            "code": m.indicator.code,
            "name": m.indicator.name,
            "unit": m.indicator.unit,
            "weight": float(m.weight),
            "direction": m.indicator.direction,
            "decimals": m.indicator.decimals,
            "source": m.indicator.source,
        }
        for m in sm.members
    ]
    rows = []
    if result is not None:
        for i, r in enumerate(sm.regions):
            rows.append(
                {
                    "code": r.code,
                    "name": r.name,
                    "city": r.city,
                    "is_home": sm.home is not None and r.pk == sm.home.pk,
                    "values": {c["code"]: float(sm.matrix[i, j]) for j, c in enumerate(columns)},
                    "scores": {
                        c["code"]: float(result.scores[i, j]) for j, c in enumerate(columns)
                    },
                    "index": float(result.index[i]),
                    "rank_province": int(result.ranks[i]),
                    "rank_ningbo": int(data["rank_city"][i]) if data["in_city"][i] else None,
                    "contributions": {
                        c["code"]: float(result.contributions[i, j]) for j, c in enumerate(columns)
                    },
                }
            )
        rows.sort(key=lambda row: (row["rank_province"], row["code"]))
    return {
        "set": indicator_set,
        "year": year,
        "columns": columns,
        "rows": rows,
        "n_province": len(sm.regions),
        "n_ningbo": int(data["in_city"].sum()) if result is not None else 0,
        "city": sm.home.city if sm.home else "",
        "normalisation": indicator_set.get_normalisation_display(),
        "aggregation": indicator_set.get_aggregation_display(),
        "excluded": [r.name for r in sm.excluded],
    }


def _home_summary(indicator_set: IndicatorSet, year: int, draws: int) -> dict | None:
    data = set_index(indicator_set, year, draws=draws)
    sm, result = data["matrix"], data["result"]
    if result is None:
        return None
    summary = {
        "code": indicator_set.code,
        "name": indicator_set.name,
        "year": year,
        "is_demo_configuration": indicator_set.is_demo_configuration,
        "normalisation": indicator_set.normalisation,
        "aggregation": indicator_set.aggregation,
        "n_province": len(sm.regions),
        "n_ningbo": int(data["in_city"].sum()),
        "city": data["city"],
        "draws": draws,
        "coverage": COVERAGE,
        "index": None,
        "rank_province": None,
        "rank_ningbo": None,
        "median_rank_province": None,
        "interval_province": None,
        "median_rank_ningbo": None,
        "interval_ningbo": None,
        "top_contributors": [],
        "drags": [],
    }
    home = sm.home
    if home is None or not sm.regions or sm.regions[0].pk != home.pk:
        return summary  # the home region lacks a value: no rank
    summary.update(index=float(result.index[0]), rank_province=int(result.ranks[0]))
    if data["in_city"][0]:
        summary["rank_ningbo"] = int(data["rank_city"][0])
    if draws:
        sp, sc = data["sens_province"], data["sens_city"]
        summary["median_rank_province"] = float(sp.median[0])
        summary["interval_province"] = (int(sp.low[0]), int(sp.high[0]))
        if sc is not None and data["in_city"][0]:
            summary["median_rank_ningbo"] = float(sc.median[0])
            summary["interval_ningbo"] = (int(sc.low[0]), int(sc.high[0]))
    parts = [
        {"code": m.indicator.code, "name": m.indicator.name, "contribution": float(c)}
        for m, c in zip(sm.members, result.contributions[0], strict=True)
    ]
    summary["top_contributors"] = sorted(
        (p for p in parts if p["contribution"] > 0), key=lambda p: -p["contribution"]
    )[:3]
    summary["drags"] = sorted(
        (p for p in parts if p["contribution"] < 0), key=lambda p: p["contribution"]
    )[:3]
    return summary


def ranking_summary(year: int, *, draws: int = SENSITIVITY_DRAWS) -> dict:
    """The home region's rank on every ranked set for `year` (see the module docstring)."""
    out = {}
    for indicator_set in IndicatorSet.objects.filter(is_ranked=True).order_by("sort_order"):
        summary = _home_summary(indicator_set, year, draws)
        if summary is not None:
            out[indicator_set.code] = summary
    return out


def rank_history(
    set_code: str | IndicatorSet, years: list[int], *, draws: int = SENSITIVITY_DRAWS
) -> list[dict]:
    """The home region's rank, median rank and interval on a set for each of `years` (years
    without values are left out)."""
    indicator_set = _get_set(set_code)
    out = []
    for year in years:
        summary = _home_summary(indicator_set, year, draws)
        if summary is not None and summary["rank_province"] is not None:
            out.append(summary)
    return out


# ------------------------------------------------------------------ targets


def target_progress(year: int) -> list[dict]:
    """Progress of the home region towards its targets for `year` (see the module docstring)."""
    home = home_region()
    targets = list(Target.objects.filter(year=year).select_related("indicator"))
    stored = {}
    if home is not None:
        stored = {
            code: float(v)
            for code, v in IndicatorValue.objects.filter(
                region=home, year=year, indicator__in=[t.indicator for t in targets]
            ).values_list("indicator__code", "value")
        }
    out = []
    for t in targets:
        ind = t.indicator
        entry = REGISTRY.get(ind.code) if ind.source == IndicatorSource.COMPUTED else None
        actual = _home_value(ind, year, stored.get(ind.code))
        target = float(t.value)
        progress = met = None
        if actual is not None:
            if t.comparison == TargetComparison.AT_MOST:
                progress = 100.0 * target / actual if actual else 100.0
                met = actual <= target
            else:
                progress = 100.0 * actual / target if target else None
                met = actual >= target
        pending = entry.pending(year) if entry and entry.pending else ""
        if actual is None and not pending:
            pending = _("No value for %(year)s yet.") % {"year": year}
        out.append(
            {
                "indicator": ind.code,
                "name": ind.name,
                "unit": ind.unit,
                "decimals": ind.decimals,
                "target": target,
                "comparison": t.comparison,
                "actual": actual,
                "progress_pct": None if progress is None else round(progress, 1),
                "met": met,
                "pending": pending,
                "records_url": entry.records_url(year) if entry and entry.records_url else "",
                "source": t.source,
                "note": t.note,
            }
        )
    return out


# ------------------------------------------------------------------ headline figures

# Catalogue keys per ranked set code (kechuang/indicators/figures.py).
HEADLINE_KEYS = RANK_KEYS


def rank_headline_figures(year: int) -> dict:
    """Catalogue provider: the home region's ranks (no sensitivity draws, so `kechuang
    stats` stays fast); a rank that cannot be computed is simply absent."""
    figures = {}
    for code, summary in ranking_summary(year, draws=0).items():
        keys = HEADLINE_KEYS.get(code)
        if keys is None:
            continue
        for key, value in zip(
            keys, (summary["rank_province"], summary["rank_ningbo"]), strict=True
        ):
            if value is not None:
                figures[key] = value
    return figures


def region_by_code(code: str) -> Region | None:
    """The benchmarked region with that code, if any (the drill-down of a result page)."""
    return Region.objects.filter(code=code).first()


def indicator_by_code(code: str) -> Indicator | None:
    """The catalogue's indicator with that code, if any."""
    return Indicator.objects.filter(code=code).first()
