"""Programme pages: public calls, the enterprise's application, the formal check, the expert's
seats, the call's review and decisions, projects with contract, tranches, investment and
reports, the portfolio. Views parse input and call one service or selector."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires

from . import forms, pages, selectors, services
from .choices import CallStatus
from .models import Call, ProgrammeType

PAGE = "programmes/"


def _errors(request, exc: ValidationError, form=None) -> None:
    """Show a service's ValidationError beside the fields (or as a page message)."""
    if hasattr(exc, "error_dict") and form is not None:
        for field, errs in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        for msg in exc.messages:
            messages.error(request, msg)


# ------------------------------------------------------------------ public


def call_list(request):
    manage = request.user.is_authenticated and can(request.user, "programmes.manage")
    calls = selectors.calls_managed() if manage else selectors.public_calls()
    return render(request, PAGE + "call_list.html", {"calls": calls, "can_manage": manage})


def call_detail(request, pk):
    call = selectors.call_for(request.user, pk)
    return render(request, PAGE + "call_detail.html", pages.call_context(request.user, call))


@requires("programmes.manage")
def call_new(request):
    return _call_form(request, Call(status=CallStatus.DRAFT))


@requires("programmes.manage")
def call_edit(request, pk):
    return _call_form(request, selectors.call_for(request.user, pk))


