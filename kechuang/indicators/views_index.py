"""Index methodology and results pages: the tree with effective weights and the steps
(viewer; bureau staff edit), stored results with drill-down per region, every stage's flags,
and an Excel export (docs/indicators.md)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kechuang.core.access import can, requires
from kechuang.core.views import xlsx_response
from kechuang.core.years import selected_year

from .forms import MethodologyForm
from .index import (
    compute_run,
    latest_run,
    methodology_rows,
    methodology_update,
    region_sensitivity,
    run_drilldown,
    run_stages,
    run_table,
    set_methodology,
    tree_rows,
)
from .index_export import run_workbook
from .models import IndicatorSet
from .selectors import region_by_code, value_years


@requires("indicators.view", post="indicators.manage")
@require_http_methods(["GET", "POST"])
def set_methodology_page(request, code: str):
    """The set's tree (weights, effective weights) and methodology; staff change the steps."""
    indicator_set = get_object_or_404(IndicatorSet, code=code)
    method = set_methodology(indicator_set)
    form = MethodologyForm(initial=MethodologyForm.initial_for(method))
    if request.method == "POST":
        form = MethodologyForm(request.POST)
        if form.is_valid():
            try:
                methodology_update(indicator_set, form.methodology(), user=request.user)
            except ValueError as exc:
                form.add_methodology_error(str(exc))
            else:
                messages.success(request, _("Methodology saved as a new version."))
                return redirect("indicators:set_methodology", code=code)
    context = {
        "set": indicator_set, "method": method, "steps": methodology_rows(method),
        "tree": tree_rows(indicator_set), "form": form,
        "can_manage": can(request.user, "indicators.manage"),
    }  # fmt: skip
    return render(request, "indicators/set_methodology.html", context)


@requires("indicators.view", post="indicators.manage")
@require_http_methods(["GET", "POST"])
def set_results(request, code: str):
    """The latest stored result of a year: scores and ranks of every pillar and sub-index,
    one region's drill-down (?region=code), the stages; staff recompute (POST)."""
    indicator_set = get_object_or_404(IndicatorSet, code=code)
    years = value_years()
    year = selected_year(request, years) if years else None
    if request.method == "POST" and year is not None:
        try:
            compute_run(indicator_set, year, user=request.user)
        except ValueError as exc:
            messages.error(request, _("The index could not be computed: %(reason)s") % {
                "reason": exc})  # fmt: skip
        return redirect(f"{request.path}?year={year}")
    run_ = latest_run(indicator_set, year) if year is not None else None
    region = None
    if run_ is not None and request.GET.get("region"):
        region = region_by_code(request.GET["region"])
    context = {
        "set": indicator_set, "year": year, "years": years, "run": run_,
        "table": run_table(run_) if run_ else None,
        "stages": run_stages(run_) if run_ else None,
        "steps": methodology_rows(set_methodology(indicator_set)) if run_ is None else None,
        "region": region,
        "drill": run_drilldown(run_, region) if run_ and region else None,
        "moves": region_sensitivity(indicator_set, year, region) if run_ and region else None,
        "current_version": indicator_set.methodology_version,
        "can_manage": can(request.user, "indicators.manage"),
    }  # fmt: skip
    return render(request, "indicators/set_results.html", context)


@requires("indicators.view")
def set_results_export(request, code: str):
    """The stored result of a year and its stages as a workbook."""
    indicator_set = get_object_or_404(IndicatorSet, code=code)
    years = value_years()
    year = selected_year(request, years) if years else None
    run_ = latest_run(indicator_set, year) if year is not None else None
    if run_ is None:
        messages.error(request, _("No stored result for this year."))
        return redirect("indicators:set_results", code=code)
    return xlsx_response(run_workbook(run_), f"{indicator_set.code}-{year}.xlsx")
