"""A set's index as a tree and a methodology (docs/indicators.md): read the tree and the
methodology of a set, load its panel, run the pipeline (logic/pipeline.py), store the run with
the methodology it used, and read stored runs back for the pages (results, drill-down, stages).

Selectors: `set_tree`, `set_methodology`, `set_panel`, `tree_rows`, `methodology_rows`,
`latest_run`, `run_table`, `run_drilldown`, `run_stages`. Services: `compute_run`,
`methodology_update`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.regions.models import Region
from kechuang.regions.selectors import home_region

from .logic.methodology import Methodology, parse
from .logic.pipeline import (
    FLAG_LOG,
    FLAG_WIN_HIGH,
    FLAG_WIN_LOW,
    Panel,
    PipelineResult,
    rank_changes_on_rounding,
    run,
)
from .logic.sensitivity import rank_gap, remove_one
from .logic.tree import ROOT, Node, Tree
from .logic.tree_edit import prune
from .models import (
    Aggregation,
    IndexRun,
    IndexScore,
    IndicatorSet,
    IndicatorSource,
    IndicatorValue,
    Normalisation,
)
from .registry import REGISTRY, computed_value

__all__ = [
    "STEP_LABELS",
    "set_tree",
    "set_methodology",
    "set_panel",
    "tree_rows",
    "methodology_rows",
    "compute",
    "compute_run",
    "methodology_update",
    "latest_run",
    "run_table",
    "run_drilldown",
    "run_stages",
    "region_sensitivity",
]

GROUP_CITY = "city"

STEP_LABELS = {
    "none": gettext_lazy("None"),
    "group_mean": gettext_lazy("Mean of the region's group (same city, same year)"),
    "unit_mean_over_time": gettext_lazy("The region's own mean over the other years"),
    "winsorise_log": gettext_lazy(
        "Winsorise up to N points where |skewness| ≥ threshold and kurtosis ≥ threshold; "
        "if still skewed, log transform"
    ),
    "winsorise": gettext_lazy("Winsorise only"),
    "log": gettext_lazy("Log transform where skewed"),
    "min_max": gettext_lazy("Min–max onto an interval"),
    "z_score": gettext_lazy("Z-score"),
    "percentile_rank": gettext_lazy("Percentile rank"),
    "rank": gettext_lazy("Rank"),
    "target_share": gettext_lazy("Share of the target reached, min(x / target, 1)"),
    "target_distance": gettext_lazy(
        "Distance to target from the worst region, (x − min) / (target − min) (COINr)"
    ),
    "arithmetic": gettext_lazy("Weighted arithmetic mean"),
    "geometric": gettext_lazy("Weighted geometric mean"),
    "harmonic": gettext_lazy("Weighted harmonic mean"),
}
FLAG_LABELS = {
    FLAG_WIN_HIGH: gettext_lazy("winsorised (high)"),
    FLAG_WIN_LOW: gettext_lazy("winsorised (low)"),
    FLAG_LOG: gettext_lazy("log transformed"),
}


# ------------------------------------------------------------------ tree and methodology


def set_tree(indicator_set: IndicatorSet) -> Tree:
    """The set's tree: its nodes (pillars, sub-indices) and members, under one index."""
    nodes: dict[str, Node] = {}
    members = indicator_set.members.select_related("indicator", "node").order_by("sort_order", "id")
    for m in members:
        ind = m.indicator
        nodes[ind.code] = Node(
            code=ind.code,
            parent=m.node.code if m.node_id else ROOT,
            weight=float(m.weight),
            name=ind.name,
            direction=int(ind.direction),
            target=float(m.benchmark) if m.benchmark is not None else None,
            unit=ind.unit,
            lower=ind.min_value,
            upper=float(ind.max_value) if ind.max_value is not None else None,
        )
    for n in indicator_set.nodes.select_related("parent").order_by("sort_order", "id"):
        nodes[n.code] = Node(
            code=n.code, parent=n.parent.code if n.parent_id else ROOT, weight=n.weight,
            name=n.name,
        )  # fmt: skip
    nodes[ROOT] = Node(code=ROOT, parent=None, name=_("Index"))
    # an aggregate with no indicator below it yet (just added in the tree editor) is left out
    # (docs/indicators.md#editing-the-tree)
    indicators = {m.indicator.code for m in members}
    return Tree(prune(nodes, indicators))


