"""Reads of the programme cycle: eligibility facts from the registry and the qualification
results, what each role may see (an expert never sees a conflicted or undeclared application),
due reports, measured KPIs, the portfolio and the headline figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from kechuang.core.access import ScopeKind, can, role_scope
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.enterprises.choices import IPKind, QualificationKind
from kechuang.enterprises.models import AnnualFigure, Enterprise, IntellectualProperty
from kechuang.experts.conflicts import conflicts_for
from kechuang.experts.models import Expert
from kechuang.notices.choices import NoticeKind
from kechuang.notices.services import noticed_object_ids
from kechuang.qualifications.selectors import held_tiers
from kechuang.regions.models import RegionKind

from . import figures as keys
from .choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    ProjectStatus,
    ReportKind,
    ReportOutcome,
    Stage,
    TrancheStatus,
)
from .logic.eligibility import EXAMPLE_RULESET, evaluate_eligibility
from .logic.funding import kpi_attainment
from .logic.funding import tranche_hold_reasons as _hold_reasons
from .models import (
    Application,
    Call,
    ConflictRecord,
    Investment,
    Notification,
    ProgrammeType,
    ProgressReport,
    Project,
    ReviewAssignment,
    Tranche,
)

__all__ = [
    "KEY_RD_CODE",
    "public_calls",
    "public_call",
    "call_for",
    "eligibility_facts",
    "eligibility_for",
    "open_calls_with_eligibility",
    "applications_for",
    "application_for",
    "expert_of",
    "expert_assignments",
    "expert_application",
    "conflicts_of",
    "available_experts",
    "notice_fields",
    "projects_for",
    "due_reports",
    "measured_kpis",
    "report_comparison",
    "tranche_hold_reasons",
    "portfolio",
    "investments_for",
    "programme_figures",
]

# The seed's programme type codes (docs/programmes.md#programme-types).
KEY_RD_CODE = "key_rd"
LIVE_PROJECT = (
    ProjectStatus.CONFIRMED,
    ProjectStatus.RUNNING,
    ProjectStatus.NOTICED,
    ProjectStatus.HELD,
)


# ------------------------------------------------------------------ public calls


def public_calls() -> QuerySet[Call]:
    """Calls anyone may read without signing in (every call past its draft)."""
    return (
        Call.objects.exclude(status=CallStatus.DRAFT)
        .select_related("programme_type")
        .order_by("-year", "-opens_at")
    )


def public_call(pk: Any) -> Call:
    try:
        return public_calls().prefetch_related("topics").get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def call_for(user: Any, pk: Any) -> Call:
    """A call as the user may read it: the bureau also sees its drafts, everybody else only
    published calls (404 otherwise)."""
    if not (user.is_authenticated and can(user, "programmes.manage")):
        return public_call(pk)
    try:
        return Call.objects.select_related("programme_type").prefetch_related("topics").get(pk=pk)
    except (Call.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def calls_managed() -> QuerySet[Call]:
    """Every call, drafts included (the bureau's list)."""
    return Call.objects.select_related("programme_type").order_by("-year", "-opens_at", "-pk")


# ------------------------------------------------------------------ eligibility


def _ratio_pct(num: Decimal | None, den: Decimal | None) -> Fraction | None:
    if num is None or not den:
        return None
    return Fraction(num) * 100 / Fraction(den)


def eligibility_facts(
    enterprise_ids: list[int], year: int, programme_type: ProgrammeType
) -> dict[int, dict[str, Any]]:
    """The facts every eligibility condition reads, for many enterprises at once: the registry
    (region, last year's figures, credit list), the qualifications held at the end of last
    year, and the applicant's own programme record (ongoing, overdue, failed)."""
    ids = list(enterprise_ids)
    last = year - 1
    out: dict[int, dict[str, Any]] = {
        pk: {
            "registered_in_region": kind == RegionKind.HOME,
            "rd_ratio_pct": None,
            "rd_expense_wan": None,
            "tech_staff": None,
            "credit_listed": None,
            "ongoing_same_type": 0,
            "overdue_acceptances": 0,
            "failed_acceptances": 0,
        }
        for pk, kind in Enterprise.objects.filter(pk__in=ids).values_list(
            "pk", "town__region__kind"
        )
    }
    for eid, rd, revenue, staff, listed in AnnualFigure.objects.filter(
        enterprise_id__in=ids, year=last
    ).values_list(
        "enterprise_id",
        "rd_expense_stat",
        "operating_revenue",
        "tech_staff_year_end",
        "credit_listed",
    ):
        facts = out[eid]
        facts["rd_ratio_pct"] = _ratio_pct(rd, revenue)
        facts["rd_expense_wan"] = None if rd is None else Fraction(rd) / 10000
        facts["tech_staff"] = staff
        facts["credit_listed"] = listed
    held = held_tiers(last, ids)
    high_tech = held.get(QualificationKind.HIGH_TECH, set())
    sme = held.get(QualificationKind.NATIONAL_TECH_SME, set()) | held_tiers(year, ids).get(
        QualificationKind.NATIONAL_TECH_SME, set()
    )
    for eid, facts in out.items():
        facts["holds_high_tech"] = eid in high_tech
        facts["holds_high_tech_or_tech_sme"] = eid in high_tech or eid in sme
    projects = Project.objects.filter(application__enterprise_id__in=ids)
    for eid, n in (
        projects.filter(status__in=LIVE_PROJECT, application__call__programme_type=programme_type)
        .values_list("application__enterprise_id")
        .annotate(n=Count("pk"))
    ):
        out[eid]["ongoing_same_type"] = n
    today = timezone.localdate()
    for eid, n in (
        ProgressReport.objects.filter(
            project__application__enterprise_id__in=ids,
            kind=ReportKind.ACCEPTANCE,
            submitted_at__isnull=True,
            due_on__lt=today,
        )
        .values_list("project__application__enterprise_id")
        .annotate(n=Count("pk"))
    ):
        out[eid]["overdue_acceptances"] = n
    for eid, n in (
        projects.filter(status=ProjectStatus.FAILED, application__call__year__gte=year - 3)
        .values_list("application__enterprise_id")
        .annotate(n=Count("pk"))
    ):
        out[eid]["failed_acceptances"] = n
    return out


def _ruleset(programme_type: ProgrammeType) -> dict[str, Any]:
    return programme_type.eligibility or EXAMPLE_RULESET


def eligibility_for(enterprise: Enterprise, call: Call) -> dict[str, Any]:
    """The explained eligibility of one enterprise for one call."""
    facts = eligibility_facts([enterprise.pk], call.year, call.programme_type).get(
        enterprise.pk, {}
    )
    return evaluate_eligibility(facts, _ruleset(call.programme_type))


def open_calls_with_eligibility(enterprise: Enterprise | None) -> list[tuple[Call, dict | None]]:
    """Open calls, each with the enterprise's explained eligibility (None without one)."""
    calls = list(
        Call.objects.filter(status=CallStatus.OPEN)
        .select_related("programme_type")
        .order_by("closes_at")
    )
    if enterprise is None:
        return [(c, None) for c in calls]
    return [(c, eligibility_for(enterprise, c)) for c in calls]


# ------------------------------------------------------------------ applications by role


def applications_for(user: Any) -> QuerySet[Application]:
    """Applications in the user's scope: bureau all, a town officer its town's, an enterprise
    its own; an expert none here (experts reach applications only through their seats)."""
    if user_role(user) in (Role.EXPERT, Role.LEADER):
        return Application.objects.none()
    return Application.objects.for_user(user).select_related(
        "call__programme_type", "enterprise", "topic"
    )


def application_for(user: Any, pk: Any) -> Application:
    """One application of the user's scope, or 404; for an expert: one they are seated on and
    declared no conflict for, never one they are conflicted with."""
    if user_role(user) == Role.EXPERT:
        return expert_application(user, pk)
    try:
        return applications_for(user).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def expert_of(user: Any) -> Expert | None:
    return Expert.objects.filter(user=user).first() if user.is_authenticated else None


def expert_assignments(user: Any) -> QuerySet[ReviewAssignment]:
    """The user's own seats, never a recused one nor one with a recorded conflict."""
    expert = expert_of(user)
    if expert is None:
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.filter(expert=expert)
        .exclude(status=AssignmentStatus.RECUSED)
        .exclude(application__conflicts__expert=expert)
        .select_related("application__call", "application__topic")
        .order_by("-created_at", "pk")
    )


