"""The report's wording, edited by bureau staff: the list of editable paragraphs
(/reports/templates/) and the edit page of one paragraph with a preview on the figures of a
chosen year and the history of its versions. Other roles get 403."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kechuang.core.access import requires
from kechuang.core.years import data_years

from .forms import ParagraphForm
from .models import ReportParagraph
from .paragraphs import PARAGRAPHS, PLACEHOLDERS, paragraph_spec
from .services import (
    report_paragraph_preview,
    report_paragraph_save,
    report_paragraphs_seed,
)

__all__ = ["paragraph_list", "paragraph_edit"]


@requires("reports.generate")
def paragraph_list(request):
    report_paragraphs_seed()
    stored = {p.key: p for p in ReportParagraph.objects.select_related("updated_by__profile")}
    groups: dict[str, list] = {}
    for spec in PARAGRAPHS:
        groups.setdefault(spec.section, []).append({"spec": spec, "row": stored.get(spec.key)})
    return render(request, "reports/paragraph_list.html", {"groups": groups})


@requires("reports.generate")
def paragraph_edit(request, key: str):
    spec = paragraph_spec(key)
    if spec is None:
        raise Http404
    report_paragraphs_seed()
    paragraph = ReportParagraph.objects.get(key=key)
    years = data_years()
    year = years[-1] if years else None
    requested = request.POST.get("year") or request.GET.get("year")
    if requested and requested.isdigit() and int(requested) in years:
        year = int(requested)
    form = ParagraphForm(request.POST or None, initial={"text": paragraph.text})
    preview = None
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        if request.POST.get("action") == "save":
            saved = report_paragraph_save(key=key, text=text, user=request.user)
            messages.success(
                request,
                _("Saved “%(label)s” as version %(version)s.")
                % {"label": spec.label, "version": saved.version},
            )
            return redirect("reports:paragraph_list")
        if year is not None:
            preview = report_paragraph_preview(key=key, text=text, year=year)
    elif request.method == "GET" and year is not None:
        preview = report_paragraph_preview(key=key, text=paragraph.text, year=year)
    history = paragraph.history.select_related("history_user__profile").order_by(
        "-history_date", "-history_id"
    )[:50]
    context = {
        "spec": spec,
        "paragraph": paragraph,
        "form": form,
        "preview": preview,
        "year": year,
        "years": list(reversed(years)),
        "placeholders": PLACEHOLDERS.values(),
        "history": history,
    }
    return render(request, "reports/paragraph_edit.html", context)
