"""HTML views of R&D investment: the regional R&D page, zero-R&D lists, enterprise diagnosis."""

from __future__ import annotations

import json

from django.core.paginator import EmptyPage
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kechuang.core.access import can, requires
from kechuang.core.figures import figure_cards
from kechuang.core.formatting import chart_value, chart_wan, chart_yi
from kechuang.core.lists import list_page
from kechuang.core.views import xlsx_response
from kechuang.core.years import data_years, selected_year
from kechuang.enterprises.logic.industry import DIVISIONS
from kechuang.enterprises.pages import TierLookup, enterprise_for, enterprise_rows
from kechuang.enterprises.tables import EnterpriseTable

from . import charts
from .diagnosis import enterprise_diagnosis
from .exports import diagnosis_docx, zero_rd_workbook
from .figures import above_scale_url
from .filters import RdEnterpriseFilterSet
from .logic import aggregates as agg
from .logic.zero_rd import ZeroRdSpec
from .selectors import (
    SLICE_LABELS,
    rd_page_figures,
    visible_towns,
    without_visit_task,
    zero_rd_enterprises,
)
from .tables import BREAKDOWN_COLUMNS, ZeroRdTable, sort_rows


def _pick_year(request, years: list[int]) -> int:
    return selected_year(request, years)


def _wan(value) -> float | None:
    return chart_wan(value, 0)


# ------------------------------------------------------------------ R&D page


def _slice_link(by: str, key, year: int) -> str | None:
    base = f"?year={year}&above_scale=true"
    if by == "town":
        return f"{reverse('enterprises:enterprise_list')}{base}&town={key}"
    if by == "division":
        return f"{reverse('enterprises:enterprise_list')}{base}&industry={key}"
    if by == "tier":
        return (
            None if key == "none" else f"{reverse('enterprises:enterprise_list')}{base}&tier={key}"
        )
    return f"{reverse('rnd:rd_enterprise_list')}{base}&revenue_band={key}"


def _overview_charts(trend_years: list[int], series: dict, rows: list[dict], by: str) -> dict:
    """The R&D page's three charts: expense and intensity, enterprises with R&D, the slice."""
    span = f"{trend_years[0]}–{trend_years[-1]}" if trend_years else ""
    trend_option = charts.bar_line_chart(
        title=_("R&D expense and intensity, %(span)s") % {"span": span},
        categories=trend_years,
        bars={
            _("R&D expense (100 million yuan)"): [
                chart_yi(series[y][agg.RD_EXPENSE], 2) for y in trend_years
            ]
        },
        lines={
            _("R&D intensity (%)"): [
                chart_value(series[y][agg.RD_INTENSITY], 2) for y in trend_years
            ]
        },
        bar_unit=_("100 million yuan"),
        line_unit="%",
    )
    share_option = charts.bar_line_chart(
        title=_("Enterprises with R&D and their share, %(span)s") % {"span": span},
        categories=trend_years,
        bars={
            _("Above-scale"): [series[y][agg.ABOVE_SCALE] for y in trend_years],
            _("With R&D"): [series[y][agg.WITH_RD] for y in trend_years],
        },
        lines={
            _("Share with R&D (%)"): [
                chart_value(series[y][agg.WITH_RD_SHARE], 1) for y in trend_years
            ]
        },
        bar_unit=_("enterprises"),
        line_unit="%",
    )
    for item in share_option["series"]:
        if item["type"] == "bar":
            item["label"]["show"] = False  # the share line carries the labels; bars would collide
    slice_option = charts.ranked_bar_chart(
        title=_("R&D expense by %(slice)s (10,000 yuan)") % {"slice": SLICE_LABELS[by]},
        items=[
            {"key": r["key"], "label": str(r["label"]), "value": _wan(r[agg.RD_EXPENSE])}
            for r in sorted(rows, key=lambda r: -r[agg.RD_EXPENSE])[:20]
        ],
        value_key="value",
        unit=_("10,000 yuan"),
    )
    return {
        "trend_option": trend_option,
        "share_option": share_option,
        "slice_option": slice_option,
        "span": span,
    }


def _headers(by: str, order: str) -> list[dict]:
    return [
        {
            "label": label,
            "key": key,
            "kind": kind,
            "order": f"-{key}" if order != f"-{key}" else key,
            "active": order.lstrip("-") == key,
            "desc": order.startswith("-"),
        }
        for key, label, kind in [("label", SLICE_LABELS[by], "text"), *BREAKDOWN_COLUMNS]
    ]


@requires("rnd.view")
def rd_overview(request):
    """/rnd/?year=&by=&o=: headline figures with definitions, trends, and one slice breakdown."""
    links = can(request.user, "rnd.list")
    years = data_years()
    year = _pick_year(request, years)
    by = request.GET.get("by") if request.GET.get("by") in SLICE_LABELS else "town"
    page = rd_page_figures(request.user, year, years, by)
    rows, order = sort_rows(page["rows"], request.GET.get("o"))
    for r in rows:
        r["url"] = _slice_link(by, r["key"], year) if links else None
    context = {
        "year": year,
        "years": years,
        "by": by,
        "slices": SLICE_LABELS,
        "order": order,
        "stats": figure_cards("rd", year, page["values"], links=links),
        **_overview_charts(page["trend_years"], page["series"], rows, by),
        "trend_rows": [
            {**page["series"][y], "year": y, "url": above_scale_url(y) if links else None}
            for y in reversed(page["trend_years"])
        ],
        "rows": rows,
        "headers": _headers(by, order),
        "links": links,
        "scoped": page["scoped"],
    }
    return render(request, "rnd/rd_overview.html", context)


