"""The dashboard of the home region for a chosen year.

Every figure is computed on the scope the access policy gives the user for "dashboard.view":
the whole region for bureau staff and leaders, the officer's town for a town officer, so each
card equals the count of the list it links to (which applies the same scope)."""

from __future__ import annotations

from django.shortcuts import redirect, render

from kechuang.core.access import requires
from kechuang.core.years import data_years, selected_year

from .selectors import dashboard_context


@requires("home.view")
def landing(request):
    """/: every role lands on its own workbench (docs/workbench.md#landing-page)."""
    return redirect("workbench:home")


@requires("dashboard.view")
def home(request):
    """/dashboard/: the region's (or the officer's town's) innovation dashboard."""
    years = data_years()
    context = dashboard_context(request.user, selected_year(request, years), years)
    return render(request, "dashboard/home.html", context)
