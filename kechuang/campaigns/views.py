"""HTML views of campaigns, visit tasks, coverage and service agencies.

Each view: check the role, call a selector or service, render. Reads start from the scoped
selectors (`VisitTask.objects.for_user`, `campaign_list`, `delegation_list`, ...), so rows
outside the user's scope answer 404.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires
from kechuang.core.filters import db_int_or_none
from kechuang.core.lists import list_page
from kechuang.enterprises.constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR

from . import selectors, services
from .attachments import CONTENT_TYPES, extension
from .choices import CampaignKind, SubmissionStatus, TargetKind, TaskState
from .constants import DEFAULT_DUE_DAYS
from .filters import CampaignFilterSet, VisitTaskFilterSet
from .forms import (
    AgencyForm,
    AttendanceForm,
    CampaignConfirmForm,
    CampaignForm,
    ContactForm,
    DelegationForm,
    RDSubmissionForm,
    ReassignForm,
    ServicePackageForm,
    VisitRecordForm,
)
from .logic.targets import FilterSpecError, normalise_filter_spec
from .logic.workflow import allowed_targets, default_due_date
from .models import (
    Agency,
    Campaign,
    VisitTask,
    describe_target_spec,
)
from .tables import STATE_BADGES, CampaignTable, VisitTaskTable

# The campaign kind a saved filter suggests when a list posts it without one.
KIND_FOR_TARGET = {
    TargetKind.ZERO_RD: CampaignKind.ZERO_DECLARATION,
    TargetKind.ABOVE_SCALE: CampaignKind.DIAGNOSIS,
}


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _tabs(request, active: str) -> list[dict]:
    tabs = [
        ("campaign_list", _("Campaigns"), "campaigns.work"),
        ("task_list", _("Visit tasks"), "campaigns.work"),
        ("coverage", _("Coverage"), "coverage.view"),
        ("agency_list", _("Service agencies"), "agencies.view"),
        ("delegation_list", _("Delegations"), "delegations.view"),
        ("submission_list", _("R&D submissions"), "submissions.view"),
    ]
    return [
        {"url": reverse(f"campaigns:{name}"), "label": label, "active": name == active}
        for name, label, capability in tabs
        if can(request.user, capability)
    ]


def _render(request, template, context, active, status=200):
    return render(request, template, {**context, "tabs": _tabs(request, active)}, status=status)


# ------------------------------------------------------------------ campaigns


@requires("campaigns.entry")
def campaign_list(request):
    if not can(request.user, "campaigns.work"):
        # The leader follows the visits on the coverage page, an enterprise its delegations.
        if can(request.user, "coverage.view"):
            return redirect("campaigns:coverage")
        return redirect("campaigns:delegation_list")
    return list_page(
        request,
        queryset=selectors.campaign_list(request.user),
        filterset_class=CampaignFilterSet,
        table_class=CampaignTable,
        template="campaigns/campaign_list.html",
        extra_context={
            "tabs": _tabs(request, "campaign_list"),
            "can_create": can(request.user, "campaigns.manage"),
        },
    )


@requires("campaigns.manage")
def campaign_create(request):
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                user=request.user,
                name=data["name"],
                kind=data["kind"],
                target_spec=form.target_spec(),
                due_date=data["due_date"],
                description=data["description"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return _created(request, campaign)
    return _render(request, "campaigns/campaign_form.html", {"form": form}, "campaign_list")


def _created(request, campaign):
    n = campaign.tasks.count()
    unassigned = campaign.tasks.filter(assignee__isnull=True).count()
    messages.success(
        request,
        _("Campaign created with %(n)s visit tasks (%(u)s without a town officer).")
        % {"n": n, "u": unassigned},
    )
    return redirect(campaign)


@requires("campaigns.manage")
@require_POST
def campaign_create_from_filter(request):
    """From a list (e.g. the zero-R&D list), in two steps. The list posts its saved filter as
    form fields (kind, year, town, industry, contradiction_only): the answer is a confirm page
    that asks for the campaign's name, kind, due date and description and shows how many tasks
    it will create, per town and town officer. Posting that page with `confirm` creates the
    campaign and its tasks."""
    try:
        spec = normalise_filter_spec(
            request.POST, first_year=FIRST_REPORTING_YEAR, last_year=LAST_REPORTING_YEAR
        )
    except FilterSpecError as exc:
        return _render(
            request,
            "campaigns/campaign_form.html",
            {"form": CampaignForm(), "spec_errors": _spec_messages(exc.errors)},
            "campaign_list",
            status=400,
        )
    if "confirm" in request.POST:
        form = CampaignConfirmForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                campaign = services.campaign_create(
                    user=request.user,
                    name=data["name"],
                    kind=data["campaign_kind"],
                    target_spec=spec,
                    due_date=data["due_date"],
                    description=data["description"],
                )
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return _created(request, campaign)
    else:
        form = CampaignConfirmForm(initial=_confirm_initial(request, spec))
    context = {
        "form": form,
        "spec": spec,
        "reason": describe_target_spec(spec),
        "preview": selectors.campaign_preview(spec, request.user),
        "back_url": _list_url(spec),
        # Campaigns already on the same list: a second one would double every visit.
        "same_list": list(
            selectors.campaign_list(request.user)
            .filter(target_spec=spec)
            .order_by("-created_at")[:5]
        ),
    }
    status = 400 if form.is_bound and form.errors else 200
    return _render(request, "campaigns/campaign_confirm.html", context, "campaign_list", status)


def _list_url(spec: dict) -> str:
    """The list the saved filter came from (the zero-R&D list with its filter), else the
    campaign list."""
    if spec["kind"] != TargetKind.ZERO_RD:
        return reverse("campaigns:campaign_list")
    query = {k: spec[k] for k in ("year", "town", "industry") if spec.get(k)}
    if spec.get("contradiction_only"):
        query["contradiction_only"] = "true"
    try:
        return f"{reverse('rnd:zero_rd_list')}?{urlencode(query)}"
    except NoReverseMatch:
        return reverse("campaigns:campaign_list")


def _spec_messages(errors: dict) -> dict:
    """A saved filter's field errors in words: field label → message."""
    labels = {
        "kind": _("Target set"),
        "year": _("Data year"),
        "town": _("Town/street"),
        "industry": _("Industry division"),
        "contradiction_only": _("Contradictions only"),
        "target_spec": _("Target set"),
    }
    known = {
        "unknown target kind": _("not a known target set"),
        "not a whole number": _("not a whole number"),
        "required": _("required"),
        "not true or false": _("neither yes nor no"),
        "a 2-digit industry division code": _("not a two-digit industry division code"),
    }
    out = {}
    for field, error in errors.items():
        text = str(error[0] if isinstance(error, list) else error)
        if text.startswith("must be between"):
            detail = _("outside the years with figures")
        else:
            detail = known.get(text, _("cannot be used"))
        out[labels.get(field, _("Target set"))] = detail
    return out


