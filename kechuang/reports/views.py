"""The report page: bureau staff generate the annual report (docx, pdf, xlsx) and download it;
leaders read the list and download; other roles get 403."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import can, requires
from kechuang.core.years import data_years

from .models import Report, ReportFormat
from .selectors import latest_report, report_list
from .services import CONTENT_TYPES, report_create


class ReportForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=ReportFormat.choices)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in reversed(years)]
        if years:
            self.fields["year"].initial = years[-1]


@requires("reports.view", post="reports.generate")
def report_home(request):
    can_generate = can(request.user, "reports.generate")
    years = data_years()
    form = ReportForm(request.POST or None, years=years) if can_generate else None
    if request.method == "POST":
        if not can_generate:
            raise PermissionDenied
        if form.is_valid():
            report = report_create(
                year=form.cleaned_data["year"], fmt=form.cleaned_data["format"], user=request.user
            )
            messages.success(
                request,
                _("Generated %(name)s in %(seconds).2f s.")
                % {"name": report.filename, "seconds": report.duration_ms / 1000},
            )
            return redirect(f"{request.path}?new={report.pk}")
    context = {
        "form": form,
        "can_generate": can_generate,
        "reports": report_list(),
        "latest": latest_report(),
        "new_id": request.GET.get("new"),
    }
    return render(request, "reports/report_home.html", context)


@requires("reports.view")
def report_download(request, pk: int):
    report = get_object_or_404(Report, pk=pk)
    response = HttpResponse(bytes(report.content), content_type=CONTENT_TYPES[report.format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(report.filename)}"
    return response
