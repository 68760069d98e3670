"""HTML views of the enterprise registry: lists, the enterprise page and yearly-figure editing
(the enterprise's own submissions and their review are the portal's: portal_views.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kechuang.core.access import can, check, requires
from kechuang.core.lists import list_page
from kechuang.core.years import data_years, in_window, selected_year

from .filters import EnterpriseFilterSet, QualificationFilterSet
from .forms import AnnualFigureForm
from .pages import (
    TierLookup,
    enterprise_for,
    enterprise_rows,
    figures_of,
    file_page,
    scoped_qualifications,
)
from .services import annual_figure_create, annual_figure_update
from .tables import EnterpriseTable, QualificationTable


def _list_year(request) -> int:
    return selected_year(request, data_years())


@requires("enterprise.list")
def enterprise_list(request):
    year = _list_year(request)
    export = request.GET.get("export_entity", "enterprises")
    return list_page(
        request,
        queryset=enterprise_rows(request.user, year),
        filterset_class=EnterpriseFilterSet,
        table_class=EnterpriseTable,
        template="enterprises/enterprise_list.html",
        export_schema="annual_figures" if export == "annual_figures" else "enterprises",
        export_queryset=(lambda rows: figures_of(rows, year))
        if export == "annual_figures"
        else None,
        table_kwargs=lambda rows: {"tiers_by_enterprise": TierLookup(year)},
        extra_context={"year": year},
        title=_("Enterprises"),
        selectable=True,
    )


@requires("qualification.list")
def qualification_list(request):
    return list_page(
        request,
        queryset=scoped_qualifications(request.user),
        filterset_class=QualificationFilterSet,
        table_class=QualificationTable,
        template="enterprises/qualification_list.html",
        export_schema="qualifications",
        title=_("Qualifications"),
    )


@requires("enterprise.view")
def enterprise_detail(request, pk: int):
    """The enterprise file (一企一档, docs/enterprise-file.md): the panels of every module the
    viewer may see and one timeline (?module= keeps one module's events)."""
    enterprise = enterprise_for(request.user, pk)
    context = file_page(enterprise, request.user, module=request.GET.get("module"))
    return render(request, "enterprises/enterprise_detail.html", context)


@requires("figures.change")
def annual_figure_edit(request, pk: int, year: int):
    """Bureau staff edit one year's figures of the registry; the enterprise itself fills in a
    submission for that year instead (暂存 saves a draft, 提交 sends it for review)."""
    enterprise = enterprise_for(request.user, pk)
    check(request, "figures.change")
    if not in_window(year):
        raise Http404
    figure = enterprise.annual_figures.filter(year=year).first()
    if not can(request.user, "enterprise.change"):  # the enterprise proposes a submission
        return redirect("enterprises:portal_fill", year=year)
    # Fields the role may not set are disabled (policy.py): their posted values are ignored.
    form = AnnualFigureForm(request.POST or None, instance=figure, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if not form.fields[name].disabled
        }
        try:
            if figure is None:
                annual_figure_create(user=request.user, enterprise=enterprise, year=year, **fields)
            else:
                annual_figure_update(figure=figure, user=request.user, **fields)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return redirect(enterprise.get_absolute_url() + "#figures")
    return render(
        request,
        "enterprises/annual_figure_form.html",
        {"enterprise": enterprise, "year": year, "form": form, "figure": figure},
    )


def _add_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)