def expert_assignment(user: Any, pk: Any) -> ReviewAssignment:
    try:
        return expert_assignments(user).get(pk=pk)
    except (ReviewAssignment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def expert_application(user: Any, pk: Any) -> Application:
    """The application behind a declared seat of the user (404 otherwise)."""
    seats = expert_assignments(user).filter(
        status__in=[AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED]
    )
    try:
        return Application.objects.select_related("call", "enterprise", "topic").get(
            pk=pk, assignments__in=seats
        )
    except (Application.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def expert_visible_applications(user: Any) -> QuerySet[Application]:
    seats = expert_assignments(user).filter(
        status__in=[AssignmentStatus.DECLARED, AssignmentStatus.SUBMITTED]
    )
    return Application.objects.filter(assignments__in=seats).distinct()


# ------------------------------------------------------------------ conflicts


def conflicts_of(
    application: Application, expert_ids: list[int], on_date: dt.date
) -> dict[int, list[Any]]:
    """The registry's conflicts (every registered source) of the experts with the applicant
    and its partners."""
    partner_orgs = [p["organisation"] for p in application.partners if p.get("organisation")]
    return conflicts_for(expert_ids, application.enterprise_id, partner_orgs, on_date)


def available_experts() -> list[Expert]:
    """Active experts who are not marked unavailable, with their fields (for the profile text)."""
    return list(
        Expert.objects.filter(active=True)
        .exclude(availability="unavailable")
        .prefetch_related("fields")
        .order_by("pk")
    )


def notice_fields(project: Project) -> list[tuple[str, str]]:
    """The redacted fields of a project in the public notice: no budget detail, no contact."""
    app = project.application
    amount = project.grant_yuan or (app.decision.amount_yuan if hasattr(app, "decision") else None)
    return [
        ("项目名称", app.title),
        ("承担单位", app.enterprise.name),
        ("项目负责人", app.owner_name),
        ("计划类别", app.call.programme_type.name),
        ("拟资助金额（万元）", "" if amount is None else f"{amount / 10000:.2f}"),
    ]


# ------------------------------------------------------------------ projects and reports


def projects_for(user: Any) -> QuerySet[Project]:
    if user_role(user) in (Role.EXPERT, Role.LEADER):
        return Project.objects.none()
    return Project.objects.for_user(user).select_related(
        "application__call__programme_type", "application__enterprise__town"
    )


def due_reports(*, today: dt.date, days_ahead: int = 30, user: Any = None) -> list[ProgressReport]:
    """Reports not yet submitted that are overdue or due within `days_ahead` days."""
    qs = ProgressReport.objects.filter(
        submitted_at__isnull=True,
        due_on__lte=today + dt.timedelta(days=days_ahead),
        project__status=ProjectStatus.RUNNING,
    )
    if user is not None:
        qs = qs.for_user(user)
    return list(qs.select_related("project__application__enterprise").order_by("due_on"))


# The registry measures a KPI may name (docs/programmes.md#mid-term-and-acceptance).
MEASURES = {
    "invention_patents_filed": "发明专利申请数（自立项起）",
    "invention_patents_granted": "发明专利授权数（自立项起）",
    "main_business_revenue_wan": "主营业务收入（万元）",
    "rd_expense_wan": "研发费用（万元）",
    "tech_staff": "科技人员数",
}


def measured_kpis(project: Project, year: int | None = None) -> dict[str, Decimal]:
    """What the registry measures for the project's enterprise since the project started."""
    eid = project.application.enterprise_id
    start = project.starts_on or project.created_at.date()
    ip = IntellectualProperty.objects.filter(enterprise_id=eid, kind=IPKind.INVENTION_PATENT)
    out: dict[str, Decimal] = {
        "invention_patents_filed": Decimal(ip.filter(application_date__gte=start).count()),
        "invention_patents_granted": Decimal(ip.filter(grant_date__gte=start).count()),
    }
    fig = (
        AnnualFigure.objects.filter(enterprise_id=eid, **({"year": year} if year else {}))
        .order_by("-year")
        .values("main_business_revenue", "rd_expense_stat", "tech_staff_year_end")
        .first()
    )
    if fig:
        if fig["main_business_revenue"] is not None:
            out["main_business_revenue_wan"] = fig["main_business_revenue"] / 10000
        if fig["rd_expense_stat"] is not None:
            out["rd_expense_wan"] = fig["rd_expense_stat"] / 10000
        if fig["tech_staff_year_end"] is not None:
            out["tech_staff"] = Decimal(fig["tech_staff_year_end"])
    return out


def report_comparison(report: ProgressReport) -> list[dict[str, Any]]:
    """Each contracted KPI: reported vs measured, shortfall flagged."""
    reported = {k.get("indicator"): k.get("reported") for k in report.kpis or []}
    kpis = [
        {**k, "reported": reported.get(k.get("indicator"))} for k in report.project.application.kpis
    ]
    return kpi_attainment(kpis, measured_kpis(report.project))


def tranche_hold_reasons(project: Project, today: dt.date) -> list[str]:
    overdue = [
        r.get_kind_display()
        for r in project.reports.filter(submitted_at__isnull=True, due_on__lt=today)
    ]
    failed = []
    for r in project.reports.filter(outcome=ReportOutcome.FAILED):
        failed += [row["indicator"] for row in report_comparison(r) if row["met"] is False]
    return _hold_reasons(overdue_reports=overdue, failed_kpis=failed)


# ------------------------------------------------------------------ portfolio and figures


def portfolio(user: Any, *, by: str = "programme", year: int | None = None) -> list[dict[str, Any]]:
    """Projects grouped by programme, year, town, industry or status: counts, committed and
    paid; each row carries the filter that lists its projects."""
    keys = {
        "programme": ("application__call__programme_type__code", "programme"),
        "year": ("application__call__year", "year"),
        "town": ("application__enterprise__town__name", "town"),
        "industry": ("application__enterprise__industry_code", "industry"),
        "status": ("status", "status"),
    }
    field, param = keys.get(by, keys["programme"])
    # The leader reads the region's aggregates (never the records behind them).
    qs = (
        Project.objects.all()
        if role_scope(user, "programmes.portfolio") == ScopeKind.ALL
        else projects_for(user)
    )
    if year:
        qs = qs.filter(application__call__year=year)
    rows = {
        r[field]: {
            "key": r[field],
            "param": param,
            "projects": r["n"],
            "committed": (r["grant"] or Decimal(0)),
        }
        for r in qs.values(field).annotate(n=Count("pk"), grant=Sum("grant_yuan")).order_by(field)
    }
    inv = (
        Investment.objects.filter(project__in=qs)
        .values(f"project__{field}")
        .annotate(s=Sum("amount_yuan"))
    )
    for r in inv:
        row = rows.get(r[f"project__{field}"])
        if row:
            row["committed"] += r["s"] or 0
    paid = (
        Tranche.objects.filter(project__in=qs, status=TrancheStatus.PAID)
        .values(f"project__{field}")
        .annotate(s=Sum("amount_yuan"))
    )
    for row in rows.values():
        row["paid"] = Decimal(0)
    for r in paid:
        if r[f"project__{field}"] in rows:
            rows[r[f"project__{field}"]]["paid"] = r["s"] or Decimal(0)
    # KPI attainment of the group's concluded reports (met ÷ KPIs with a result).
    met: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for report in ProgressReport.objects.filter(
        project__in=qs, decided_at__isnull=False
    ).select_related("project__application"):
        group = met[getattr_path(report.project, field)]
        for kpi in report_comparison(report):
            if kpi["met"] is not None:
                group[0] += bool(kpi["met"])
                group[1] += 1
    for key, row in rows.items():
        done, total = met.get(key, (0, 0))
        row["kpi_pct"] = (Decimal(done * 100) / total).quantize(Decimal("0.1")) if total else None
    if by == "status":
        for row in rows.values():
            row["label"] = ProjectStatus(row["key"]).label
    if by == "programme":
        names = dict(ProgrammeType.objects.values_list("code", "name"))
        for row in rows.values():
            row["label"] = names.get(row["key"], row["key"])
    if by == "industry":
        for row in rows.values():
            row["key"] = (row["key"] or "")[:2]
    return list(rows.values())


def getattr_path(obj: Any, path: str) -> Any:
    """The value at a Django lookup path (`application__call__year`) of a loaded object."""
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def investments_for(user: Any) -> QuerySet[Investment]:
    if user_role(user) in (Role.EXPERT, Role.LEADER):
        return Investment.objects.none()
    return Investment.objects.for_user(user).select_related("project__application__enterprise")


def programme_figures(year: int) -> dict[str, Any]:
    """The headline figures of `year` (figure catalogue provider): key R&D projects publicly
    noticed (counted from notice items), applications submitted, funding committed and paid,
    KPI attainment of the year's concluded reports."""
    ids = noticed_object_ids(Project, kind=NoticeKind.PROGRAMME_PROJECTS, year=year)
    noticed = Project.objects.filter(
        pk__in=ids, application__call__programme_type__code=KEY_RD_CODE
    ).count()
    submitted = Application.objects.filter(submitted_at__year=year).exclude(
        status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]
    )
    projects = Project.objects.filter(application__call__year=year)
    grants = projects.aggregate(s=Sum("grant_yuan"))["s"] or Decimal(0)
    invested = Investment.objects.filter(invested_on__year=year).aggregate(s=Sum("amount_yuan"))[
        "s"
    ] or Decimal(0)
    paid = Tranche.objects.filter(paid_on__year=year, status=TrancheStatus.PAID).aggregate(
        s=Sum("amount_yuan")
    )["s"] or Decimal(0)
    met = total = 0
    for report in ProgressReport.objects.filter(decided_at__year=year).select_related(
        "project__application"
    ):
        for row in report_comparison(report):
            if row["met"] is not None:
                total += 1
                met += bool(row["met"])
    return {
        keys.KEY_RD_PROJECTS_NOTICED: noticed,
        keys.PROGRAMME_APPLICATIONS: submitted.count(),
        keys.PROGRAMME_FUNDING_COMMITTED: grants + invested,
        keys.PROGRAMME_FUNDING_PAID: paid,
        keys.PROGRAMME_KPI_ATTAINMENT: (Decimal(met * 100) / total).quantize(Decimal("0.1"))
        if total
        else None,
    }


def applications_by_type(year: int) -> dict[str, int]:
    return dict(
        Application.objects.filter(submitted_at__year=year)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .values_list("call__programme_type__name")
        .annotate(n=Count("pk"))
    )


def review_overview(call: Call) -> list[Application]:
    """The call's applications with their seats and conflicts (staff)."""
    return list(
        call.applications.exclude(status=ApplicationStatus.DRAFT)
        .select_related("enterprise", "topic")
        .prefetch_related("assignments__expert", "conflicts__expert")
        .order_by("topic__sort_order", "rank", "pk")
    )


def seats_by_stage(application: Application, stage: str = Stage.REVIEW) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for s in application.assignments.filter(stage=stage).values_list("status", flat=True):
        counts[s] += 1
    return dict(counts)


def q_text(text: str) -> Q:
    return Q(title__icontains=text) | Q(enterprise__name__icontains=text)


# ------------------------------------------------------------------ API lists


def api_applications(user: Any, *, reviewer: bool) -> QuerySet[Application]:
    """Applications of the API: a reviewer's those of declared seats, otherwise the user's scope."""
    rows = expert_visible_applications(user) if reviewer else applications_for(user)
    return rows.order_by("pk")


def assignments_managed() -> QuerySet[ReviewAssignment]:
    """Every review seat (the bureau's view)."""
    return ReviewAssignment.objects.select_related("application").order_by("pk")


def conflict_records() -> QuerySet[ConflictRecord]:
    return ConflictRecord.objects.order_by("pk")


def tranches_for(user: Any) -> QuerySet[Tranche]:
    return Tranche.objects.for_user(user).order_by("project", "seq")


def reports_for(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.for_user(user).order_by("due_on", "pk")


def notifications_of(user: Any) -> QuerySet[Notification]:
    """The user's own in-app reminders, newest first."""
    return Notification.objects.filter(user=user).order_by("-created_at", "pk")
