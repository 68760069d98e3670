"""The dashboard of the home region for a chosen year.

Every figure is computed on the scope the access policy gives the user for "dashboard.view":
the whole region for bureau staff and leaders, the officer's town for a town officer, so each
card equals the count of the list it links to (which applies the same scope)."""

from __future__ import annotations

from django.shortcuts import redirect, render

from kechuang.core.access import can, requires
from kechuang.core.years import data_years, selected_year

from .selectors import dashboard_context, landing_enterprise_id


@requires("home.view")
def home(request):
    user = request.user
    enterprise_id = landing_enterprise_id(user)
    if enterprise_id:
        return redirect("enterprises:enterprise_detail", pk=enterprise_id)
    if not can(user, "dashboard.view"):
        return render(request, "dashboard/no_dashboard.html")
    years = data_years()
    context = dashboard_context(user, selected_year(request, years), years)
    return render(request, "dashboard/home.html", context)
