"""R&D aggregates of above-scale industrial enterprises: one set of functions (SQL aggregates)
that the dashboard, lists, API, annual report and `kechuang stats` all call."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, Substr

from kechuang.enterprises.models import AnnualFigure

__all__ = ["DEFINITIONS", "rd_aggregates", "rd_series", "rd_breakdown"]

DEFINITIONS = {
    "above_scale_industrial": "规上工业企业：年主营业务收入2000万元及以上的工业法人单位（按年度标记）",
    "above_scale_with_rd": "有研发活动：统计口径研发费用大于0的规上工业企业",
    "above_scale_with_rd_share_pct": "有研发活动企业数 ÷ 规上工业企业数",
    "rd_expense_above_scale_yuan": "规上工业企业研发费用（统计口径）合计",
    "rd_expense_growth_pct": "（本年研发费用 − 上年研发费用）÷ 上年研发费用，两年各按当年规上范围",
    "rd_intensity_pct": "规上工业企业研发费用 ÷ 规上工业企业营业收入",
}
CENT = Decimal("0.01")
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=20, decimal_places=2))


def _aggregate_expressions(suffix: str, condition: Q) -> dict:
    above = condition & Q(is_above_scale_industrial=True)
    return {
        f"above_scale{suffix}": Count("id", filter=above),
        f"with_rd{suffix}": Count("id", filter=above & Q(rd_expense_stat__gt=0)),
        f"rd_total{suffix}": Coalesce(Sum("rd_expense_stat", filter=above), ZERO),
        f"revenue{suffix}": Coalesce(Sum("operating_revenue", filter=above), ZERO),
    }


def _derive(cur: dict, prev_total: Decimal | None) -> dict:
    above, with_rd = cur["above_scale"], cur["with_rd"]
    # SQLite sums decimals in floating point: bring money back to cents.
    total, revenue = (Decimal(v).quantize(CENT) for v in (cur["rd_total"], cur["revenue"]))
    return {
        "above_scale_industrial": above,
        "above_scale_with_rd": with_rd,
        "above_scale_with_rd_share_pct": round(100 * with_rd / above, 4) if above else None,
        "rd_expense_above_scale_yuan": total,
        "rd_expense_growth_pct": round(float(100 * (total - prev_total) / prev_total), 4)
        if prev_total
        else None,
        "rd_intensity_pct": round(float(100 * total / revenue), 4) if revenue else None,
        "operating_revenue_above_scale_yuan": revenue,
    }


def rd_aggregates(year: int, queryset=None) -> dict:
    """Headline R&D figures of above-scale industrial enterprises for `year` (one query).

    queryset: AnnualFigure rows to aggregate (default all; pass a filtered/scoped one for a slice).
    Percentages are numbers of percent; money in yuan (Decimal). Growth compares with the
    previous year's above-scale set, as official statistics do.
    """
    qs = queryset if queryset is not None else AnnualFigure.objects.all()
    row = qs.filter(year__in=[year, year - 1]).aggregate(
        **_aggregate_expressions("", Q(year=year)),
        **_aggregate_expressions("_prev", Q(year=year - 1)),
    )
    cur = {k: v for k, v in row.items() if not k.endswith("_prev")}
    return _derive(cur, row["rd_total_prev"] or None)


def rd_series(years: list[int], queryset=None) -> dict[int, dict]:
    """The headline figures for each of `years` (one grouped query)."""
    qs = queryset if queryset is not None else AnnualFigure.objects.all()
    span = list(range(min(years) - 1, max(years) + 1))
    rows = {
        r["year"]: r
        for r in qs.filter(year__in=span)
        .values("year")
        .annotate(**_aggregate_expressions("", Q()))
        .order_by("year")
    }
    out = {}
    for y in years:
        cur = rows.get(y) or {
            "above_scale": 0,
            "with_rd": 0,
            "rd_total": Decimal(0),
            "revenue": Decimal(0),
        }
        prev = rows.get(y - 1)
        out[y] = _derive(cur, prev["rd_total"] if prev and prev["rd_total"] else None)
    return out


def rd_breakdown(year: int, by: str, queryset=None) -> list[dict]:
    """The headline figures of `year` grouped by `by` ("town" or "division"), one query.

    Returns rows {key, label, ...figures} sorted by R&D expense, largest first.
    """
    qs = (queryset if queryset is not None else AnnualFigure.objects.all()).filter(year=year)
    if by == "town":
        grouped = qs.values(key=F("enterprise__town_id"), label=F("enterprise__town__name"))
    elif by == "division":
        grouped = qs.annotate(key=Substr("enterprise__industry_code", 1, 2)).values("key")
    else:
        raise ValueError(by)
    rows = grouped.annotate(**_aggregate_expressions("", Q())).order_by()
    out = []
    for r in rows:
        figures = _derive(r, None)
        figures.pop("rd_expense_growth_pct")
        out.append({"key": r["key"], "label": r.get("label") or r["key"], **figures})
    return sorted(out, key=lambda r: r["rd_expense_above_scale_yuan"], reverse=True)