@requires("rnd.list")
def rd_enterprise_list(request):
    """The enterprise list with the R&D page's revenue-band filter (drill-down of that slice)."""
    years = data_years()
    year = _pick_year(request, years)
    return list_page(
        request,
        queryset=enterprise_rows(request.user, year),
        filterset_class=RdEnterpriseFilterSet,
        table_class=EnterpriseTable,
        template="enterprises/enterprise_list.html",
        export_schema="enterprises",
        table_kwargs=lambda rows: {"tiers_by_enterprise": TierLookup(year)},
        extra_context={"year": year},
    )


# ------------------------------------------------------------------ zero-R&D lists


def _zero_spec(request, year: int) -> ZeroRdSpec:
    raw = {
        "year": year,
        "town": request.GET.get("town") or None,
        "industry": request.GET.get("industry") or None,
        "contradiction_only": request.GET.get("contradiction_only") or False,
    }
    try:
        return ZeroRdSpec.from_dict(raw)
    except ValueError:
        return ZeroRdSpec(year=year)


def _campaign_url() -> str | None:
    try:
        return reverse("campaigns:campaign_create_from_filter")
    except NoReverseMatch:
        return None


@requires("rnd.list")
def zero_rd_list(request):
    """/rnd/zero/?year=&town=&industry=&contradiction_only=: zero-R&D declarations, contradictions
    first; `?export=xlsx` downloads the same rows; staff can turn them into visit tasks."""
    years = data_years()
    year = _pick_year(request, years)
    spec = _zero_spec(request, year)
    rows = zero_rd_enterprises(spec, request.user)
    if request.GET.get("untasked") == "true":  # the workbench to-do: nobody sent yet
        rows = without_visit_task(rows, year)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(zero_rd_workbook(rows, spec), f"零申报企业_{year}.xlsx")
    total = rows.count()
    contradictions = rows.filter(is_contradiction=True).count()
    table = ZeroRdTable(rows, year=year)
    try:
        table.paginate(page=_page(request), per_page=25)
    except EmptyPage:  # past the end: the last page
        table.paginate(page=table.paginator.num_pages, per_page=25)
    towns = visible_towns(request.user)
    context = {
        "year": year,
        "years": years,
        "spec": spec,
        "spec_json": json.dumps(spec.to_dict(), ensure_ascii=False),
        "table": table,
        "total": total,
        "contradictions": contradictions,
        "towns": towns,
        "divisions": sorted(DIVISIONS.items()),
        "campaign_url": _campaign_url() if can(request.user, "campaigns.manage") else None,
    }
    return render(request, "rnd/zero_rd_list.html", context)


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("page", 1)))
    except ValueError:
        return 1


# ------------------------------------------------------------------ diagnosis


def _diagnosis_for(request, pk: int) -> dict:
    enterprise = enterprise_for(request.user, pk)
    years = list(enterprise.annual_figures.order_by("year").values_list("year", flat=True))
    year = _pick_year(request, years)
    d = enterprise_diagnosis(enterprise, year)
    d["years"] = years
    return d


@requires("rnd.diagnosis")
def diagnosis(request, pk: int):
    """/rnd/diagnosis/<pk>/?year=: the enterprise's R&D diagnosis (scoped like the enterprise)."""
    d = _diagnosis_for(request, pk)
    figures = d["figures"]
    fyears = sorted(figures)
    d["trend_option"] = charts.bar_line_chart(
        title=_("R&D expense and intensity (10,000 yuan)"),
        categories=fyears,
        bars={
            _("R&D (statistical)"): [_wan(figures[y]["rd_expense_stat"]) for y in fyears],
            _("R&D (high-tech scope)"): [_wan(figures[y]["rd_hnte_total"]) for y in fyears],
            _("R&D (super-deduction)"): [_wan(figures[y]["rd_deduction_scope"]) for y in fyears],
        },
        bar_unit=_("10,000 yuan"),
        lines={
            _("R&D intensity (%)"): [chart_value(figures[y]["intensity_pct"], 2) for y in fyears]
        },
        line_unit="%",
    )
    for item in d["trend_option"]["series"]:
        item["smooth"] = False  # years with zero R&D must not curve below the axis
    d["structure_option"] = charts.structure_chart(
        title=_("R&D expense structure (high-tech scope), share %"),
        categories=[s["label"] for s in d["structure"]],
        own=[chart_value(s["share_pct"], 1) for s in d["structure"]],
        peers=[chart_value(s["peer_share_pct"], 1) for s in d["structure"]],
        own_name=_("This enterprise"),
        peer_name=_("Peer median"),
    )
    d["rows"] = [{"year": y, **figures[y]} for y in reversed(fyears)]
    return render(request, "rnd/diagnosis.html", d)


@requires("rnd.diagnosis")
def diagnosis_download(request, pk: int):
    """The diagnosis as a Word report (python-docx)."""
    d = _diagnosis_for(request, pk)
    content = diagnosis_docx(d)
    filename = f"研发投入诊断_{d['enterprise'].name}_{d['year']}.docx"
    from urllib.parse import quote

    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
