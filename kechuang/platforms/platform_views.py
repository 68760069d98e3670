"""HTML pages of innovation platforms, mounted at /platforms/ (docs/platforms.md#pages)."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core.access import can, requires
from kechuang.core.excel import table_workbook
from kechuang.core.lists import list_page
from kechuang.core.views import xlsx_response
from kechuang.core.years import parse_year, selected_year

from . import platform_selectors as sel
from . import platform_services as svc
from .display import display_links, display_result
from .kpis import kpis_for
from .logic.rulesets import RULE_SETS
from .models import PlatformType, ReportStatus
from .platform_filters import MilestoneFilterSet, PlatformFilterSet, ThreeReturnsFilterSet
from .platform_forms import (
    EvaluationForm,
    EventForm,
    LinkForm,
    MilestoneForm,
    PlatformForm,
    PublishForm,
    ReportForm,
    ReviewForm,
    RoundForm,
    ThreeReturnsForm,
)
from .platform_tables import MilestoneTable, PlatformTable, ThreeReturnsTable


def _form_errors(form, exc: ValidationError) -> None:
    for key, messages_ in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, messages_)


def _simple(request, form, title, *, back=None):
    return render(
        request, "platforms/simple_form.html", {"form": form, "title": title, "back": back}
    )


@requires("platforms.view")
def platform_list(request):
    return list_page(
        request,
        queryset=sel.platforms_for(request.user),
        filterset_class=PlatformFilterSet,
        table_class=PlatformTable,
        template="platforms/platform_list.html",
        title=_("Innovation platforms"),
    )


@requires("platforms.view")
def platform_detail(request, pk):
    platform = sel.platform_for(request.user, pk)
    year = selected_year(request)
    on = dt.date(year, 12, 31)
    regime = request.GET.get("regime")
    regimes = [rs for rs in RULE_SETS.values() if rs.kind == sel.KIND_OF_TYPE.get(platform.kind)]
    if regime not in {rs.regime for rs in regimes}:
        regime = regimes[0].regime if regimes else None
    kpis = kpis_for(platform.kind)
    context = {
        "platform": platform,
        "year": year,
        "regimes": regimes,
        "regime": regime,
        "recognition": display_result(sel.recognition(platform, on, regime=regime))
        if regime
        else None,
        "events": list(platform.events.all()),
        "milestones": list(platform.milestones.all()),
        "today": dt.date.today(),
        "links": display_links(sel.link_rows(platform, on)),
        "kpi_rows": _kpi_rows(platform, kpis, year),
        "reports": list(platform.reports.select_related("round").order_by("-round__year")),
        "evaluations": sel.evaluations_by_year(platform),
        "partners": list(platform.partners.all()),
        "can_manage": can(request.user, "platforms.manage"),
    }
    return render(request, "platforms/platform_detail.html", context)


def _kpi_rows(platform, kpis, year):
    computed = sel.kpi_values(platform, year)
    facts = platform.facts or {}
    return [(k, computed.get(k.code, facts.get(k.code))) for k in kpis]


@requires("platforms.manage")
def platform_edit(request, pk=None):
    platform = sel.platform_for(request.user, pk) if pk else None
    form = PlatformForm(request.POST or None, instance=platform)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        partners = data.pop("partners")
        try:
            platform = svc.platform_save(
                user=request.user, platform=platform, partners=partners, **data
            )
            return redirect(platform.get_absolute_url())
        except ValidationError as exc:
            _form_errors(form, exc)
    return _simple(request, form, _("Platform"))


def _platform_child(request, pk, form_class, service, title):
    platform = sel.platform_for(request.user, pk)
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            service(user=request.user, platform=platform, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(platform.get_absolute_url())
        except ValidationError as exc:
            _form_errors(form, exc)
    return _simple(request, form, f"{platform} · {title}", back=platform.get_absolute_url())


@requires("platforms.manage")
def event_create(request, pk):
    return _platform_child(request, pk, EventForm, svc.event_record, _("Lifecycle step"))


@requires("platforms.manage")
def link_create(request, pk):
    return _platform_child(request, pk, LinkForm, svc.link_save, _("Linked enterprise"))


@requires("platforms.manage")
def milestone_create(request, pk):
    return _platform_child(request, pk, MilestoneForm, svc.milestone_save, _("Milestone"))


@requires("platforms.view")
def milestone_list(request):
    return list_page(
        request,
        queryset=sel.milestones_for(request.user),
        filterset_class=MilestoneFilterSet,
        table_class=MilestoneTable,
        template="platforms/milestone_list.html",
        title=_("Milestones"),
    )


@requires("platforms.view")
def candidate_list(request):
    year = selected_year(request)
    rows = sel.upgrade_candidates(dt.date(year, 12, 31), sel.platforms_for(request.user))
    return render(request, "platforms/candidate_list.html", {"rows": rows, "year": year})


@requires("platforms.report", post="platforms.manage")
def round_list(request):
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.round_open(user=request.user, **form.cleaned_data)
            return redirect("platform_pages:round_list")
        except ValidationError as exc:
            _form_errors(form, exc)
    context = {
        "rounds": sel.rounds(),
        "mine": sel.open_round_platforms(request.user),
        "form": form if can(request.user, "platforms.manage") else None,
    }
    return render(request, "platforms/round_list.html", context)


def _report_table(reports, codes):
    columns = [
        (code, tables.Column(verbose_name=str(label), accessor=f"values__{code}", default="—"))
        for code, label in codes
    ]

    class ReportTable(tables.Table):
        platform = tables.Column(verbose_name=_("Platform"))
        status = tables.Column(verbose_name=_("Status"))

    return ReportTable(reports, extra_columns=columns, orderable=False)


@requires("platforms.manage")
def round_detail(request, pk):
    round_ = sel.round_get(pk)
    reports = sel.reports_in(round_)
    codes = {}
    for r in reports:
        codes.update({k.code: k.label for k in kpis_for(r.platform.kind)})
    if request.GET.get("export") == "xlsx":
        table = _report_table(reports, list(codes.items()))
        title = _("Yearly platform reports %(year)s") % {"year": round_.year}
        return xlsx_response(table_workbook(table, title=title), f"{title}.xlsx")
    return render(
        request,
        "platforms/round_detail.html",
        {"round": round_, "reports": reports, "review_form": ReviewForm()},
    )


@requires("platforms.report")
def report_edit(request, round_pk, platform_pk):
    round_ = sel.round_get(round_pk)
    platform = sel.platform_for(request.user, platform_pk)
    report = svc.report_for(round_, platform)
    form = ReportForm(
        request.POST or None, request.FILES or None, platform=platform, initial_values=report.values
    )
    editable = report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and round_.is_open
    if request.method == "POST" and editable and form.is_valid():
        try:
            report = svc.report_save(
                user=request.user,
                report=report,
                values=form.values(),
                evidence=form.cleaned_data.get("evidence"),
                pledge=form.cleaned_data.get("pledge"),
            )
            if "submit" in request.POST:
                svc.report_submit(user=request.user, report=report)
                messages.success(request, _("The report was submitted to the bureau."))
            else:
                messages.success(request, _("Saved."))
            return redirect(
                "platform_pages:report_edit", round_pk=round_.pk, platform_pk=platform.pk
            )
        except ValidationError as exc:
            _form_errors(form, exc)
    computed = [
        (k, report.values.get(k.code)) for k in kpis_for(platform.kind) if k.source == "computed"
    ]
    return render(
        request,
        "platforms/report_form.html",
        {
            "form": form,
            "report": report,
            "round": round_,
            "platform": platform,
            "computed": computed,
            "editable": editable,
        },
    )


@requires("platforms.manage")
def report_review(request, pk):
    report = sel.report_get(request.user, pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.report_review(
                user=request.user,
                report=report,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect("platform_pages:round_detail", pk=report.round_id)
    if request.method == "POST":
        messages.error(request, _("Choose a decision."))
        return redirect("platform_pages:round_detail", pk=report.round_id)
    return redirect("platform_pages:round_detail", pk=report.round_id)


def _kinds(rows):
    kinds = sorted({r["platform"].kind for r in rows})
    return [(k, PlatformType(k).label) for k in kinds]


@requires("platforms.manage")
def evaluation_list(request):
    year = selected_year(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in PlatformType.values else None
    publish_form = PublishForm(request.POST or None)
    if request.method == "POST" and publish_form.is_valid():
        try:
            notice = svc.evaluations_publish(
                user=request.user,
                year=year,
                kind=request.POST.get("kind", ""),
                window_days=publish_form.cleaned_data["window_days"],
            )
            messages.success(
                request, _("Published for public notice: %(title)s") % {"title": notice.title}
            )
        except ValidationError as exc:
            messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        return redirect(f"{request.path}?year={year}")
    rows = sel.evaluation_rows(year, kind)
    return render(
        request,
        "platforms/evaluation_list.html",
        {
            "year": year,
            "rows": rows,
            "publish_form": publish_form,
            "kinds": _kinds(rows),
            "consequences": svc.CONSEQUENCE_LABELS,
        },
    )


@requires("platforms.manage")
def evaluation_compute(request, pk, year):
    platform = sel.platform_for(request.user, pk)
    year = parse_year(year)
    if year is None:
        raise Http404
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.evaluation_compute(
                user=request.user, platform=platform, year=year, **form.cleaned_data
            )
            messages.success(request, _("Saved."))
            return redirect(f"{reverse('platform_pages:evaluation_list')}?year={year}")
        except ValidationError as exc:
            _form_errors(form, exc)
    return _simple(request, form, f"{platform} · {year} · {_('Evaluation')}")


@requires("platforms.view")
def three_returns_list(request):
    return list_page(
        request,
        queryset=sel.three_returns_for(request.user),
        filterset_class=ThreeReturnsFilterSet,
        table_class=ThreeReturnsTable,
        table_kwargs=lambda rows: {"subsidies": sel.subsidies(rows)},
        template="platforms/three_returns_list.html",
        title=_("Enclave three returns"),
        extra_context={"parameters": sel.subsidy_parameters(selected_year(request))},
    )


@requires("platforms.manage")
def three_returns_create(request):
    form = ThreeReturnsForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.three_returns_save(user=request.user, **form.cleaned_data)
            return redirect("platform_pages:three_returns_list")
        except ValidationError as exc:
            _form_errors(form, exc)
    return _simple(request, form, _("Three-returns record"))
