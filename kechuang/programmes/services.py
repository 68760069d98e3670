"""Writes of the programme cycle. Every status change goes through `transition_apply` (the
transitions tables of logic/workflow.py), which checks the actor's capability and records the
step; every model write is kept by django-simple-history (docs/programmes.md#workflows)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import F, Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.campaigns.attachments import check_attachment
from kechuang.core.access import can
from kechuang.experts.models import Expert
from kechuang.notices.choices import NoticeKind
from kechuang.notices.services import ItemSpec, notice_publish

from . import selectors
from .choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    DecisionKind,
    InvestmentStatus,
    ProjectStatus,
    ReportKind,
    ReportOutcome,
    Stage,
    TrancheStatus,
)
from .logic import config, formal, funding, review
from .logic.eligibility import EXAMPLE_RULESET
from .logic.review import DEFAULT_SCHEME
from .logic.workflow import TransitionError, find_transition
from .models import (
    Application,
    ApplicationAttachment,
    Call,
    ConflictRecord,
    Investment,
    Notification,
    PanelDecision,
    ProgrammeType,
    ProgressReport,
    Project,
    ReviewAssignment,
    Topic,
    Tranche,
    WorkflowEvent,
)

__all__ = [
    "StaleEdit",
    "transition_apply",
    "programme_type_save",
    "call_save",
    "application_create",
    "application_save",
    "partners_resolve",
    "application_submit",
    "formal_check_run",
    "formal_check_decide",
    "conflicts_record",
    "assignments_propose",
    "assignment_add",
    "assignment_remove",
    "assignment_declare",
    "score_submit",
    "scores_aggregate",
    "decision_record",
    "projects_from_decisions",
    "on_notice_event",
    "contract_pdf",
    "project_sign",
    "tranche_pay",
    "investment_record",
    "investment_exit",
    "report_submit",
    "report_decide",
    "reminders_send",
]

EDITABLE = (ApplicationStatus.DRAFT, ApplicationStatus.RETURNED)
APPLICATION_FIELDS = (
    "title",
    "summary",
    "objectives",
    "owner_name",
    "partners",
    "kpis",
    "budget",
    "team",
    "schedule",
    "total_yuan",
)


class StaleEdit(Exception):
    """Someone saved the draft after this editor opened it."""


def _table_of(obj: Any) -> str:
    return {Call: "call", Application: "application", Project: "project"}[type(obj)]


def transition_apply(*, obj: Any, action: str, user: Any, note: str = "") -> Any:
    """Apply `action` to a call, application or project: the table says from which states and
    with which capability; the step is recorded (WorkflowEvent + history)."""
    table = _table_of(obj)
    try:
        step = find_transition(table, action, obj.status)
    except TransitionError as exc:
        raise ValidationError(_("This step is not possible in the current status.")) from exc
    if user is not None and not can(user, step.capability):
        raise PermissionDenied
    source = obj.status
    obj.status = step.target
    obj._change_reason = action
    obj.save(update_fields=["status"])
    WorkflowEvent.objects.create(
        table=table,
        object_id=obj.pk,
        action=action,
        source=source,
        target=step.target,
        note=note,
        actor=user if user is not None and user.is_authenticated else None,
    )
    return obj


# ------------------------------------------------------------------ configuration

# The seed's programme types (docs/programmes.md#programme-types). Every figure here is a
# configurable example, not an official term: the measure's thresholds are unconfirmed.
SEED_TYPES: dict[str, dict[str, Any]] = {
    "key_rd": {
        "name": "重点研发专项",
        "funding_mode": "grant",
        "cap_yuan": Decimal(1_000_000),
        "own_share_min_pct": Decimal(50),
        "budget_categories": ["设备费", "材料费", "测试化验加工费", "人员劳务费", "其他费用"],
        "tranche_plan": [
            {"label": "签约后拨付", "share": 50, "after": "signing"},
            {"label": "中期检查后拨付", "share": 30, "after": "mid_term"},
            {"label": "验收通过后拨付", "share": 20, "after": "acceptance"},
        ],
    },
    "achievement": {
        "name": "成果转化专项",
        "funding_mode": "both",
        "cap_yuan": Decimal(2_000_000),
        "own_share_min_pct": Decimal(50),
        "budget_categories": ["设备费", "材料费", "中试费", "技术引进费", "其他费用"],
        "tranche_plan": [
            {"label": "签约后拨付", "share": 60, "after": "signing"},
            {"label": "验收通过后拨付", "share": 40, "after": "acceptance"},
        ],
    },
}


def programme_types_ensure() -> dict[str, ProgrammeType]:
    """The seed programme types, created once (the bureau edits them afterwards)."""
    out = {}
    for code, values in SEED_TYPES.items():
        out[code], _created = ProgrammeType.objects.get_or_create(
            code=code,
            defaults={
                **values,
                "kpi_template": [
                    {
                        "indicator": "申请发明专利",
                        "unit": "件",
                        "evidence": "专利受理通知书",
                        "measure": "invention_patents_filed",
                    },
                    {
                        "indicator": "新增主营业务收入",
                        "unit": "万元",
                        "evidence": "财务报表",
                        "measure": "main_business_revenue_growth_wan",
                    },
                ],
                "eligibility": EXAMPLE_RULESET,
                "review_scheme": DEFAULT_SCHEME,
                "investment_terms": {"duration_months": 24},
            },
        )
    return out


TYPE_FIELDS = (
    "code",
    "name",
    "description",
    "funding_mode",
    "cap_yuan",
    "own_share_min_pct",
    "notice_days",
    "notice_working_days",
    "budget_categories",
    "kpi_template",
    "eligibility",
    "review_scheme",
    "tranche_plan",
    "investment_terms",
)
LIVE_REVIEW = (CallStatus.CLOSED, CallStatus.UNDER_REVIEW)


@transaction.atomic
def programme_type_save(
    *, programme_type: ProgrammeType, values: dict[str, Any], user: Any
) -> ProgrammeType:
    """Create or edit a programme type (docs/programmes.md#programme-types): the configuration
    is checked as a whole (Chinese messages by field); the code is fixed once the type exists
    (tracking and project numbers carry it); the score sheet's criteria are fixed while a call
    of the type has submitted sheets under review. Kept by django-simple-history."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    errors = config.config_errors(values, set(selectors.MEASURES))
    if programme_type.pk and values.get("code", programme_type.code) != programme_type.code:
        errors.setdefault("code", []).append(_("The code cannot be changed once the type exists."))
    if programme_type.pk and "review_scheme" in values:
        old = [
            (c.get("key"), str(c.get("weight")), str(c.get("max")))
            for c in _criteria(programme_type)
        ]
        new = [
            (c.get("key"), str(c.get("weight")), str(c.get("max")))
            for c in (values["review_scheme"] or {}).get("criteria", [])
            if isinstance(c, dict)
        ]
        scoring = ReviewAssignment.objects.filter(
            application__call__programme_type=programme_type,
            application__call__status__in=LIVE_REVIEW,
            status=AssignmentStatus.SUBMITTED,
        )
        if old != new and scoring.exists():
            errors.setdefault("review_scheme", []).append(
                _(
                    "Score sheets of a call under review use these criteria: they can be "
                    "changed once the call is decided."
                )
            )
    if errors:
        raise ValidationError(errors)
    for key in TYPE_FIELDS:
        if key in values:
            setattr(programme_type, key, values[key])
    if "investment_terms" in values:  # other terms kept as they are
        programme_type.investment_terms = {
            **(
                ProgrammeType.objects.filter(pk=programme_type.pk)
                .values_list("investment_terms", flat=True)
                .first()
                or {}
            ),
            **values["investment_terms"],
        }
    programme_type.full_clean()
    programme_type._change_reason = "configure"  # type: ignore[attr-defined]
    programme_type.save()
    return programme_type


def _criteria(programme_type: ProgrammeType) -> list[dict[str, Any]]:
    scheme = {**DEFAULT_SCHEME, **(programme_type.review_scheme or {})}
    return list(scheme.get("criteria") or [])


@transaction.atomic
def call_save(*, call: Call, topics: list[tuple[str, str]], user: Any) -> Call:
    """Save a call the bureau configures (a new one starts as a draft) with its topics in the
    given order. The terms are fixed once applications close: only a draft or an open call is
    edited; a topic an application already chose cannot be dropped."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    if call.pk and call.status not in (CallStatus.DRAFT, CallStatus.OPEN):
        raise ValidationError(_("Only a draft or an open call can be edited."))
    existing = {t.name: t for t in call.topics.all()} if call.pk else {}
    names = [name for name, _fields in topics]
    used = [t.name for t in existing.values() if t.name not in names and t.applications.exists()]
    if used:
        raise ValidationError(
            {
                "topics": _("Topics chosen by applications cannot be removed: %(names)s")
                % {"names": "、".join(used)}
            }
        )
    call._change_reason = "configure"  # type: ignore[attr-defined]
    call.save()
    Topic.objects.filter(call=call).exclude(name__in=names).delete()
    keep, new = [], []
    for order, (name, fields) in enumerate(topics):
        topic = existing.get(name)
        if topic is None:
            new.append(Topic(call=call, name=name, fields=fields, sort_order=order))
        elif (topic.fields, topic.sort_order) != (fields, order):
            topic.fields, topic.sort_order = fields, order
            keep.append(topic)
    bulk_create_with_history(new, Topic, default_user=user)
    bulk_update_with_history(keep, Topic, ["fields", "sort_order"], default_user=user)
    return call


# ------------------------------------------------------------------ applications


def _require_open(call: Call, now: dt.datetime | None = None) -> None:
    if not call.accepting(now):
        raise ValidationError(
            _("The call is closed: after the deadline nobody can submit or edit.")
        )


@transaction.atomic
def application_create(*, call: Call, enterprise: Any, user: Any) -> Application:
    """A new draft of `enterprise` for `call` (open calls only)."""
    _require_open(call)
    topic = call.topics.order_by("sort_order", "pk").first()
    app = Application(call=call, topic=topic, enterprise=enterprise, created_by=user)
    app.kpis = [dict(k, baseline="", target="") for k in call.programme_type.kpi_template]
    app.budget = [
        {"category": c, "own": "", "requested": ""} for c in call.programme_type.budget_categories
    ]
    app.save()
    return app


@transaction.atomic
def application_save(
    *, application: Application, data: dict[str, Any], version: int, user: Any
) -> Application:
    """Save the draft if nobody saved it since `version` was read; StaleEdit otherwise (the
    editor's input is kept by the caller and shown again)."""
    _require_open(application.call)
    if application.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned application can be edited."))
    values = {k: data[k] for k in APPLICATION_FIELDS if k in data}
    if "partners" in values:
        values["partners"] = partners_resolve(values["partners"])
    if "topic" in data:
        values["topic"] = data["topic"]
    own, requested = formal.budget_totals(values.get("budget", application.budget))
    values.update(own_yuan=own, requested_yuan=requested)
    updated = Application.objects.filter(pk=application.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if not updated:
        raise StaleEdit
    application.refresh_from_db()
    application._change_reason = "edit"  # type: ignore[attr-defined]
    application.save(update_fields=["updated_at"])  # the history row of this save
    return application


def partners_resolve(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each partner row linked to the registry by its name (docs/programmes.md#partners): an
    organisation of the expert registry or an enterprise of the registry; a name without a
    match is kept and marked unmatched. Conflict detection reads the links."""
    found = selectors.partner_matches([str(r.get("name") or "") for r in rows])
    out = []
    for row in rows:
        name = str(row.get("name") or "").strip()
        match = found.get(name, {})
        clean = {k: v for k, v in row.items() if k not in ("organisation", "enterprise", "matched")}
        clean["name"] = name
        if match.get("organisation"):
            clean["organisation"] = match["organisation"]
        if match.get("enterprise"):
            clean["enterprise"] = match["enterprise"]
        clean["matched"] = bool(match)
        out.append(clean)
    return out


def _tracking_number(call: Call) -> str:
    prefix = f"KC{call.year}{call.programme_type.code[:4].upper()}"
    last = (
        Application.objects.filter(tracking_number__startswith=prefix)
        .aggregate(m=Max("tracking_number"))
        .get("m")
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def submitted_document(application: Application) -> str:
    """The HTML of what was submitted (the PDF's source)."""
    return render_to_string("programmes/print_application.html", {"app": application})


def submitted_pdf(application: Application) -> bytes:
    """The PDF of what was submitted (rendered by WeasyPrint, as the report builders do)."""
    from weasyprint import HTML

    return HTML(string=submitted_document(application)).write_pdf()


@transaction.atomic
def application_submit(
    *, application: Application, user: Any, now: dt.datetime | None = None, pdf: bool = True
) -> Application:
    """Submit (or resubmit) before the deadline, on the server's clock: tracking number,
    timestamp, the eligibility at submission, the automatic checks and a PDF of the content."""
    now = now or timezone.now()
    original = application
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require_open(application.call, now)
    action = "resubmit" if application.status == ApplicationStatus.RETURNED else "submit"
    application.eligibility = selectors.eligibility_for(application.enterprise, application.call)
    application.checks = _checks(application)
    if not application.tracking_number:
        application.tracking_number = _tracking_number(application.call)
    application.submitted_at = now
    application.save(update_fields=["eligibility", "checks", "tracking_number", "submitted_at"])
    transition_apply(obj=application, action=action, user=user)
    if pdf:
        data = submitted_pdf(application)
        application.submitted_pdf.save(
            f"{application.tracking_number}.pdf", ContentFile(data), save=False
        )
        application.save(update_fields=["submitted_pdf"])
    original.refresh_from_db()
    return original


def attachment_add(*, application: Application, file: Any, user: Any) -> ApplicationAttachment:
    """An attachment of a draft (type, content and size checked)."""
    check_attachment(file)
    return ApplicationAttachment.objects.create(
        application=application, file=file, name=file.name[:128], uploaded_by=user
    )


def _checks(application: Application) -> list[dict[str, Any]]:
    ptype = application.call.programme_type
    others = (
        Application.objects.filter(enterprise_id=application.enterprise_id)
        .exclude(pk=application.pk)
        .exclude(status__in=[ApplicationStatus.WITHDRAWN, ApplicationStatus.DRAFT])
        .values_list("tracking_number", "title")
    )
    return formal.formal_checks(
        {
            "title": application.title,
            "summary": application.summary,
            "objectives": application.objectives,
            "kpis": application.kpis,
            "budget": application.budget,
            "team": application.team,
            "schedule": application.schedule,
            "total": application.total_yuan,
        },
        {
            "cap": ptype.cap_yuan,
            "own_share_min": ptype.own_share_min_pct,
            "categories": ptype.budget_categories,
        },
        eligibility_status=(application.eligibility or {}).get("status", "unknown"),
        other_titles=[(t or _("another application"), title) for t, title in others],
    )


def formal_check_run(*, application: Application) -> list[dict[str, Any]]:
    """Re-run the automatic checks (e.g. after the registry changed) and store them."""
    application.eligibility = selectors.eligibility_for(application.enterprise, application.call)
    application.checks = _checks(application)
    application._change_reason = "formal_check"  # type: ignore[attr-defined]
    application.save(update_fields=["eligibility", "checks"])
    return application.checks


FORMAL_ACTIONS = {"pass": "pass_check", "return": "return", "reject": "reject"}


@transaction.atomic
def formal_check_decide(
    *, application: Application, user: Any, decision: str, comment: str = ""
) -> Application:
    """The staff part of the formal check: pass, return with comments, or reject with a reason."""
    if decision not in FORMAL_ACTIONS:
        raise ValidationError({"decision": _("Choose pass, return or reject.")})
    if decision in ("return", "reject") and not comment.strip():
        raise ValidationError({"comment": _("Give the comments or the reason.")})
    application.check_comment = comment
    application.save(update_fields=["check_comment"])
    transition_apply(obj=application, action=FORMAL_ACTIONS[decision], user=user, note=comment)
    _notify_applicant(
        application,
        _("%(title)s: formal check — %(status)s")
        % {"title": application.title, "status": application.get_status_display()},
    )
    return application


def _notify_applicant(application: Application, text: str) -> None:
    users = get_user_model().objects.filter(profile__enterprise_id=application.enterprise_id)
    Notification.objects.bulk_create(
        Notification(user=u, text=text[:255], url=application.get_absolute_url()) for u in users
    )


# ------------------------------------------------------------------ conflicts and assignment


def conflicts_record(
    *, applications: list[Application], expert_ids: list[int], stage: str = Stage.REVIEW
) -> set[tuple[int, int]]:
    """Detect conflicts of every (expert, application) pair before assignment, record each
    with its reason (once), and return the conflicted pairs (expert id, application id)."""
    today = timezone.localdate()
    pairs: set[tuple[int, int]] = set()
    existing = set(
        ConflictRecord.objects.filter(
            application__in=applications, expert_id__in=expert_ids, stage=stage
        ).values_list("expert_id", "application_id", "kind")
    )
    for app_id, e_id, _kind in [(a, e, k) for e, a, k in existing]:
        pairs.add((e_id, app_id))
    new = []
    for app in applications:
        found = selectors.conflicts_of(app, expert_ids, today)
        for expert_id, items in found.items():
            pairs.add((expert_id, app.pk))
            for item in items:
                if (expert_id, app.pk, item.kind) not in existing:
                    existing.add((expert_id, app.pk, item.kind))
                    new.append(
                        ConflictRecord(
                            application=app,
                            expert_id=expert_id,
                            stage=stage,
                            kind=item.kind,
                            reason=str(item.reason)[:255],
                            source=str(item.source)[:32],
                        )
                    )
    ConflictRecord.objects.bulk_create(new)
    return pairs


def _scheme(call: Call) -> dict[str, Any]:
    return {**review.DEFAULT_SCHEME, **(call.programme_type.review_scheme or {})}


@transaction.atomic
def assignments_propose(
    *,
    call: Call,
    user: Any,
    k: int | None = None,
    stage: str = Stage.REVIEW,
    applications: list[Application] | None = None,
) -> dict[int, list[int]]:
    """Seat k experts on each checked application of `call` (or on the given ones): conflicts
    detected and recorded first, field fit, load balance, no expert on two applications of the
    same applicant. Applications move to review; staff may adjust afterwards."""
    if user is not None and not can(user, "programmes.manage"):
        raise PermissionDenied
    k = k or int(_scheme(call)["k"])
    if applications is None:
        applications = list(
            call.applications.filter(
                status__in=[ApplicationStatus.CHECKED, ApplicationStatus.IN_REVIEW]
            ).select_related("topic")
        )
    experts = selectors.available_experts()
    expert_ids = [e.pk for e in experts]
    conflicts = conflicts_record(applications=applications, expert_ids=expert_ids, stage=stage)
    # A conflict recorded at another stage (e.g. declared at the review) keeps the expert off
    # the acceptance panel too.
    conflicts |= set(
        ConflictRecord.objects.filter(application__in=applications).values_list(
            "expert_id", "application_id"
        )
    )
    seated: dict[int, set[int]] = {}
    load: dict[int, int] = {}
    for app_id, expert_id, status in ReviewAssignment.objects.filter(
        application__call=call, stage=stage
    ).values_list("application_id", "expert_id", "status"):
        if status != AssignmentStatus.RECUSED:
            seated.setdefault(app_id, set()).add(expert_id)
            load[expert_id] = load.get(expert_id, 0) + 1
        else:
            conflicts.add((expert_id, app_id))
    texts = {e.pk: e.profile_text for e in experts}
    proposal = review.propose_assignments(
        [(a.pk, a.enterprise_id, a.text_for_matching()) for a in applications],
        [review.Candidate(e, texts[e]) for e in expert_ids],
        k=k,
        conflicts=conflicts,
        existing=seated,
        load=load,
    )
    app_text = {a.pk: a.text_for_matching() for a in applications}
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            application_id=app_id,
            expert_id=e,
            stage=stage,
            fit=Decimal(str(round(review.field_fit(texts[e], app_text[app_id]), 3))),
        )
        for app_id, chosen in proposal.items()
        for e in chosen
    )
    for app in applications:
        if app.status == ApplicationStatus.CHECKED and stage == Stage.REVIEW:
            transition_apply(obj=app, action="start_review", user=user)
    return proposal


def assignment_add(
    *, application: Application, expert: Expert, user: Any, stage: str = Stage.REVIEW
) -> ReviewAssignment:
    """Staff seat an expert by hand: refused when a conflict is detected (recorded)."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    if conflicts_record(applications=[application], expert_ids=[expert.pk], stage=stage):
        raise ValidationError(_("This expert has a conflict of interest with the application."))
    same_applicant = ReviewAssignment.objects.filter(
        expert=expert,
        stage=stage,
        application__call=application.call,
        application__enterprise=application.enterprise,
    ).exclude(status=AssignmentStatus.RECUSED)
    if same_applicant.exclude(application=application).exists():
        raise ValidationError(
            _("This expert already reviews another application of the same applicant in this call.")
        )
    seat, _created = ReviewAssignment.objects.get_or_create(
        application=application, expert=expert, stage=stage
    )
    return seat


def assignment_remove(*, assignment: ReviewAssignment, user: Any) -> None:
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    if assignment.status == AssignmentStatus.SUBMITTED:
        raise ValidationError(_("Submitted scores cannot be removed."))
    assignment.delete()


@transaction.atomic
def assignment_declare(
    *, assignment: ReviewAssignment, user: Any, conflict: bool, note: str = ""
) -> ReviewAssignment:
    """Declare before seeing: no conflict opens the application to the expert; a conflict
    recuses them (recorded with the reason) and the seat is refilled."""
    if assignment.expert.user_id != user.pk:
        raise PermissionDenied
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise ValidationError(_("The declaration has already been made."))
    assignment.declared_at = timezone.now()
    assignment.declaration = note
    if conflict:
        if not note.strip():
            raise ValidationError({"note": _("State the relationship that causes the conflict.")})
        assignment.status = AssignmentStatus.RECUSED
        assignment.save()
        ConflictRecord.objects.create(
            application=assignment.application,
            expert=assignment.expert,
            stage=assignment.stage,
            kind="declared",
            reason=note[:255],
            source="declaration",
        )
        live = (
            ReviewAssignment.objects.filter(
                application=assignment.application, stage=assignment.stage
            )
            .exclude(status=AssignmentStatus.RECUSED)
            .count()
        )
        assignments_propose(  # refill the recused seat (one more than the seats left)
            call=assignment.application.call,
            user=None,
            k=live + 1,
            stage=assignment.stage,
            applications=[assignment.application],
        )
    else:
        assignment.status = AssignmentStatus.DECLARED
        assignment.save()
    return assignment


@transaction.atomic
def score_submit(
    *, assignment: ReviewAssignment, user: Any, scores: dict[str, Any], comments: str = ""
) -> ReviewAssignment:
    """Submit a score sheet: every criterion within 0 … max (field-level messages)."""
    if assignment.expert.user_id != user.pk:
        raise PermissionDenied
    if assignment.status != AssignmentStatus.DECLARED:
        raise ValidationError(_("Declare that you have no conflict before scoring."))
    criteria = _scheme(assignment.application.call)["criteria"]
    errors = review.sheet_errors(criteria, scores)
    if errors:
        raise ValidationError(errors)
    assignment.scores = {c["key"]: str(scores[c["key"]]) for c in criteria}
    assignment.total = review.sheet_total(criteria, scores)
    assignment.comments = comments
    assignment.submitted_at = timezone.now()
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.save()
    scores_aggregate(call=assignment.application.call)
    return assignment


def scores_aggregate(*, call: Call) -> None:
    """Aggregate the submitted sheets (configured method), flag dispersion, rank per topic."""
    scheme = _scheme(call)
    threshold = Decimal(str(scheme["dispersion_threshold"]))
    totals: dict[int, list[Decimal]] = {}
    for app_id, total in ReviewAssignment.objects.filter(
        application__call=call, stage=Stage.REVIEW, status=AssignmentStatus.SUBMITTED
    ).values_list("application_id", "total"):
        # A submitted sheet has its total.
        totals.setdefault(app_id, []).append(cast(Decimal, total))
    apps = list(call.applications.filter(pk__in=totals))
    for app in apps:
        app.score = review.aggregate(totals[app.pk], scheme["aggregation"])
        app.score_dispersion = review.dispersion(totals[app.pk])
        app.dispersion_flag = app.score_dispersion is not None and app.score_dispersion > threshold
    ranks = review.rank_by_topic([(a.pk, a.topic_id or 0, a.score) for a in apps])
    for app in apps:
        app.rank = ranks.get(app.pk)
    Application.objects.bulk_update(apps, ["score", "score_dispersion", "dispersion_flag", "rank"])


@transaction.atomic
def decision_record(
    *,
    application: Application,
    user: Any,
    decision: str,
    reasons: str,
    amount_yuan: Decimal | None = None,
    invest: bool = False,
) -> PanelDecision:
    """The panel's decision with its reasons; an approval states the funding (within the cap)."""
    errors = {}
    if decision not in DecisionKind.values:
        errors["decision"] = _("Choose approve or do not approve.")
    if not (reasons or "").strip():
        errors["reasons"] = _("Give the panel's reasons.")
    cap = application.call.programme_type.cap_yuan
    if decision == DecisionKind.APPROVE:
        if amount_yuan is None or amount_yuan <= 0:
            errors["amount_yuan"] = _("Give the funding awarded.")
        elif cap is not None and amount_yuan > cap:
            errors["amount_yuan"] = _("The funding exceeds the programme's cap.")
    if errors:
        raise ValidationError(errors)
    result, _created = PanelDecision.objects.update_or_create(
        application=application,
        defaults={
            "decision": decision,
            "reasons": reasons,
            "amount_yuan": amount_yuan if decision == DecisionKind.APPROVE else None,
            "invest": invest,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    action = "approve" if decision == DecisionKind.APPROVE else "decline"
    transition_apply(obj=application, action=action, user=user, note=reasons)
    return result


def projects_from_decisions(*, call: Call) -> list[Project]:
    """A project (in notice) for every approved application of the call lacking one."""
    apps = list(
        call.applications.filter(status=ApplicationStatus.APPROVED, project__isnull=True)
        .select_related("decision")
        .order_by("rank", "pk")
    )
    start = Project.objects.filter(number__startswith=f"P{call.year}").count()
    projects = [
        Project(
            application=app,
            number=f"P{call.year}{call.programme_type.code[:4].upper()}{start + i:03d}",
            grant_yuan=None if app.decision.invest else app.decision.amount_yuan,
        )
        for i, app in enumerate(apps, start=1)
    ]
    Project.objects.bulk_create(projects)
    return projects


@transaction.atomic
def call_notice_publish(*, call: Call, user: Any) -> Any:
    """Publish the call's decided projects through the public notice (redacted fields: title,
    applicant, project leader, funding, programme — no budget detail, no contact data)."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    projects_from_decisions(call=call)
    projects = list(
        Project.objects.filter(application__call=call, status=ProjectStatus.NOTICED)
        .select_related("application__enterprise", "application__decision")
        .order_by("number")
    )
    if not projects:
        raise ValidationError(_("There are no approved projects to publish."))
    ptype = call.programme_type
    notice = notice_publish(
        kind=NoticeKind.PROGRAMME_PROJECTS,
        title=_("Public notice of the %(call)s projects proposed for funding")
        % {"call": call.title},
        body=_(
            "The following projects are proposed for funding. Objections stating reasons and "
            "factual evidence may be filed in writing within the notice period."
        ),
        items=[ItemSpec(p, selectors.notice_fields(p)) for p in projects],
        window_days=ptype.notice_days,
        working_days=ptype.notice_working_days,
        user=user,
    )
    if call.status == CallStatus.DECIDED:
        transition_apply(obj=call, action="notice", user=user)
    return notice


def on_notice_event(event: str, item: Any) -> None:
    """NOTICE_HANDLERS entry: hold a project while objections are open, release it, or
    confirm / cancel it with the final list."""
    project = Project.objects.filter(pk=item.object_id).first()
    if project is None:
        return
    outcome = getattr(item, "outcome", "")
    action = {
        "item_held": "hold" if project.status == ProjectStatus.NOTICED else None,
        "item_released": (
            "withdraw_award"
            if outcome == "removed"
            else ("release" if project.status == ProjectStatus.HELD else None)
        ),
        "finalised": (
            "withdraw_award"
            if outcome == "removed"
            else ("confirm" if project.status == ProjectStatus.NOTICED else None)
        ),
    }.get(event)
    if action:
        try:
            transition_apply(obj=project, action=action, user=None, note=event)
        except ValidationError:
            pass  # already in the target state


# ------------------------------------------------------------------ contract and funding


def contract_pdf(*, project: Project) -> bytes:
    """The task contract (任务书) generated from the approved application: KPIs, budget,
    schedule, tranches."""
    from weasyprint import HTML

    html = render_to_string(
        "programmes/print_contract.html",
        {"project": project, "app": project.application, "tranches": project.tranches.all()},
    )
    return HTML(string=html).write_pdf()


def _tranche_plan(project: Project) -> list[dict[str, Any]]:
    return project.application.call.programme_type.tranche_plan or [
        {"label": "签约后拨付", "share": 100, "after": "signing"}
    ]


@transaction.atomic
def project_sign(
    *, project: Project, user: Any, signed_copy: Any, starts_on: dt.date | None = None
) -> Project:
    """The signed contract uploaded: the project runs, its tranches and reports are planned."""
    check_attachment(signed_copy)
    starts_on = starts_on or timezone.localdate()
    months = int(
        project.application.call.programme_type.investment_terms.get("duration_months", 24) or 24
    )
    project.signed_copy = signed_copy
    project.signed_at = timezone.now()
    project.starts_on = starts_on
    project.ends_on = starts_on + dt.timedelta(days=months * 365 // 12)
    project.save()
    transition_apply(obj=project, action="sign", user=user)
    tranches_plan(project=project)
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                project=project,
                kind=ReportKind.MID_TERM,
                due_on=starts_on + (project.ends_on - starts_on) / 2,
            ),
            ProgressReport(
                project=project,
                kind=ReportKind.ACCEPTANCE,
                due_on=project.ends_on + dt.timedelta(days=90),
            ),
        ]
    )
    return project


def tranches_plan(*, project: Project) -> list[Tranche]:
    plan = _tranche_plan(project)
    total = project.grant_yuan or Decimal(0)
    amounts = funding.tranche_amounts(total, [p["share"] for p in plan])
    rows = [
        Tranche(
            project=project,
            seq=i,
            label=p["label"],
            after=p.get("after", ""),
            share_pct=Decimal(str(p["share"])),
            amount_yuan=amount,
        )
        for i, (p, amount) in enumerate(zip(plan, amounts, strict=True), start=1)
    ]
    if total:
        Tranche.objects.bulk_create(rows)
    return rows


@transaction.atomic
def tranche_pay(*, tranche: Tranche, user: Any, today: dt.date | None = None) -> Tranche:
    """Pay a tranche unless a report is overdue or a KPI check failed: then it is held with the
    reason shown."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    if tranche.status == TrancheStatus.PAID:
        raise ValidationError(_("This tranche has already been paid."))
    reasons = selectors.tranche_hold_reasons(tranche.project, today or timezone.localdate())
    if reasons:
        tranche.status = TrancheStatus.HELD
        tranche.hold_reason = "；".join(reasons)
    else:
        tranche.status = TrancheStatus.PAID
        tranche.hold_reason = ""
        tranche.paid_on = today or timezone.localdate()
    tranche.save()
    return tranche


@transaction.atomic
def investment_record(
    *,
    project: Project,
    user: Any,
    amount_yuan: Decimal,
    pre_money_yuan: Decimal,
    invested_on: dt.date,
    co_investors: list[dict[str, Any]] | None = None,
    lockup_months: int | None = None,
    exit_terms: dict[str, Any] | None = None,
    milestones: list[dict[str, Any]] | None = None,
) -> Investment:
    """A 拨改投 stake: the stake follows from the amount and the pre-money valuation."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    errors = {}
    if amount_yuan is None or amount_yuan <= 0:
        errors["amount_yuan"] = _("Give the amount invested.")
    if pre_money_yuan is None or pre_money_yuan <= 0:
        errors["pre_money_yuan"] = _("Give the pre-money valuation.")
    if errors:
        raise ValidationError(errors)
    investment, _created = Investment.objects.update_or_create(
        project=project,
        defaults={
            "amount_yuan": amount_yuan,
            "pre_money_yuan": pre_money_yuan,
            "stake_pct": funding.stake_pct(amount_yuan, pre_money_yuan),
            "invested_on": invested_on,
            "co_investors": co_investors or [],
            "lockup_months": lockup_months,
            "exit_terms": exit_terms or {},
            "milestones": milestones or [],
        },
    )
    return investment


def investment_exit(
    *, investment: Investment, user: Any, exited_on: dt.date, proceeds_yuan: Decimal
) -> Investment:
    """The stake sold or bought back: the date and the proceeds (returns on the investments
    page)."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    if investment.status == InvestmentStatus.EXITED:
        raise ValidationError(_("This investment has already been exited."))
    if investment.invested_on and exited_on < investment.invested_on:
        raise ValidationError({"exited_on": _("The exit cannot be before the investment.")})
    investment.status = InvestmentStatus.EXITED
    investment.exited_on = exited_on
    investment.exit_proceeds_yuan = proceeds_yuan
    investment.save()
    return investment


# ------------------------------------------------------------------ mid-term and acceptance


@transaction.atomic
def report_submit(
    *,
    report: ProgressReport,
    user: Any,
    kpis: list[dict[str, Any]],
    narrative: str,
    evidence: Any = None,
) -> ProgressReport:
    """The project reports each KPI (reported value) with its evidence."""
    if report.submitted_at and report.outcome != ReportOutcome.PENDING:
        raise ValidationError(_("This report has already been concluded."))
    if evidence is not None:
        check_attachment(evidence)
        report.evidence = evidence
    report.kpis = kpis
    report.narrative = narrative
    report.submitted_at = timezone.now()
    report.save()
    return report


OUTCOME_ACTIONS: dict[str, str] = {
    ReportOutcome.PASSED: "accept",
    ReportOutcome.CONDITIONAL: "accept_conditional",
    ReportOutcome.FAILED: "fail",
}


@transaction.atomic
def report_decide(
    *, report: ProgressReport, user: Any, outcome: str, reasons: str
) -> ProgressReport:
    """The panel's conclusion; an acceptance also concludes the project (a failed one
    restricts the applicant's next applications through the eligibility facts)."""
    if not can(user, "programmes.manage"):
        raise PermissionDenied
    if outcome not in OUTCOME_ACTIONS:
        raise ValidationError({"outcome": _("Choose passed, passed with conditions or failed.")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the panel's conclusion.")})
    if report.submitted_at is None:
        raise ValidationError(_("The project has not submitted this report yet."))
    report.outcome = outcome
    report.panel_reasons = reasons
    report.decided_at = timezone.now()
    report.save()
    if report.kind == ReportKind.ACCEPTANCE:
        transition_apply(
            obj=report.project, action=OUTCOME_ACTIONS[outcome], user=user, note=reasons
        )
    return report


def reminders_send(*, today: dt.date | None = None, days_ahead: int = 30) -> int:
    """In-app reminders for reports due within `days_ahead` days or overdue (once per report
    and state); e-mail through Django's mail settings when they are configured."""
    today = today or timezone.localdate()
    due = selectors.due_reports(today=today, days_ahead=days_ahead)
    users = (
        get_user_model()
        .objects.filter(
            profile__enterprise_id__in={r.project.application.enterprise_id for r in due}
        )
        .values_list("pk", "profile__enterprise_id", "email")
    )
    by_enterprise: dict[int, list[tuple[int, str]]] = {}
    for pk, eid, email in users:
        by_enterprise.setdefault(eid, []).append((pk, email))
    rows, mails = [], []
    for r in due:
        state = "overdue" if r.due_on < today else "due"
        text = _("%(kind)s of %(number)s due on %(date)s") % {
            "kind": r.get_kind_display(),
            "number": r.project.number,
            "date": r.due_on.isoformat(),
        }
        for pk, email in by_enterprise.get(r.project.application.enterprise_id, []):
            rows.append(
                Notification(
                    user_id=pk,
                    text=text,
                    url=r.project.get_absolute_url(),
                    key=f"report-{r.pk}-{state}",
                )
            )
            if email:
                mails.append((text, text, None, [email]))
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    if mails and getattr(settings, "EMAIL_HOST", "") not in ("", "localhost"):
        send_mass_mail(mails, fail_silently=True)
    return len(created)