def _default_methodology(indicator_set: IndicatorSet) -> dict[str, Any]:
    """The set's own normalisation and aggregation fields as a methodology (no preparation),
    on the scale the flat engine used (0–100; [1, 100] before a geometric mean)."""
    geometric = indicator_set.aggregation == Aggregation.GEOMETRIC
    norm: dict[str, Any] = {"method": "min_max", "low": 1 if geometric else 0, "high": 100}
    if indicator_set.normalisation == Normalisation.Z_SCORE:
        norm = {"method": "z_score", "ddof": 0}
    elif indicator_set.normalisation == Normalisation.DISTANCE_TO_TARGET:
        norm = {"method": "target_share", "scale": 100}
    return {"normalise": norm, "aggregate": {"levels": [indicator_set.aggregation]}}


def set_methodology(indicator_set: IndicatorSet) -> Methodology:
    raw = dict(indicator_set.methodology or _default_methodology(indicator_set))
    raw.update(
        code=indicator_set.code, name=indicator_set.name_zh,
        version=indicator_set.methodology_version,
    )  # fmt: skip
    return parse(raw)


def tree_rows(indicator_set: IndicatorSet) -> list[dict[str, Any]]:
    """The tree top-down for display: level, code, name, weight, effective weight, indent."""
    try:
        tree = set_tree(indicator_set)
    except ValueError:  # a set without indicators has no tree yet
        return []
    eff = tree.effective_weights()
    pending = set(indicator_set.nodes.filter(is_pending_policy=True).values_list("code", flat=True))
    out: list[dict[str, Any]] = []

    def walk(code: str, depth: int) -> None:
        node = tree.nodes[code]
        level = tree.level_of(code)
        out.append({
            "code": code, "name": node.name or code, "depth": depth, "level": level,
            "is_indicator": level == 1, "weight": node.weight, "effective": eff[code],
            "unit": node.unit, "target": node.target, "pending": code in pending,
        })  # fmt: skip
        for child in tree.children[code]:
            walk(child, depth + 1)

    walk(tree.root, 0)
    return out


def methodology_rows(method: Methodology) -> list[tuple[str, str]]:
    """The steps in words (label, description), for the methodology page and the report."""
    n = method.normalise
    norm = str(STEP_LABELS[n.method])
    if n.method == "min_max":
        norm += f" [{n.low:g}, {n.high:g}]"
    elif n.method == "z_score":
        sd = _("sample") if n.ddof == 1 else _("population")
        norm += _(" (mean %(m)s, standard deviation %(s)s, %(kind)s)") % {
            "m": f"{n.mean:g}",
            "s": f"{n.sd:g}",
            "kind": sd,
        }
    norm += "；" + (_("bounds pooled over all years") if n.across_years else _("each year alone"))
    t = method.treat
    treat = str(STEP_LABELS[t.method])
    if t.method != "none":
        treat += _(" (N = %(n)s, |skewness| ≥ %(s)s, kurtosis ≥ %(k)s)") % {
            "n": t.winmax,
            "s": f"{t.skew:g}",
            "k": f"{t.kurtosis:g}",
        }
    levels = "；".join(
        _("level %(k)s → %(k1)s: %(how)s") % {"k": i + 1, "k1": i + 2, "how": STEP_LABELS[a]}
        for i, a in enumerate(method.aggregate)
    )
    return [
        (_("Denominate"), _("Yes") if method.denominate else _("No")),
        (_("Impute missing values"), str(STEP_LABELS[method.impute.method])),
        (_("Screen regions"), _("at least %(p)s%% of the values present") % {
            "p": f"{method.screen.min_availability * 100:g}"}),
        (_("Treat outliers"), treat),
        (_("Normalise"), norm),
        (_("Aggregate"), levels + ("" if len(method.aggregate) > 1 else _(" (every level)"))),
    ]  # fmt: skip


