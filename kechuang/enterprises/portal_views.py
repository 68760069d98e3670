"""HTML views of the enterprise portal (docs/portal.md): the enterprise's submissions by year,
the yearly-figure form with its documents, the review pages of the town officer and the bureau,
and the enterprise's colleagues with their invitations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires
from kechuang.core.years import in_window, parse_year

from . import portal_pages as pages
from . import portal_services, submissions
from .choices import SubmissionStatus
from .pages import (
    open_submission,
    own_enterprise,
    proposes_own_figures,
    scoped_submissions,
    submission_for,
)
from .portal_forms import (
    AttachmentForm,
    InvitationAcceptForm,
    InvitationForm,
    PortalFigureForm,
    ReviewForm,
)

DONE = {
    "town_pass": gettext_lazy("Passed on to the bureau's review."),
    "town_return": gettext_lazy("Returned to the enterprise."),
    "return": gettext_lazy("Returned to the enterprise."),
    "accept": gettext_lazy("Submission accepted; the yearly figures are updated."),
}


def _enterprise(request):
    enterprise = own_enterprise(request.user)
    if enterprise is None:
        raise Http404
    return enterprise


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@requires("portal.view")
def portal_home(request):
    """/enterprises/portal/: my yearly submissions with status and deadline."""
    enterprise = _enterprise(request)
    context = {
        "enterprise": enterprise,
        "years": pages.portal_years(enterprise),
        "is_admin": portal_services.is_enterprise_admin(request.user),
    }
    return render(request, "enterprises/portal/home.html", context)


@requires("figure_submissions.fill")
def portal_fill(request, year: int):
    """/enterprises/portal/<year>/: the figures of one year (暂存 saves, 提交 submits)."""
    enterprise = _enterprise(request)
    if not in_window(year):
        raise Http404
    submission = open_submission(enterprise, year)
    if submission is not None and submission.status not in (
        SubmissionStatus.DRAFT,
        SubmissionStatus.RETURNED,
    ):
        return redirect("enterprises:submission_detail", pk=submission.pk)
    figure, previous = pages.registry_figures(enterprise.pk, year)
    compare = pages.comparison_rows(submission, figure, previous)
    initial = pages.starting_values(figure, previous) if submission is None else None
    form = PortalFigureForm(
        request.POST or None,
        instance=submission,
        initial=initial,
        user=request.user,
        hints={r["name"]: r for r in compare["rows"]},
    )
    if request.method == "POST" and form.is_valid():
        done = _save_figures(request, form, enterprise, year)
        if done is not None:
            return done
    context = {
        "enterprise": enterprise,
        "year": year,
        "form": form,
        "submission": submission,
        "compare": compare,
        "deadline": pages.submission_deadline(year),
        "attachments": list(submission.attachments.all()) if submission else [],
        "attachment_form": AttachmentForm(),
    }
    return render(request, "enterprises/portal/fill.html", context)


def _save_figures(request, form, enterprise, year: int):
    """Save (暂存) or submit (提交) the posted figures; the redirect, or None with the service's
    field errors added to the form."""
    submit = "submit" in request.POST
    fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        saved = submissions.submission_save(
            user=request.user, enterprise=enterprise, year=year, submit=submit, **fields
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None
    if submit:
        messages.success(
            request, _("Your %(year)s figures were submitted for review.") % {"year": year}
        )
        return redirect("enterprises:submission_detail", pk=saved.pk)
    messages.success(request, _("Draft of your %(year)s figures saved.") % {"year": year})
    return redirect("enterprises:portal_fill", year=year)


@requires("figure_submissions.fill")
@require_POST
def attachment_upload(request, year: int):
    """Add a document to the year's submission (a draft is started when there is none)."""
    enterprise = _enterprise(request)
    if not in_window(year):
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("enterprises:portal_fill", year=year)
    try:
        submission = open_submission(enterprise, year) or submissions.submission_save(
            user=request.user, enterprise=enterprise, year=year
        )
        submissions.attachment_add(
            submission=submission,
            user=request.user,
            file=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Document added."))
    return redirect(reverse("enterprises:portal_fill", kwargs={"year": year}) + "#documents")


@requires("figure_submissions.fill")
@require_POST
def attachment_delete(request, pk: int):
    attachment = pages.attachment_for(request.user, pk)
    year = attachment.submission.year
    try:
        submissions.attachment_delete(attachment=attachment, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(reverse("enterprises:portal_fill", kwargs={"year": year}) + "#documents")


@requires("figure_submissions.attachment")
@never_cache
def attachment_download(request, pk: int):
    """A submission's document, for those who see the submission (others 404); always a
    download, never rendered by the browser."""
    attachment = pages.attachment_for(request.user, pk)
    try:
        handle = attachment.file.open("rb")
    except (OSError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=attachment.name)
    response["Content-Type"] = "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------ review


@requires("figure_submissions.view")
def submission_list(request):
    """/enterprises/submissions/?status=&year=: the submissions in the user's scope; a reviewer
    starts on those waiting for their own step."""
    queue = request.GET.get("status") in (None, "", "queue")
    reviewer = can(request.user, "figure_submissions.decide")
    if queue and reviewer:
        rows, status = pages.review_queue(request.user), "queue"
    else:
        rows, status = scoped_submissions(request.user), request.GET.get("status", "all")
        if status in SubmissionStatus.values:
            rows = rows.filter(status=status)
        else:
            status = "all"
    year = parse_year(request.GET.get("year"))
    if year:
        rows = rows.filter(year=year)
    page = Paginator(rows.order_by("-updated_at", "-pk"), 25).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "status": status,
        "year": year,
        "statuses": SubmissionStatus.choices,
        "reviewer": reviewer,
    }
    return render(request, "enterprises/submission_list.html", context)


@requires("figure_submissions.view")
def submission_detail(request, pk: int, review_form=None):
    """One submission beside the registry, its official source and last year; its documents and
    history; the review form for the town officer or the bureau, when it is their step."""
    submission = submission_for(request.user, pk)
    figure, previous = pages.registry_figures(submission.enterprise_id, submission.year)
    context = {
        "submission": submission,
        "compare": pages.comparison_rows(submission, figure, previous),
        "actions": pages.review_actions(request.user, submission),
        "review_form": review_form or ReviewForm(),
        "can_edit": proposes_own_figures(request.user)
        and can(request.user, "figure_submissions.fill")
        and submission.is_editable,
        "attachments": list(submission.attachments.all()),
        "history": pages.history_rows(submission),
    }
    return render(request, "enterprises/submission_detail.html", context)


@requires("figure_submissions.decide")
@require_POST
def submission_review(request, pk: int):
    """POST action=town_pass | town_return (the town officer), accept | return (the bureau);
    a return needs a reason, an accept over official figures the confirmation box."""
    submission = submission_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        raise Http404
    action, data = form.cleaned_data["action"], form.cleaned_data
    user = request.user
    try:
        if action == "town_pass":
            submissions.submission_town_pass(submission=submission, user=user)
        elif action == "town_return":
            submissions.submission_town_return(
                submission=submission, user=user, reason=data["reason"]
            )
        elif action == "return":
            submissions.submission_return(submission=submission, user=user, reason=data["reason"])
        else:
            submissions.submission_accept(
                submission=submission, user=user, confirm_official=data["confirm_official"]
            )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        messages.error(request, _errors(exc))
        return submission_detail(request, pk, review_form=form)
    messages.success(request, DONE[action])
    return redirect("enterprises:submission_detail", pk=submission.pk)


# ------------------------------------------------------------------ colleagues


@requires("portal.colleagues")
def colleagues(request):
    """/enterprises/portal/colleagues/: the enterprise's accounts; its administrator invites
    (POST) and sees the one-time link once."""
    enterprise = _enterprise(request)
    is_admin = portal_services.is_enterprise_admin(request.user)
    form = InvitationForm(request.POST or None)
    link = None
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                invitation, key = portal_services.invitation_create(
                    user=request.user,
                    link_for=lambda k: request.build_absolute_uri(_join_url(k)),
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                link = request.build_absolute_uri(_join_url(key))
                form = InvitationForm()
    context = {
        "enterprise": enterprise,
        "is_admin": is_admin,
        "rows": pages.colleague_rows(enterprise),
        "invitations": pages.open_invitations(enterprise) if is_admin else [],
        "form": form,
        "link": link,
    }
    response = render(request, "enterprises/portal/colleagues.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _join_url(key: str) -> str:
    return reverse("enterprises:invitation_accept", kwargs={"key": key})


@requires("portal.colleagues")
@require_POST
def colleague_deactivate(request, user_id: int):
    colleague = next(
        (r["user"] for r in pages.colleague_rows(_enterprise(request)) if r["user"].pk == user_id),
        None,
    )
    if colleague is None:
        raise Http404
    try:
        portal_services.colleague_deactivate(user=request.user, colleague=colleague)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The colleague's account is deactivated."))
    return redirect("enterprises:portal_colleagues")


@requires("portal.colleagues")
@require_POST
def invitation_withdraw(request, pk: int):
    invitation = next((i for i in pages.open_invitations(_enterprise(request)) if i.pk == pk), None)
    if invitation is None:
        raise Http404
    try:
        portal_services.invitation_withdraw(user=request.user, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("enterprises:portal_colleagues")


@never_cache
def invitation_accept(request, key: str):
    """The one-time invitation link (no sign-in): choose a user name and a password."""
    invitation = portal_services.invitation_for_key(key)
    if invitation is None:
        response = render(request, "enterprises/portal/join.html", {"invalid": True}, status=404)
        response["Referrer-Policy"] = "no-referrer"
        return response
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            portal_services.invitation_accept(
                key=key,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your account is ready. Sign in with it."))
            return redirect("accounts:login")
    context = {"invitation": invitation, "form": form, "invalid": False}
    response = render(request, "enterprises/portal/join.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response