def _call_form(request, call):
    form = forms.CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_save(
                call=form.save(commit=False), topics=form.cleaned_data["topics"], user=request.user
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Call saved."))
            return redirect("programmes:call_review", call.pk)
    return render(request, PAGE + "call_form.html", {"form": form, "call": call})


# ------------------------------------------------------------------ programme types


@requires("programmes.manage")
def type_list(request):
    return render(request, PAGE + "type_list.html", {"types": selectors.programme_types()})


@requires("programmes.manage")
def type_new(request):
    return _type_form(request, ProgrammeType())


@requires("programmes.manage")
def type_edit(request, pk):
    return _type_form(request, selectors.programme_type_get(pk))


def _type_form(request, ptype):
    ctx, saved = pages.type_form_handle(request, ptype)
    if saved:
        return redirect("programmes:type_edit", ctx["ptype"].pk)
    return render(request, PAGE + "type_form.html", ctx)


# ------------------------------------------------------------------ home and applications


@requires("programmes.view")
def home(request):
    if can(request.user, "programmes.review"):  # an expert: their review seats
        return redirect("programmes:review_list")
    if not can(request.user, "programmes.applications"):  # the leader: the portfolio figures
        return redirect("programmes:portfolio")
    return render(request, PAGE + "home.html", pages.home_context(request.user))


@requires("programmes.applications")
def application_list(request):
    return render(request, PAGE + "application_list.html", pages.application_list_context(request))


@requires("programmes.apply")
@require_POST
def application_new(request, pk):
    call = selectors.public_call(pk)
    try:
        app = services.application_create(
            call=call, enterprise=request.user.profile.enterprise, user=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(call.get_absolute_url())
    return redirect("programmes:application_edit", app.pk)


@requires("programmes.apply")
def application_edit(request, pk):
    app = selectors.application_for(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form, rows = pages.application_forms(app, data)
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in rows.values()):
        try:
            services.application_save(
                application=app,
                data={**pages.form_values(form), **forms.rows_cleaned(rows)},
                version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.StaleEdit:
            messages.error(
                request,
                _(
                    "Someone else saved this draft after you opened it. Your input is kept below: "
                    "copy what you need, reload the page and apply it again."
                ),
            )
        except ValidationError as exc:
            _errors(request, exc, form)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("programmes:application_edit", app.pk)
    ctx = {"app": app, "form": form, "rows": rows, "attachment_form": forms.AttachmentForm()}
    return render(request, PAGE + "application_edit.html", ctx)


@requires("programmes.apply")
def partner_search(request):
    """The registry names matching what the applicant types in a partner field (the options of
    the field's list)."""
    text = request.GET.get("q") or next(
        (v for k, v in request.GET.items() if k.endswith("-name")), ""
    )
    options = selectors.partner_candidates(text)
    return render(request, PAGE + "_partner_options.html", {"options": options})


@requires("programmes.view")
def application_detail(request, pk):
    app = selectors.application_for(request.user, pk)
    return render(
        request, PAGE + "application_detail.html", pages.application_context(request, app)
    )


@requires("programmes.view")
@require_POST
def application_action(request, pk, action):
    app = selectors.application_for(request.user, pk)
    try:
        pages.application_act(request, app, action)
    except ValidationError as exc:
        _errors(request, exc)
    except PermissionDenied:
        messages.error(request, _("You may not take this step."))
    return redirect(app.get_absolute_url())


@requires("programmes.view")
def application_pdf(request, pk):
    app = selectors.application_for(request.user, pk)
    if not app.tracking_number:
        raise Http404
    if app.submitted_pdf:
        return FileResponse(
            app.submitted_pdf.open("rb"),
            filename=f"{app.tracking_number}.pdf",
            content_type="application/pdf",
        )
    response = HttpResponse(services.submitted_pdf(app), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{app.tracking_number}.pdf"'
    return response


# ------------------------------------------------------------------ expert review


@requires("programmes.review")
def review_list(request):
    return render(
        request, PAGE + "review_list.html", {"seats": selectors.expert_assignments(request.user)}
    )


@requires("programmes.review")
def assignment_detail(request, pk):
    seat = selectors.expert_assignment(request.user, pk)
    ctx, done = pages.assignment_handle(request, seat)
    if done:
        return (
            redirect("programmes:assignment_detail", seat.pk)
            if seat.status != "recused"
            else redirect("programmes:review_list")
        )
    return render(request, PAGE + "assignment_detail.html", ctx)


# ------------------------------------------------------------------ staff: the call's review


@requires("programmes.manage")
def call_review(request, pk):
    call = selectors.call_for(request.user, pk)
    if request.method == "POST":
        try:
            pages.call_review_act(request, call)
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You may not take this step."))
        return redirect("programmes:call_review", call.pk)
    return render(request, PAGE + "call_review.html", pages.call_review_context(call))


# ------------------------------------------------------------------ projects


@requires("programmes.applications")
def project_list(request):
    return render(request, PAGE + "project_list.html", pages.project_list_context(request))


@requires("programmes.applications")
def project_detail(request, pk):
    project = pages.project_for(request.user, pk)
    if request.method == "POST":
        try:
            pages.project_act(request, project)
        except ValidationError as exc:
            _errors(request, exc)
        except PermissionDenied:
            messages.error(request, _("You may not take this step."))
        return redirect(project.get_absolute_url())
    return render(request, PAGE + "project_detail.html", pages.project_context(request, project))


@requires("programmes.applications")
def contract_pdf(request, pk):
    project = pages.project_for(request.user, pk)
    data = services.contract_pdf(project=project)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{project.number}.pdf"'
    return response


@requires("programmes.applications")
def report_detail(request, pk):
    report = pages.report_for(request.user, pk)
    ctx, done = pages.report_handle(request, report)
    if done:
        return redirect(report.project.get_absolute_url())
    return render(request, PAGE + "report_detail.html", ctx)


DUE_DAYS = 60  # the due-reports page: overdue or due within 60 days (docs/programmes.md)


@requires("programmes.applications", post="programmes.manage")
def due_reports(request):
    if request.method == "POST":
        sent = services.reminders_send(days_ahead=DUE_DAYS)
        messages.success(request, _("%(n)s reminders sent.") % {"n": sent})
        return redirect("programmes:due_reports")
    today = timezone.localdate()
    ctx = {
        "reports": selectors.due_reports(today=today, days_ahead=DUE_DAYS, user=request.user),
        "today": today,
        "days": DUE_DAYS,
        "can_remind": can(request.user, "programmes.manage"),
    }
    return render(request, PAGE + "due_reports.html", ctx)


@requires("programmes.portfolio")
def portfolio(request):
    return render(request, PAGE + "portfolio.html", pages.portfolio_context(request))


@requires("programmes.applications")
def investments(request):
    return render(request, PAGE + "investments.html", pages.investments_context(request.user))


@requires("programmes.notifications")
def notifications(request):
    ctx = {
        "items": pages.notifications_for(request.user),
        "can_apply": can(request.user, "programmes.apply"),
    }
    return render(request, PAGE + "notifications.html", ctx)
