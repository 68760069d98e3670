"""Leadership view, catalogue, index tables and peer-value import (HTML pages).

Leaders and bureau staff read everything here (region-wide aggregates, no enterprise records);
only bureau staff import values. Every other role gets 403.
"""

from __future__ import annotations

import tempfile

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kechuang.core.access import can, requires
from kechuang.core.views import xlsx_response
from kechuang.core.years import selected_year

from .charts import contribution_chart, rank_history_chart
from .forms import ValuesImportForm
from .models import IndicatorSet
from .pages import has_targets, set_vs_targets, sets_with_members
from .registry import memo
from .selectors import (
    indicator_list,
    indicator_table,
    rank_history,
    ranking_summary,
    target_progress,
    value_years,
)
from .services import PEER_VALUES, indicator_values_import, indicator_values_workbook


def _year(request, years: list[int]) -> int:
    return selected_year(request, years)


@requires("indicators.view")
def leadership(request):
    """The leader's dashboard: ranks with their sensitivity, rank history, targets, report."""
    with memo():
        return _leadership(request)


def _leadership(request):
    years = value_years()
    year = _year(request, years)
    summary = ranking_summary(year)
    history_years = [y for y in years if y <= year][-6:]
    charts = []
    for code, s in summary.items():
        history = rank_history(code, history_years)
        if not history:
            continue
        charts.append(
            {
                "id": f"rank-history-{code}",
                "option": rank_history_chart(
                    title=_("%(name)s: rank in the province") % {"name": s["name"]},
                    years=[h["year"] for h in history],
                    ranks=[h["rank_province"] for h in history],
                    medians=[h["median_rank_province"] for h in history],
                    lows=[h["interval_province"][0] for h in history],
                    highs=[h["interval_province"][1] for h in history],
                    rank_label=_("Rank"),
                    median_label=_("Median rank over the draws"),
                    interval_label=_("90% of the draws"),
                    rank_unit=_("rank"),
                ),
            }
        )
    target_years = [year, year + 1]
    context = {
        "year": year,
        "years": years,
        "summary": summary,
        "charts": charts,
        "targets": [(y, target_progress(y)) for y in target_years],
        "set_targets": set_vs_targets(year),
        "links": can(request.user, "enterprise.list"),
        "has_targets": has_targets(),
    }
    return render(request, "indicators/leadership.html", context)


@requires("indicators.view")
def catalogue(request):
    """Every indicator: code, names, unit, direction, source and the sets it belongs to."""
    from .registry import REGISTRY

    sets = sets_with_members()
    return render(
        request,
        "indicators/catalogue.html",
        {"indicators": indicator_list(), "registered": set(REGISTRY), "sets": sets},
    )


@requires("indicators.view")
def set_detail(request, code: str):
    """A set's index table for a year: values, index, ranks and contributions per region."""
    indicator_set = get_object_or_404(IndicatorSet, code=code)
    years = value_years()
    year = _year(request, years)
    table = indicator_table(indicator_set, year)
    home = next((r for r in table["rows"] if r["is_home"]), None)
    option = None
    if home:
        option = contribution_chart(
            title=_("What lifts or drags the home region (vs the average region)"),
            items=[
                {"label": c["name"], "value": home["contributions"][c["code"]]}
                for c in table["columns"]
            ],
            unit=_("index points"),
        )
    for row in table["rows"]:
        row["cells"] = [
            (row["values"][c["code"]], row["contributions"][c["code"]], c["decimals"])
            for c in table["columns"]
        ]
    return render(
        request,
        "indicators/set_detail.html",
        {"table": table, "year": year, "years": years, "set": indicator_set, "option": option},
    )


@requires("indicators.manage")
@require_http_methods(["GET", "POST"])
def values_import(request):
    """Upload a workbook of peer-region values: check (dry run) or import, all-or-nothing."""
    result = None
    if request.method == "POST":
        form = ValuesImportForm(request.POST, request.FILES)
        if form.is_valid():
            with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
                for chunk in form.cleaned_data["file"].chunks():
                    tmp.write(chunk)
                tmp.flush()
                result = indicator_values_import(
                    tmp.name, user=request.user, dry_run=form.cleaned_data["dry_run"]
                )
    else:
        form = ValuesImportForm()
    return render(
        request,
        "indicators/values_import.html",
        {"form": form, "result": result, "years": value_years(), "schema": PEER_VALUES},
    )


@requires("indicators.manage")
def values_export(request):
    """The stored values (optionally one year) as a workbook with the import headers."""
    try:
        year = int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        year = None
    blank = bool(request.GET.get("blank"))
    suffix = "-template" if blank else (f"-{year}" if year else "")
    content = indicator_values_workbook(year=year, blank=blank)
    return xlsx_response(content, f"{PEER_VALUES.sheet}{suffix}.xlsx")