# ------------------------------------------------------------------ panel and run


@dataclass
class SetPanel:
    panel: Panel
    regions: dict[int, Region]
    decimals: list[int]


def _years_needed(method: Methodology, year: int) -> list[int] | None:
    """All years when a step looks across years, else just `year` (None: every year)."""
    if method.impute.method == "unit_mean_over_time" or method.normalise.across_years:
        return None
    return [year]


def set_panel(indicator_set: IndicatorSet, year: int, method: Methodology) -> SetPanel:
    """The province's regions × the set's indicators (missing values NaN), the home region's
    computed indicators from live data; one query for the stored values."""
    tree = set_tree(indicator_set)
    codes = tree.indicators
    col = {c: j for j, c in enumerate(codes)}
    home = home_region()
    regions = Region.objects.all()
    if home is not None and home.province:
        regions = regions.filter(province=home.province)
    by_id = {r.pk: r for r in regions}
    years = _years_needed(method, year)
    qs = IndicatorValue.objects.filter(indicator__code__in=codes, region_id__in=by_id)
    if years is not None:
        qs = qs.filter(year__in=years)
    cells: dict[tuple[int, int], list[float]] = {}
    for region_id, y, code, value in qs.values_list("region_id", "year", "indicator__code",
                                                    "value"):  # fmt: skip
        cells.setdefault((region_id, y), [np.nan] * len(codes))[col[code]] = value
    members = {
        m.indicator.code: m.indicator for m in indicator_set.members.select_related("indicator")
    }
    if home is not None:
        for y in years or sorted({k[1] for k in cells} | {year}):
            row = cells.setdefault((home.pk, y), [np.nan] * len(codes))
            for code, ind in members.items():
                if ind.source == IndicatorSource.COMPUTED and code in REGISTRY:
                    v = computed_value(code, y)
                    row[col[code]] = np.nan if v is None else float(v)
    keys = sorted(cells)
    panel = Panel(
        units=np.array([k[0] for k in keys], dtype=object),
        years=np.array([k[1] for k in keys], dtype=int),
        values=np.array([cells[k] for k in keys], dtype=float).reshape(len(keys), len(codes)),
        indicators=list(codes),
        groups={GROUP_CITY: np.array([by_id[k[0]].city or "" for k in keys], dtype=object)},
    )
    # each indicator rounded to the decimals it is shown with (the rounding warning)
    decimals = [members[c].decimals if c in members else 4 for c in codes]
    return SetPanel(panel=panel, regions=by_id, decimals=decimals)


def compute(indicator_set: IndicatorSet, year: int) -> tuple[PipelineResult, SetPanel]:
    """Run the set's methodology for `year` (raises ValueError with the reason)."""
    method = set_methodology(indicator_set)
    if method.impute.method == "group_mean":
        method = parse({**method.to_dict(), "impute": {"method": "group_mean",
                                                       "group": GROUP_CITY}})  # fmt: skip
    sp = set_panel(indicator_set, year, method)
    if not len(sp.panel.units):
        raise ValueError(_("No values for this year."))
    return run(set_tree(indicator_set), method, sp.panel), sp


