"""What the programme pages show and how their buttons map to services (keeps views thin)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kechuang.core.access import can
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.experts.models import Expert
from kechuang.notices.services import items_for

from . import config_forms, forms, selectors, services
from .choices import ApplicationStatus, AssignmentStatus, ProjectStatus, ReportKind, Stage
from .logic.review import DEFAULT_SCHEME
from .logic.workflow import allowed_actions
from .models import (
    Application,
    Call,
    Notification,
    ProgrammeType,
    ProgressReport,
    Project,
    ReviewAssignment,
    Tranche,
    WorkflowEvent,
)

__all__ = [
    "type_form_handle",
    "call_context",
    "home_context",
    "application_list_context",
    "application_forms",
    "form_values",
    "application_context",
    "application_act",
    "assignment_handle",
    "call_review_context",
    "call_review_act",
    "project_for",
    "project_context",
    "project_act",
    "report_for",
    "report_handle",
    "portfolio_context",
    "investments_context",
    "notifications_for",
]

STATUS_BADGE = {
    "draft": "bg-secondary-lt",
    "submitted": "bg-blue-lt",
    "returned": "bg-yellow-lt",
    "rejected": "bg-red-lt",
    "declined": "bg-red-lt",
    "approved": "bg-green-lt",
    "checked": "bg-teal-lt",
    "in_review": "bg-purple-lt",
}


def _enterprise(user: Any) -> Any:
    profile = getattr(user, "profile", None)
    return profile.enterprise if profile and user_role(user) == Role.ENTERPRISE else None


def type_form_handle(request: Any, ptype: ProgrammeType) -> tuple[dict[str, Any], bool]:
    """The programme type's configuration page: the type's fields and its lists as formsets;
    the service checks the whole and answers field by field."""
    data = request.POST if request.method == "POST" else None
    form = config_forms.ProgrammeTypeForm(data, instance=ptype)
    rows = config_forms.type_formsets(ptype, data)
    if data is not None and form.is_valid() and all(fs.is_valid() for fs in rows.values()):
        try:
            services.programme_type_save(
                programme_type=ptype, values=config_forms.type_values(form, rows), user=request.user
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("Programme type saved."))
            return {"ptype": ptype}, True
    return {
        "ptype": ptype,
        "form": form,
        "rows": rows,
        "history": selectors.programme_type_history(ptype) if ptype.pk else [],
        "calls": ptype.calls.order_by("-year", "-pk")[:20] if ptype.pk else [],
    }, False


def call_context(user: Any, call: Call) -> dict[str, Any]:
    enterprise = _enterprise(user) if user.is_authenticated else None
    return {
        "call": call,
        "topics": call.topics.all(),
        "accepting": call.accepting(),
        "eligibility": selectors.eligibility_for(enterprise, call) if enterprise else None,
        "can_apply": enterprise is not None and can(user, "programmes.apply"),
        "can_manage": user.is_authenticated and can(user, "programmes.manage"),
    }


def home_context(user: Any) -> dict[str, Any]:
    enterprise = _enterprise(user)
    return {
        "calls": selectors.open_calls_with_eligibility(enterprise),
        "applications": selectors.applications_for(user).order_by("-created_at")[:20],
        "all_calls": selectors.public_calls() if can(user, "programmes.manage") else [],
        "is_enterprise": enterprise is not None,
        "can_manage": can(user, "programmes.manage"),
        "due": selectors.due_reports(today=timezone.localdate(), user=user)[:10],
        "notifications": notifications_for(user)[:5],
    }


def application_list_context(request: Any) -> dict[str, Any]:
    qs = selectors.applications_for(request.user)
    year, status = request.GET.get("year", ""), request.GET.get("status", "")
    if year.isdigit():
        qs = qs.filter(call__year=int(year))
    if status in ApplicationStatus.values:
        qs = qs.filter(status=status)
    return {
        "applications": qs.order_by("-call__year", "call", "rank", "pk")[:500],
        "statuses": ApplicationStatus.choices,
        "year": year,
        "status": status,
    }


def application_forms(app: Application, data: Any) -> tuple[Any, dict[str, Any]]:
    initial = {
        "version": app.version,
        "topic": app.topic_id,
        "title": app.title,
        "owner_name": app.owner_name,
        "summary": app.summary,
        "objectives": app.objectives,
        "total_yuan": app.total_yuan,
    }
    form = forms.ApplicationForm(data, initial=initial, topics=app.call.topics.all())
    values = {k: getattr(app, k) for k in ("kpis", "budget", "partners", "team", "schedule")}
    values["kpis"] = [
        {**k, "measure": selectors.MEASURE_ALIASES.get(k.get("measure", ""), k.get("measure", ""))}
        for k in values["kpis"] or []
    ]
    rows = forms.row_formsets(data, values)
    return form, rows


def form_values(form: Any) -> dict[str, Any]:
    d = dict(form.cleaned_data)
    d.pop("version", None)
    for key in ("title", "owner_name", "summary", "objectives"):
        d[key] = d.get(key) or ""
    return d


def _steps(app: Application) -> list[WorkflowEvent]:
    return list(
        WorkflowEvent.objects.filter(table="application", object_id=app.pk).select_related("actor")
    )


def application_context(request: Any, app: Application) -> dict[str, Any]:
    user = request.user
    expert = user_role(user) == Role.EXPERT
    actions = [
        t.action for t in allowed_actions("application", app.status) if can(user, t.capability)
    ]
    return {
        "app": app,
        "expert_view": expert,
        "steps": [] if expert else _steps(app),
        "actions": actions,
        "editable": app.status in services.EDITABLE
        and app.call.accepting()
        and can(user, "programmes.apply"),
        "check_form": forms.FormalCheckForm() if "pass_check" in actions else None,
        "badge": STATUS_BADGE.get(app.status, "bg-secondary-lt"),
        "attachments": app.attachments.all(),
        "decision": getattr(app, "decision", None),
    }


def application_act(request: Any, app: Application, action: str) -> None:
    """Dispatch a button of the application page to its service."""
    user = request.user
    if action == "submit":
        if not can(user, "programmes.apply"):
            raise PermissionDenied
        services.application_submit(application=app, user=user)
        messages.success(
            request,
            _("Submitted. Tracking number: %(no)s")
            % {"no": app.tracking_number or Application.objects.get(pk=app.pk).tracking_number},
        )
    elif action == "withdraw":
        services.transition_apply(obj=app, action="withdraw", user=user)
    elif action == "check":
        form = forms.FormalCheckForm(request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose pass, return or reject."))
        services.formal_check_decide(application=app, user=user, **form.cleaned_data)
    elif action == "recheck":
        if not can(user, "programmes.check"):
            raise PermissionDenied
        services.formal_check_run(application=app)
    elif action == "attach":
        if not can(user, "programmes.apply") or app.status not in services.EDITABLE:
            raise PermissionDenied
        form = forms.AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            raise ValidationError(_("Choose a file to upload."))
        services.attachment_add(application=app, file=form.cleaned_data["file"], user=user)
    else:
        raise Http404


# ------------------------------------------------------------------ expert seats


def _scheme(call: Call) -> dict[str, Any]:
    return {**DEFAULT_SCHEME, **(call.programme_type.review_scheme or {})}


def assignment_handle(request: Any, seat: Any) -> tuple[dict[str, Any], bool]:
    """Declare before seeing, then score. Until the declaration only the title and the
    applicant type are shown."""
    criteria = _scheme(seat.application.call)["criteria"]
    declare = (
        forms.DeclareForm(request.POST or None)
        if seat.status == AssignmentStatus.ASSIGNED
        else None
    )
    score = None
    if seat.status in (AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED):
        initial = {**seat.scores, "comments": seat.comments}
        score = forms.score_form(
            criteria, request.POST if request.method == "POST" else None, initial
        )
    if request.method == "POST":
        try:
            if declare is not None and declare.is_valid():
                services.assignment_declare(
                    assignment=seat, user=request.user, **declare.cleaned_data
                )
                return {}, True
            if score is not None and seat.status == AssignmentStatus.DECLARED and score.is_valid():
                data = dict(score.cleaned_data)
                comments = data.pop("comments", "")
                services.score_submit(
                    assignment=seat, user=request.user, scores=data, comments=comments
                )
                messages.success(request, _("Scores submitted."))
                return {}, True
        except ValidationError as exc:
            target = declare if declare is not None else score
            for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                target.add_error(field if field in target.fields else None, errs)
    app = seat.application if seat.may_see else None
    return {
        "seat": seat,
        "app": app,
        "declare_form": declare,
        "score_form": score,
        "title": seat.application.title,
    }, False


# ------------------------------------------------------------------ the call's review (staff)


AGGREGATION_LABELS = {
    "mean": gettext_lazy("mean"),
    "trimmed_mean": gettext_lazy("trimmed mean (the highest and the lowest score dropped)"),
    "median": gettext_lazy("median"),
}


def call_review_context(call: Call) -> dict[str, Any]:
    apps = selectors.review_overview(call)
    return {
        "call": call,
        "apps": apps,
        "experts": Expert.objects.filter(active=True).order_by("name"),
        "decision_form": forms.DecisionForm(),
        "scheme": _scheme(call),
        "aggregation_label": AGGREGATION_LABELS.get(_scheme(call)["aggregation"], ""),
        "actions": [t.action for t in allowed_actions("call", call.status)],
        "notices": call_notices(call),
    }


def call_notices(call: Call) -> list[Any]:
    project = Project.objects.filter(application__call=call).first()
    return list({i.notice for i in items_for(project)}) if project else []


def call_review_act(request: Any, call: Call) -> None:
    user, post = request.user, request.POST
    action = post.get("action", "")
    if action == "propose":
        services.assignments_propose(call=call, user=user)
    elif action == "add_expert":
        app = _call_app(call, post.get("application"))
        raw = str(post.get("expert") or "")
        expert = Expert.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if expert is None:
            raise ValidationError(_("Choose an expert."))
        services.assignment_add(application=app, expert=expert, user=user)
    elif action == "remove_seat":
        seat = app_seat(call, post.get("seat"))
        services.assignment_remove(assignment=seat, user=user)
    elif action == "panel_decision":  # one application; "decide" is the call's own step
        app = _call_app(call, post.get("application"))
        form = forms.DecisionForm(post)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()]
            )
        services.decision_record(application=app, user=user, **form.cleaned_data)
    elif action == "publish":
        services.call_notice_publish(call=call, user=user)
    elif action in [t.action for t in allowed_actions("call", call.status)]:
        services.transition_apply(obj=call, action=action, user=user)
    else:
        raise ValidationError(_("Unknown action."))


def _call_app(call: Call, pk: Any) -> Application:
    try:
        return call.applications.get(pk=int(pk))
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(_("Choose an application of this call.")) from exc


def app_seat(call: Call, pk: Any) -> Any:
    try:
        return ReviewAssignment.objects.get(pk=int(pk), application__call=call)
    except (ReviewAssignment.DoesNotExist, ValueError, TypeError) as exc:
        raise ValidationError(_("Choose a seat of this call.")) from exc


# ------------------------------------------------------------------ projects


def project_for(user: Any, pk: Any) -> Project:
    try:
        return selectors.projects_for(user).get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def project_list_context(request: Any) -> dict[str, Any]:
    qs = selectors.projects_for(request.user)
    g = request.GET
    if g.get("year", "").isdigit():
        qs = qs.filter(application__call__year=int(g["year"]))
    if g.get("programme"):
        qs = qs.filter(application__call__programme_type__code=g["programme"])
    if g.get("status") in ProjectStatus.values:
        qs = qs.filter(status=g["status"])
    if g.get("town"):
        qs = qs.filter(application__enterprise__town__name=g["town"])
    if g.get("industry"):
        qs = qs.filter(application__enterprise__industry_code__startswith=g["industry"])
    return {"projects": qs.order_by("number")[:500], "filters": {k: v for k, v in g.items()}}


def project_context(request: Any, project: Project) -> dict[str, Any]:
    manage = can(request.user, "programmes.manage")
    reports = list(project.reports.select_related("project__application"))
    submitted = [r for r in reports if r.submitted_at]
    compared = dict(
        zip([r.pk for r in submitted], selectors.report_comparisons(submitted), strict=True)
    )
    return {
        "project": project,
        "app": project.application,
        "tranches": project.tranches.all(),
        "investment": getattr(project, "investment", None),
        "reports": [(r, compared.get(r.pk, [])) for r in reports],
        "manage": manage,
        "sign_form": forms.SignForm()
        if manage and project.status == ProjectStatus.CONFIRMED
        else None,
        "investment_form": forms.InvestmentForm()
        if manage
        and project.status in (ProjectStatus.CONFIRMED, ProjectStatus.RUNNING)
        and not hasattr(project, "investment")
        else None,
        "exit_form": forms.InvestmentExitForm()
        if manage
        and getattr(project, "investment", None)
        and project.investment.status == "holding"
        else None,
        "acceptance_seats": project.application.assignments.filter(stage=Stage.ACCEPTANCE)
        .select_related("expert")
        .order_by("pk"),
        "acceptance_conflicts": project.application.conflicts.filter(stage=Stage.ACCEPTANCE)
        .select_related("expert")
        .order_by("pk"),
        "steps": WorkflowEvent.objects.filter(table="project", object_id=project.pk),
    }


def project_act(request: Any, project: Project) -> None:
    user, post = request.user, request.POST
    action = post.get("action")
    if action == "sign":
        form = forms.SignForm(post, request.FILES)
        if not form.is_valid():
            raise ValidationError(_("Upload the signed contract."))
        services.project_sign(project=project, user=user, **form.cleaned_data)
    elif action == "pay":
        try:
            tranche = project.tranches.get(pk=int(post.get("tranche", 0)))
        except (Tranche.DoesNotExist, ValueError) as exc:
            raise ValidationError(_("Choose a tranche of this project.")) from exc
        t = services.tranche_pay(tranche=tranche, user=user)
        if t.hold_reason:
            messages.warning(request, _("Tranche held: %(reason)s") % {"reason": t.hold_reason})
    elif action == "invest":
        form = forms.InvestmentForm(post)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()]
            )
        d = form.cleaned_data
        services.investment_record(
            project=project,
            user=user,
            amount_yuan=d["amount_yuan"],
            pre_money_yuan=d["pre_money_yuan"],
            invested_on=d["invested_on"],
            lockup_months=d["lockup_months"],
            co_investors=d["co_investors"],
            milestones=d["milestones"],
            exit_terms={
                "kind": d["exit_kind"],
                "buyback_rate_pct": str(d["buyback_rate_pct"] or ""),
            },
        )
    elif action == "acceptance_panel":
        if project.status != ProjectStatus.RUNNING:
            raise ValidationError(_("Only a running project has an acceptance panel."))
        services.assignments_propose(
            call=project.application.call,
            user=user,
            stage=Stage.ACCEPTANCE,
            applications=[project.application],
        )
    elif action == "exit" and hasattr(project, "investment"):
        form = forms.InvestmentExitForm(post)
        if not form.is_valid():
            raise ValidationError(
                [f"{form.fields[f].label}：{e[0]}" for f, e in form.errors.items()]
            )
        services.investment_exit(investment=project.investment, user=user, **form.cleaned_data)
    else:
        raise ValidationError(_("Unknown action."))


def report_for(user: Any, pk: Any) -> ProgressReport:
    try:
        return (
            ProgressReport.objects.for_user(user).select_related("project__application").get(pk=pk)
        )
    except (ProgressReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def report_handle(request: Any, report: ProgressReport) -> tuple[dict[str, Any], bool]:
    user = request.user
    kpis = report.project.application.kpis
    submit = forms.report_form(
        kpis,
        request.POST
        if request.method == "POST" and request.POST.get("action") == "submit"
        else None,
        request.FILES or None,
    )
    decide = forms.ReportDecideForm(
        request.POST if request.POST.get("action") == "decide" else None
    )
    try:
        if (
            request.POST.get("action") == "submit"
            and can(user, "programmes.apply")
            and submit.is_valid()
        ):
            d = submit.cleaned_data
            reported = [
                {
                    "indicator": k.get("indicator"),
                    "reported": str(d[f"kpi_{i}"]) if d.get(f"kpi_{i}") is not None else "",
                }
                for i, k in enumerate(kpis)
            ]
            services.report_submit(
                report=report,
                user=user,
                kpis=reported,
                narrative=d["narrative"],
                evidence=d.get("evidence"),
            )
            return {}, True
        if request.POST.get("action") == "decide" and decide.is_valid():
            services.report_decide(report=report, user=user, **decide.cleaned_data)
            return {}, True
    except ValidationError as exc:
        form = submit if request.POST.get("action") == "submit" else decide
        for field, errs in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            form.add_error(field if field in form.fields else None, errs)
    return {
        "report": report,
        "comparison": selectors.report_comparison(report) if report.submitted_at else [],
        "submit_form": submit if can(user, "programmes.apply") and not report.decided_at else None,
        "decide_form": decide
        if can(user, "programmes.manage") and report.submitted_at and not report.decided_at
        else None,
        "is_acceptance": report.kind == ReportKind.ACCEPTANCE,
    }, False


def portfolio_context(request: Any) -> dict[str, Any]:
    by = request.GET.get("by", "programme")
    year = request.GET.get("year", "")
    rows = selectors.portfolio(request.user, by=by, year=int(year) if year.isdigit() else None)
    total_committed = sum((r["committed"] for r in rows), Decimal(0))
    total_paid = sum((r["paid"] for r in rows), Decimal(0))
    return {
        "rows": rows,
        "by": by,
        "year": year,
        "groupings": [
            ("programme", _("Programme")),
            ("year", _("Year")),
            ("town", _("Town/street")),
            ("industry", _("Industry")),
            ("status", _("Status")),
        ],
        "total_committed": total_committed,
        "total_paid": total_paid,
        "drill": can(request.user, "programmes.applications"),
    }


def investments_context(user: Any) -> dict[str, Any]:
    rows = list(selectors.investments_for(user))
    return {
        "investments": rows,
        "held": sum((i.amount_yuan for i in rows if i.status == "holding"), Decimal(0)),
    }


def notifications_for(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("-created_at")[:50])