def _confirm_initial(request, spec: dict) -> dict:
    """The confirm form's proposals: a name after the list, the kind the list suggests, the
    default due date."""
    kind = request.POST.get("campaign_kind") or KIND_FOR_TARGET[spec["kind"]]
    if kind not in CampaignKind.values:
        kind = KIND_FOR_TARGET[spec["kind"]]
    label = (
        _("Zero-R&D contradiction visits %(year)s")
        if spec.get("contradiction_only")
        else (
            _("Zero-R&D visits %(year)s")
            if spec["kind"] == TargetKind.ZERO_RD
            else _("Diagnosis of above-scale enterprises %(year)s")
        )
    )
    name = (request.POST.get("name") or "").strip()[:128] or label % {"year": spec["year"]}
    try:
        due = dt.date.fromisoformat(request.POST.get("due_date", ""))
    except ValueError:
        due = default_due_date(dt.date.today(), DEFAULT_DUE_DAYS)
    return {"name": name, "campaign_kind": kind, "due_date": due}


def _campaign_for_user(request, pk) -> Campaign:
    qs = selectors.campaign_list(request.user)
    campaign = qs.filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@requires("campaigns.work")
def campaign_detail(request, pk: int):
    campaign = _campaign_for_user(request, pk)
    tasks = selectors.task_list(request.user).filter(campaign=campaign)
    attendance_form = None
    if campaign.kind == CampaignKind.TRAINING and can(request.user, "campaigns.attendance"):
        attendance_form = AttendanceForm(
            enterprises=selectors.campaign_enterprises(request.user, campaign).order_by("name")
        )
    attended = (
        selectors.campaign_attended(request.user, campaign)
        if campaign.kind == CampaignKind.TRAINING
        else None
    )
    return list_page(
        request,
        queryset=tasks,
        filterset_class=VisitTaskFilterSet,
        table_class=VisitTaskTable,
        template="campaigns/campaign_detail.html",
        table_kwargs=lambda rows: {
            "group_counts": lambda page: selectors.month_group_counts(page, request.user)
        },
        extra_context={
            "campaign": campaign,
            "tabs": _tabs(request, "campaign_list"),
            "coverage_rows": selectors.coverage(tasks, by="town"),
            "attendance_form": attendance_form,
            "attended": attended,
        },
    )