def _stages(result: PipelineResult, year: int) -> dict[str, Any]:
    """Which values were imputed, treated, and which regions were screened out (this year)."""
    tree = result.tree
    years_in = np.asarray(result.raw_years)
    units_in = np.asarray(result.raw_units)
    this = years_in == year
    imputed = [
        [int(units_in[i]), tree.indicators[j], float(result.imputed[i, j])]
        for i, j in np.argwhere(result.imputed_mask & this[:, None])
    ]
    kept_this = result.years == year
    treated = [
        [int(result.units[i]), tree.indicators[j], int(result.treat_flags[i, j]),
         float(result.treated[i, j])]
        for i, j in np.argwhere((result.treat_flags > 0) & kept_this[:, None])
    ]  # fmt: skip
    screened = [int(u) for u, k, t in zip(units_in, result.kept, this, strict=True) if t and not k]
    return {"imputed": imputed, "treated": treated, "screened": screened}


@transaction.atomic
def compute_run(indicator_set: IndicatorSet, year: int, *, user=None) -> IndexRun:
    """Compute and store the set's index for `year` with its methodology (an audit record:
    who, when, which methodology version and fingerprint)."""
    result, sp = compute(indicator_set, year)
    method = result.methodology
    changes = rank_changes_on_rounding(set_tree(indicator_set), method, sp.panel, sp.decimals)
    this = result.years == year
    index_run = IndexRun.objects.create(
        indicator_set=indicator_set,
        year=year,
        methodology=method.to_dict(),
        methodology_version=method.version,
        tree_version=indicator_set.tree_version,
        fingerprint=method.fingerprint(),
        tree=[
            {"code": c, "parent": n.parent, "weight": n.weight, "name": n.name}
            for c, n in result.tree.nodes.items()
        ],  # fmt: skip
        stages=_stages(result, year),
        units=int(this.sum()),
        precision_rank_changes=changes,
        computed_by=user if getattr(user, "is_authenticated", False) else None,
    )
    scores = []
    for i in np.flatnonzero(this):
        for j, code in enumerate(result.tree.aggregates):
            s, r = result.scores[i, j], result.ranks[i, j]
            scores.append(IndexScore(
                run=index_run, region_id=int(result.units[i]), node=code,
                score=None if np.isnan(s) else float(s), rank=None if np.isnan(r) else int(r),
            ))  # fmt: skip
    IndexScore.objects.bulk_create(scores, batch_size=2000)
    return index_run


@transaction.atomic
def methodology_update(indicator_set: IndicatorSet, raw: dict[str, Any], *, user) -> Methodology:
    """Validate and store a new methodology; the version goes up by one (history records who).
    Raises ValueError naming the offending field."""
    method = parse({**raw, "code": indicator_set.code})
    set_tree(indicator_set)  # the tree must be valid too
    body = method.to_dict()
    for key in ("schema", "code", "name", "version"):
        body.pop(key, None)
    indicator_set.methodology = body
    indicator_set.methodology_version += 1
    indicator_set._history_user = user
    indicator_set.save(update_fields=["methodology", "methodology_version"])
    return set_methodology(indicator_set)


# ------------------------------------------------------------------ stored runs


def latest_run(indicator_set: IndicatorSet, year: int) -> IndexRun | None:
    return (
        IndexRun.objects.filter(indicator_set=indicator_set, year=year)
        .select_related("computed_by")
        .order_by("-computed_at", "-id")
        .first()
    )


def _names(run_: IndexRun) -> dict[str, str]:
    return {n["code"]: n["name"] or n["code"] for n in run_.tree}


def run_table(run_: IndexRun) -> dict[str, Any]:
    """Rows per region (index rank order) with every aggregate's score and rank."""
    names = _names(run_)
    parents = {n["code"]: n["parent"] for n in run_.tree}
    aggregates = [c for c in names if c in set(parents.values())]
    # bottom-up order as stored, index last
    columns = [{"code": c, "name": names[c]} for c in aggregates if c != ROOT]
    home = home_region()
    rows: dict[int, dict[str, Any]] = {}
    for s in run_.scores.select_related("region"):
        row = rows.setdefault(s.region_id, {"region": s.region, "scores": {}, "ranks": {},
                                            "is_home": home is not None and s.region_id == home.pk})  # fmt: skip
        row["scores"][s.node], row["ranks"][s.node] = s.score, s.rank
    ordered = sorted(rows.values(), key=lambda r: (r["ranks"].get(ROOT) or 10**6, r["region"].code))
    for r in ordered:
        r["cells"] = [(r["scores"].get(c["code"]), r["ranks"].get(c["code"])) for c in columns]
    return {
        "columns": columns,
        "rows": ordered,
        "home": next((r for r in ordered if r["is_home"]), None),
    }


