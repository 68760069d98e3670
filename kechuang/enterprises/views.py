"""HTML views of the enterprise registry: lists, the enterprise page, yearly-figure editing and
the review of the enterprises' yearly-figure submissions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, check, requires
from kechuang.core.lists import list_page
from kechuang.core.years import data_years, in_window, parse_year, selected_year

from . import policy
from .choices import SubmissionStatus
from .filters import EnterpriseFilterSet, QualificationFilterSet
from .forms import AnnualFigureForm, FigureSubmissionForm, SubmissionReturnForm
from .models import FigureSubmission
from .pages import (
    TierLookup,
    enterprise_for,
    enterprise_rows,
    figures_of,
    file_page,
    open_submission,
    proposes_own_figures,
    registry_figure,
    scoped_qualifications,
    scoped_submissions,
    submission_for,
)
from .services import (
    annual_figure_create,
    annual_figure_update,
    submission_accept,
    submission_return,
    submission_save,
)
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
        return _submission_edit(request, enterprise, year, figure)
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


def _submission_edit(request, enterprise, year, figure):
    submission = open_submission(enterprise, year)
    if submission is not None and not submission.is_editable:
        return redirect("enterprises:submission_detail", pk=submission.pk)
    initial = None
    if submission is None and figure is not None:
        # Prefilled from the registry's figures of that year.
        initial = {name: getattr(figure, name) for name in policy.ENTERPRISE_FIGURE_FIELDS}
    form = FigureSubmissionForm(
        request.POST or None, instance=submission, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            saved = submission_save(
                user=request.user, enterprise=enterprise, year=year, submit=submit, **fields
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            done = (
                _("Your %(year)s figures were submitted for review.")
                if submit
                else _("Draft of your %(year)s figures saved.")
            )
            messages.success(request, done % {"year": year})
            return redirect("enterprises:submission_detail", pk=saved.pk)
    return render(
        request,
        "enterprises/submission_form.html",
        {
            "enterprise": enterprise,
            "year": year,
            "form": form,
            "figure": figure,
            "submission": submission,
        },
    )


# ------------------------------------------------------------------ submission review


# Bureau staff review every submission, a town officer reads its town's, an enterprise its own.
@requires("figure_submissions.view")
def submission_list(request):
    """/enterprises/submissions/?status=&year=: the yearly-figure submissions in the user's
    scope (staff default to those waiting for review)."""
    queryset = scoped_submissions(request.user)
    status = request.GET.get("status")
    if status not in SubmissionStatus.values and status != "all":
        status = (
            SubmissionStatus.SUBMITTED if can(request.user, "figure_submissions.review") else "all"
        )
    if status != "all":
        queryset = queryset.filter(status=status)
    year = parse_year(request.GET.get("year"))
    if year:
        queryset = queryset.filter(year=year)
    rows = queryset.order_by("-updated_at", "-pk")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/submission_list.html",
        {
            "page": page,
            "status": status,
            "year": year,
            "statuses": SubmissionStatus.choices,
            "can_review": can(request.user, "figure_submissions.review"),
        },
    )


def _comparison(submission, figure) -> list[dict]:
    rows = []
    for name in policy.ENTERPRISE_FIGURE_FIELDS:
        proposed = getattr(submission, name)
        current = getattr(figure, name) if figure is not None else None
        rows.append(
            {
                "label": FigureSubmission._meta.get_field(name).verbose_name,
                "proposed": proposed,
                "current": current,
                "changed": proposed != current,
            }
        )
    return rows


@requires("figure_submissions.view")
def submission_detail(request, pk: int):
    """One submission: proposed values beside the registry's, its history, and for bureau
    staff the accept / return actions."""
    submission = submission_for(request.user, pk)
    figure = registry_figure(submission.enterprise_id, submission.year)
    history = [
        {
            "when": h.history_date,
            "user": h.history_user,
            "status": h.get_status_display(),
            "reason": h.history_change_reason,
        }
        for h in submission.history.select_related("history_user").order_by("-history_date")[:50]
    ]
    return render(
        request,
        "enterprises/submission_detail.html",
        {
            "submission": submission,
            "figure": figure,
            "rows": _comparison(submission, figure),
            "can_review": can(request.user, "figure_submissions.review")
            and submission.status == SubmissionStatus.SUBMITTED,
            "can_edit": proposes_own_figures(request.user) and submission.is_editable,
            "return_form": SubmissionReturnForm(),
            "history": history,
        },
    )


@requires("figure_submissions.review")
@require_POST
def submission_review(request, pk: int):
    """POST action=accept, or action=return with a reason (bureau staff)."""
    submission = submission_for(request.user, pk)
    action = request.POST.get("action")
    if action not in ("accept", "return"):
        raise Http404
    form = SubmissionReturnForm(request.POST)
    try:
        if action == "accept":
            submission_accept(submission=submission, user=request.user)
            messages.success(request, _("Submission accepted; the yearly figures are updated."))
        elif form.is_valid():
            submission_return(
                submission=submission, user=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Submission returned to the enterprise."))
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("enterprises:submission_detail", pk=submission.pk)