@requires("campaigns.attendance")
@require_POST
def campaign_attendance(request, pk: int):
    campaign = _campaign_for_user(request, pk)
    enterprises = selectors.campaign_enterprises(request.user, campaign)
    form = AttendanceForm(request.POST, enterprises=enterprises)
    if form.is_valid():
        try:
            n = services.training_attendance_record(
                campaign=campaign,
                user=request.user,
                enterprise_ids=form.cleaned_data["enterprises"],
                session_date=form.cleaned_data["session_date"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s attendances recorded.") % {"n": n})
    else:
        messages.error(request, _("Choose a date and at least one enterprise."))
    return redirect(campaign)


# ------------------------------------------------------------------ tasks


@requires("campaigns.work")
def task_list(request):
    return list_page(
        request,
        queryset=selectors.task_list(request.user),
        filterset_class=VisitTaskFilterSet,
        table_class=VisitTaskTable,
        template="campaigns/task_list.html",
        table_kwargs=lambda rows: {
            "group_counts": lambda page: selectors.month_group_counts(page, request.user)
        },
        extra_context={"tabs": _tabs(request, "task_list")},
    )


def _task_for_user(request, pk) -> VisitTask:
    return selectors.task_for(request.user, pk)


@requires("campaigns.work")
def task_detail(
    request, pk: int, visit_form=None, reassign_form=None, contact_form=None, status=200
):
    task = _task_for_user(request, pk)
    group = selectors.task_group(task, request.user)
    actors = services.task_actors(task, request.user)
    workable = [t for t in group[1:] if services.task_actors(t, request.user)]
    can_visit = bool(actors) and task.state != TaskState.CLOSED
    if visit_form is None and can_visit:
        visit_form = VisitRecordForm(siblings=workable)
    if reassign_form is None and can(request.user, "campaigns.manage"):
        reassign_form = ReassignForm(
            initial={"assignee": task.assignee_id, "due_date": task.due_date}
        )
    records = selectors.task_records(task, request.user)
    contact = selectors.enterprise_contact(task.enterprise_id)
    if contact_form is None and actors:
        contact_form = ContactForm(
            initial={"person": contact.person, "position": contact.position, "phone": contact.phone}
            if contact
            else None
        )
    context = {
        "task": task,
        "contact": contact,
        "contact_form": contact_form if actors else None,
        "last_met": records[0].people_met if records else "",
        "rd_history": selectors.enterprise_rd_history(task.enterprise_id),
        "reason": task.campaign.target_reason,
        "diagnosis_url": reverse("rnd:diagnosis", args=[task.enterprise_id])
        if can(request.user, "rnd.diagnosis")
        else None,
        "group": group,
        "state_badge": STATE_BADGES.get(task.state, ""),
        "moves": [(s, TaskState(s).label) for s in allowed_targets(task.state, actors)],
        "visit_form": visit_form if can_visit else None,
        "reassign_form": reassign_form,
        "records": records,
        "today": dt.date.today(),
    }
    return _render(request, "campaigns/task_detail.html", context, "task_list", status=status)


@requires("campaigns.work")
@require_POST
def task_visit(request, pk: int):
    task = _task_for_user(request, pk)
    siblings = [
        t
        for t in selectors.task_group(task, request.user)[1:]
        if services.task_actors(t, request.user)
    ]
    form = VisitRecordForm(request.POST, request.FILES, siblings=siblings)
    if form.is_valid():
        data = form.cleaned_data
        try:
            record = services.visit_record_create(
                user=request.user,
                task=task,
                visit_date=data["visit_date"],
                people_met=data["people_met"],
                findings=data["findings"],
                agreed_actions=data["agreed_actions"],
                outcome=data["outcome"],
                also_task_ids=data["also_task_ids"],
                files=data["attachments"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Visit recorded for %(n)s task(s).") % {"n": record.tasks.count()},
            )
            return redirect(task)
    return task_detail(request, pk, visit_form=form, status=400)


@requires("campaigns.attachment")
def attachment_download(request, pk: int):
    """One attachment of a visit record, for those who see one of the record's tasks (others
    404). Always a download: never rendered by the browser, never cached."""
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None or not attachment.file:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:
        raise Http404 from exc
    ext = extension(attachment.name or attachment.file.name)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@requires("campaigns.work")
@require_POST
def task_transition(request, pk: int):
    task = _task_for_user(request, pk)
    try:
        services.task_transition(
            task=task, to_state=request.POST.get("to_state", ""), user=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Task moved to “%(state)s”.") % {"state": task.get_state_display()}
        )
    return redirect(task)


@requires("campaigns.work")
@require_POST
def task_contact(request, pk: int):
    """Record the enterprise's contact person from its task page."""
    task = _task_for_user(request, pk)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            services.enterprise_contact_set(task=task, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Contact saved."))
            return redirect(task)
    return task_detail(request, pk, contact_form=form, status=400)


@requires("campaigns.manage")
@require_POST
def task_reassign(request, pk: int):
    task = _task_for_user(request, pk)
    form = ReassignForm(request.POST)
    if form.is_valid():
        try:
            services.task_reassign(
                task=task,
                assignee=form.cleaned_data["assignee"],
                due_date=form.cleaned_data["due_date"],
                user=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Task reassigned."))
            return redirect(task)
    return task_detail(request, pk, reassign_form=form, status=400)


# ------------------------------------------------------------------ coverage


@requires("coverage.view")
def coverage(request):
    tasks = selectors.coverage_tasks(request.user)
    campaigns = selectors.coverage_campaigns(request.user)
    campaign_id = db_int_or_none(request.GET.get("campaign", ""))
    selected = None
    if campaign_id is not None:
        selected = campaigns.filter(pk=campaign_id).first()
        if selected is not None:
            tasks = tasks.filter(campaign=selected)
    years = selectors.campaign_years()
    try:
        outcome_year = int(request.GET.get("outcome_year", ""))
    except ValueError:
        outcome_year = None
    zero_years = selectors.zero_declaration_years()
    if outcome_year is None:
        outcome_year = selectors.default_outcome_year(zero_years, years)
    context = {
        "campaigns": campaigns,
        "selected": selected,
        "by_town": selectors.coverage(tasks, by="town"),
        "by_officer": selectors.coverage(tasks, by="officer"),
        "outcomes": selectors.rd_outcomes(year=outcome_year, user=request.user)
        if outcome_year
        else None,
        "outcome_years": zero_years,
    }
    return _render(request, "campaigns/coverage.html", context, "coverage")


# ------------------------------------------------------------------ agencies


@requires("agencies.view")
def agency_list(request):
    agencies = selectors.agencies_for(request.user).prefetch_related("packages")
    context = {"agencies": agencies, "can_create": can(request.user, "agencies.manage")}
    return _render(request, "campaigns/agency_list.html", context, "agency_list")


@requires("agencies.manage")
def agency_create(request):
    form = AgencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(agency)
    context = {"form": form, "title": _("New service agency")}
    return _render(request, "campaigns/simple_form.html", context, "agency_list")


@requires("agencies.view")
def agency_detail(request, pk: int):
    agency = get_object_or_404(selectors.agencies_for(request.user), pk=pk)
    see_clients = can(request.user, "agencies.clients")
    context = {
        "agency": agency,
        "packages": agency.packages.all(),
        "members": agency.members.select_related("user", "user__profile") if see_clients else None,
        "delegations": selectors.delegation_list(request.user).filter(agency=agency)
        if see_clients
        else None,
        "package_form": ServicePackageForm() if can(request.user, "agencies.manage") else None,
    }
    return _render(request, "campaigns/agency_detail.html", context, "agency_list")


@requires("agencies.manage")
@require_POST
def package_create(request, pk: int):
    agency = get_object_or_404(Agency, pk=pk)
    form = ServicePackageForm(request.POST)
    if form.is_valid():
        try:
            services.service_package_create(user=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Service package added."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect(agency)


# ------------------------------------------------------------------ delegations


@requires("delegations.view", post="delegations.create")
def delegation_list(request):
    form = None
    if can(request.user, "delegations.create"):
        form = DelegationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.delegation_create(user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("Delegation recorded."))
                return redirect("campaigns:delegation_list")
    elif request.method == "POST":
        raise PermissionDenied
    today = dt.date.today()
    delegations = list(selectors.delegation_list(request.user))
    for d in delegations:
        d.active_now = d.is_active_on(today)
    context = {
        "delegations": delegations,
        "form": form,
        "can_end": can(request.user, "delegations.manage"),
        "can_submit": can(request.user, "submissions.create"),
    }
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return _render(request, "campaigns/delegation_list.html", context, "delegation_list", status)


@requires("delegations.manage")
@require_POST
def delegation_end(request, pk: int):
    delegation = get_object_or_404(selectors.delegation_list(request.user), pk=pk)
    services.delegation_end(delegation=delegation, user=request.user)
    messages.success(request, _("Delegation ended: the agency no longer sees your enterprise."))
    return redirect("campaigns:delegation_list")


# ------------------------------------------------------------------ R&D submissions


@requires("submissions.view")
def submission_list(request):
    submissions = selectors.submission_list(request.user)
    clients = None
    if can(request.user, "submissions.create"):
        clients = selectors.client_enterprises(request.user)
    context = {
        "submissions": submissions,
        "clients": clients,
        "can_decide": can(request.user, "submissions.decide"),
        "pending": SubmissionStatus.PENDING,
    }
    return _render(request, "campaigns/submission_list.html", context, "submission_list")


@requires("submissions.create")
def submission_create(request, enterprise_pk: int):
    enterprise = selectors.enterprise_for(request.user, enterprise_pk)
    form = RDSubmissionForm(request.POST or None, initial={"year": dt.date.today().year - 1})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.rd_submission_create(
                user=request.user,
                enterprise=enterprise,
                year=data.pop("year"),
                note=data.pop("note"),
                **data,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Submitted; the enterprise will confirm the figures."))
            return redirect("campaigns:submission_list")
    context = {
        "form": form,
        "title": _("R&D expense by category for %(name)s") % {"name": enterprise.name},
        "hint": _(
            "Money in yuan, high-tech recognition scope. Nothing is written to the "
            "enterprise's figures until the enterprise confirms."
        ),
    }
    return _render(request, "campaigns/simple_form.html", context, "submission_list")


@requires("submissions.decide")
@require_POST
def submission_decide(request, pk: int, decision: str):
    submission = get_object_or_404(selectors.submission_list(request.user), pk=pk)
    service = {
        "confirm": services.rd_submission_confirm,
        "reject": services.rd_submission_reject,
    }.get(decision)
    if service is None:
        raise Http404
    try:
        service(submission=submission, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Figures confirmed and written to your %(year)s figures.") % {"year": submission.year}
            if decision == "confirm"
            else _("Submission rejected."),
        )
    return redirect("campaigns:submission_list")


__all__ = [
    "campaign_list",
    "campaign_create",
    "campaign_create_from_filter",
    "campaign_detail",
    "campaign_attendance",
    "task_list",
    "task_detail",
    "task_visit",
    "task_transition",
    "task_contact",
    "task_reassign",
    "coverage",
    "agency_list",
    "agency_create",
    "agency_detail",
    "package_create",
    "delegation_list",
    "delegation_end",
    "submission_list",
    "submission_create",
    "submission_decide",
]