def run_drilldown(run_: IndexRun, region: Region) -> list[dict[str, Any]]:
    """One region's path through the tree: every aggregate with its score and rank, children
    indented under their parent (index first)."""
    names = _names(run_)
    children: dict[str | None, list[str]] = {}
    for n in run_.tree:
        children.setdefault(n["parent"], []).append(n["code"])
    got = {s.node: s for s in run_.scores.filter(region=region)}
    out: list[dict[str, Any]] = []

    def walk(code: str, depth: int) -> None:
        if code not in got:
            return  # an indicator: its score is the normalised value, shown on the set page
        s = got[code]
        out.append({"code": code, "name": names[code], "depth": depth, "score": s.score,
                    "rank": s.rank, "children": len(children.get(code, []))})  # fmt: skip
        for child in children.get(code, []):
            walk(child, depth + 1)

    walk(ROOT, 0)
    return out


def run_stages(run_: IndexRun) -> dict[str, list[dict[str, Any]]]:
    """The stages for display: imputed values, treated values, regions screened out."""
    ids = {r for r, *_x in run_.stages.get("imputed", [])}
    ids |= {r for r, *_x in run_.stages.get("treated", [])} | set(run_.stages.get("screened", []))
    regions = Region.objects.in_bulk(ids)
    names = _names(run_)

    def region_name(pk: int) -> str:
        return regions[pk].name if pk in regions else str(pk)

    return {
        "imputed": [{"region": region_name(r), "indicator": names.get(c, c), "value": v}
                    for r, c, v in run_.stages.get("imputed", [])],
        "treated": [{"region": region_name(r), "indicator": names.get(c, c),
                     "how": FLAG_LABELS.get(f, ""), "value": v}
                    for r, c, f, v in run_.stages.get("treated", [])],
        "screened": [region_name(r) for r in run_.stages.get("screened", [])],
    }  # fmt: skip


def region_sensitivity(indicator_set: IndicatorSet, year: int, region: Region) -> dict | None:
    """What moves one region's rank, on the current data and methodology: per indicator, its
    part of the gap to the region ranked just above (effective weight × difference of scores)
    and the rank change when the indicator is left out. None when the region is not ranked."""
    try:
        result, _sp = compute(indicator_set, year)
    except ValueError:
        return None
    rows = np.flatnonzero((result.units == region.pk) & (result.years == year))
    if not len(rows):
        return None
    i = int(rows[0])
    index_rank = result.rank(result.tree.root)
    this = np.flatnonzero(result.years == year)
    ahead = [j for j in this if index_rank[j] == index_rank[i] - 1] if index_rank[i] > 1 else []
    names = {c: result.tree.nodes[c].name or c for c in result.tree.indicators}
    impact = remove_one(result)
    out: dict[str, Any] = {
        "rank": int(index_rank[i]),
        "remove_one": sorted(
            ({"name": names[c], "change": int(d[i])} for c, d in impact.items()),
            key=lambda r: -abs(r["change"]),
        ),
        "ahead": None,
        "gap": [],
    }
    if ahead:
        j = int(ahead[0])
        parts = rank_gap(result, i, j)
        out["ahead"] = Region.objects.filter(pk=int(result.units[j])).first()
        out["gap"] = sorted(
            ({"name": names[c], "points": v} for c, v in parts.items()), key=lambda r: r["points"]
        )
    return out
