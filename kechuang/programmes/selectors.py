"""Reads of the programme cycle: eligibility facts from the registry and the qualification
results, what each role may see (an expert never sees a conflicted or undeclared application),
due reports, measured KPIs, the portfolio and the headline figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from kechuang.cooperation.choices import RegistrationStatus
from kechuang.cooperation.models import TechContract
from kechuang.core.access import ScopeKind, can, role_scope
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.enterprises.choices import IPKind, QualificationKind
from kechuang.enterprises.models import AnnualFigure, Enterprise, IntellectualProperty
from kechuang.experts.choices import OrganisationKind
from kechuang.experts.conflicts import conflicts_for
from kechuang.experts.models import Expert, Organisation
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
    "programme_types",
    "programme_type_get",
    "programme_type_history",
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
    "partner_candidates",
    "partner_matches",
    "partner_org_ids",
    "conflicts_of",
    "available_experts",
    "notice_fields",
    "projects_for",
    "due_reports",
    "measured_kpis",
    "measured_kpis_explained",
    "measured_kpis_explained_many",
    "report_comparison",
    "report_comparisons",
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


# ------------------------------------------------------------------ programme types


def programme_types() -> QuerySet[ProgrammeType]:
    """Every programme type with the number of its calls (the bureau's configuration list)."""
    return ProgrammeType.objects.annotate(n_calls=Count("calls")).order_by("code")


def programme_type_get(pk: Any) -> ProgrammeType:
    try:
        return ProgrammeType.objects.get(pk=pk)
    except (ProgrammeType.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def programme_type_history(programme_type: ProgrammeType, limit: int = 20) -> list[Any]:
    """The type's saved versions, newest first, with who saved them."""
    return list(
        programme_type.history.select_related("history_user").order_by("-history_date")[:limit]
    )


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


# ------------------------------------------------------------------ partners


PARTNER_SEARCH_MIN = 2  # characters before the registry is searched


def partner_candidates(text: str, limit: int = 15) -> list[tuple[str, str]]:
    """Registry names for the partner field (search as you type): organisations of the expert
    registry (universities, institutes, enterprises …) and enterprises of the registry, as
    (name, what it is). Names only; nothing else of the registry is shown."""
    text = (text or "").strip()[:64]
    if len(text) < PARTNER_SEARCH_MIN:
        return []
    kinds = dict(OrganisationKind.choices)
    rows: dict[str, str] = {}
    for name, kind, city in (
        Organisation.objects.filter(name__icontains=text)
        .order_by("name")
        .values_list("name", "kind", "city")[:limit]
    ):
        rows[name] = "专家库单位 · " + str(kinds.get(kind, kind)) + (f" · {city}" if city else "")
    for name in (
        Enterprise.objects.filter(name__icontains=text)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    ):
        rows.setdefault(name, "企业库企业")
    return sorted(rows.items(), key=lambda r: (not r[0].startswith(text), len(r[0]), r[0]))[:limit]


def partner_matches(names: list[str]) -> dict[str, dict[str, int | None]]:
    """Each partner name that names a registry organisation or enterprise exactly:
    {name: {"organisation": id or None, "enterprise": id or None}} (one query each)."""
    names = sorted({n.strip() for n in names if n and n.strip()})
    if not names:
        return {}
    found: dict[str, dict[str, int | None]] = {}
    for pk, name, enterprise_id in Organisation.objects.filter(name__in=names).values_list(
        "pk", "name", "enterprise_id"
    ):
        found[name] = {"organisation": pk, "enterprise": enterprise_id}
    by_name: dict[str, list[int]] = defaultdict(list)
    for pk, name in Enterprise.objects.filter(name__in=names).values_list("pk", "name"):
        by_name[name].append(pk)
    single = {name: ids[0] for name, ids in by_name.items() if len(ids) == 1}
    orgs = dict(
        Organisation.objects.filter(enterprise_id__in=single.values()).values_list(
            "enterprise_id", "pk"
        )
    )
    for name, eid in single.items():
        found.setdefault(name, {"organisation": orgs.get(eid), "enterprise": eid})
    return found


def partner_org_ids(application: Application) -> list[int]:
    """The registry organisations of the application's partners (those chosen from the
    registry; an enterprise partner counts through its organisation record)."""
    orgs = {int(p["organisation"]) for p in application.partners if p.get("organisation")}
    enterprises = [int(p["enterprise"]) for p in application.partners if p.get("enterprise")]
    if enterprises:
        orgs |= set(
            Organisation.objects.filter(enterprise_id__in=enterprises).values_list("pk", flat=True)
        )
    return sorted(orgs)


# ------------------------------------------------------------------ conflicts


def conflicts_of(
    application: Application, expert_ids: list[int], on_date: dt.date
) -> dict[int, list[Any]]:
    """The registry's conflicts (every registered source) of the experts with the applicant
    and its partners."""
    return conflicts_for(
        expert_ids, application.enterprise_id, partner_org_ids(application), on_date
    )


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


# The registry measures a KPI may name (docs/programmes.md#registry-measures). The period
# runs from the baseline year (the year before the project starts) to the final year (the
# latest year with figures, at most the project's end year or the report's year).
MEASURES = {
    "invention_patents_filed": "发明专利申请数（自立项起）",
    "invention_patents_granted": "发明专利授权数（自立项起）",
    "main_business_revenue_growth_wan": "新增主营业务收入（万元，期末年度减基期年度）",
    "rd_expense_wan": "研发费用（万元，期末年度）",
    "tech_staff": "科技人员数（期末年度年末）",
    "tech_contracts": "登记技术合同数（自立项起）",
}
# Keys stored by earlier KPI templates: 新增主营业务收入 was named by this key.
MEASURE_ALIASES = {"main_business_revenue_wan": "main_business_revenue_growth_wan"}


def _wan(value: Decimal) -> str:
    return f"{value / 10000:,.2f}"


def _measures(
    start: dt.date,
    last_year: int,
    ip_rows: list[tuple[dt.date | None, dt.date | None]],
    contract_dates: list[dt.date],
    figure_rows: dict[int, dict[str, Any]],
) -> dict[str, tuple[Decimal | None, str]]:
    """The measures of one project from its enterprise's preloaded rows (pure): invention
    patents as (application_date, grant_date), the signing dates of its registered technology
    contracts, and its AnnualFigure rows by year. Counts run from the project's start; yearly
    figures are read for the final year; the new main-business revenue is the final year's
    main_business_revenue minus the baseline year's."""
    baseline_year = start.year - 1
    filed = sum(1 for applied, _g in ip_rows if applied is not None and applied >= start)
    granted = sum(1 for _a, grant in ip_rows if grant is not None and grant >= start)
    since = f"{start:%Y-%m-%d}"
    out: dict[str, tuple[Decimal | None, str]] = {
        "invention_patents_filed": (
            Decimal(filed),
            f"立项（{since}）以来申请的发明专利 {filed} 件",
        ),
        "invention_patents_granted": (
            Decimal(granted),
            f"立项（{since}）以来授权的发明专利 {granted} 件",
        ),
    }
    contracts = sum(1 for signed in contract_dates if signed >= start)
    out["tech_contracts"] = (
        Decimal(contracts),
        f"立项（{since}）以来签订并已登记的技术合同 {contracts} 份",
    )
    figures = {y: row for y, row in figure_rows.items() if baseline_year <= y <= last_year}
    later = sorted((y for y in figures if y > baseline_year), reverse=True)
    final = figures[later[0]] if later else None
    base = figures.get(baseline_year)
    if final is None:
        missing = f"{baseline_year + 1}—{last_year}年度尚无统计数据"
        for key in ("main_business_revenue_growth_wan", "rd_expense_wan", "tech_staff"):
            out[key] = (None, missing)
        return out
    year = final["year"]
    mbr_final = final["main_business_revenue"]
    mbr_base = base["main_business_revenue"] if base else None
    if mbr_final is None or mbr_base is None:
        gap = baseline_year if mbr_base is None else year
        out["main_business_revenue_growth_wan"] = (
            None,
            f"{gap}年度主营业务收入缺失，无法计算新增主营业务收入",
        )
    else:
        growth = (mbr_final - mbr_base) / 10000
        out["main_business_revenue_growth_wan"] = (
            growth,
            f"{year}年主营业务收入 {_wan(mbr_final)} 万元 − {baseline_year}年（基期）"
            f"{_wan(mbr_base)} 万元 = {growth:,.2f} 万元",
        )
    rd = final["rd_expense_stat"]
    out["rd_expense_wan"] = (
        None if rd is None else rd / 10000,
        f"{year}年研发费用（统计口径）缺失"
        if rd is None
        else f"{year}年研发费用（统计口径）{_wan(rd)} 万元",
    )
    staff = final["tech_staff_year_end"]
    out["tech_staff"] = (
        None if staff is None else Decimal(staff),
        f"{year}年末科技人员数缺失" if staff is None else f"{year}年末科技人员 {staff} 人",
    )
    return out


def _period(project: Project, until_year: int | None) -> tuple[dt.date, int]:
    """The project's start and the last year its figures are read for."""
    start = project.starts_on or project.created_at.date()
    last_year = until_year or timezone.localdate().year
    if project.ends_on:
        last_year = min(last_year, project.ends_on.year)
    return start, last_year


def measured_kpis_explained_many(
    projects_with_until_year: Sequence[tuple[Project, int | None]],
) -> list[dict[str, tuple[Decimal | None, str]]]:
    """measured_kpis_explained for many (project, until_year) pairs, in their order: the
    patents, the registered contracts and the yearly figures of every enterprise concerned are
    read in three queries, then each project's measures are computed by the same function.
    The projects' applications must be loaded (select_related("application"))."""
    pairs = [
        (project.application.enterprise_id, *_period(project, until))
        for project, until in projects_with_until_year
    ]
    if not pairs:
        return []
    eids = sorted({eid for eid, _s, _y in pairs})
    first = min(start for _e, start, _y in pairs)
    ip: dict[int, list[tuple[dt.date | None, dt.date | None]]] = defaultdict(list)
    for patent in IntellectualProperty.objects.filter(
        Q(application_date__gte=first) | Q(grant_date__gte=first),
        enterprise_id__in=eids,
        kind=IPKind.INVENTION_PATENT,
    ).values_list("enterprise_id", "application_date", "grant_date"):
        ip[patent[0]].append((patent[1], patent[2]))
    contracts: dict[int, list[dt.date]] = defaultdict(list)
    wanted = set(eids)
    for seller, buyer, signed in TechContract.objects.filter(
        Q(seller_enterprise_id__in=eids) | Q(buyer_enterprise_id__in=eids),
        status=RegistrationStatus.REGISTERED,
        signed_on__gte=first,
    ).values_list("seller_enterprise_id", "buyer_enterprise_id", "signed_on"):
        # A contract between two of the enterprises counts once for each of them.
        for eid in {seller, buyer} & wanted:
            contracts[eid].append(signed)
    figures: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in AnnualFigure.objects.filter(
        enterprise_id__in=eids,
        year__gte=first.year - 1,
        year__lte=max(year for _e, _s, year in pairs),
    ).values(
        "enterprise_id", "year", "main_business_revenue", "rd_expense_stat", "tech_staff_year_end"
    ):
        figures[row["enterprise_id"]][row["year"]] = dict(row)
    return [
        _measures(start, last_year, ip[eid], contracts[eid], figures[eid])
        for eid, start, last_year in pairs
    ]


def measured_kpis_explained(
    project: Project, until_year: int | None = None
) -> dict[str, tuple[Decimal | None, str]]:
    """What the registry measures for the project's enterprise, each with the formula it came
    from in Chinese: {measure: (value or None, formula)} (see measured_kpis_explained_many)."""
    return measured_kpis_explained_many([(project, until_year)])[0]


def measured_kpis(project: Project, until_year: int | None = None) -> dict[str, Decimal]:
    """The registry's measures of the project (those it can compute), without formulas."""
    values = {
        key: value
        for key, (value, _formula) in measured_kpis_explained(project, until_year).items()
        if value is not None
    }
    for old, new in MEASURE_ALIASES.items():
        if new in values:
            values[old] = values[new]
    return values


def report_until_year(report: ProgressReport) -> int:
    """The last year a report reads figures for: the year it is due (at most the end year)."""
    return report.due_on.year


def report_comparisons(reports: Sequence[ProgressReport]) -> list[list[dict[str, Any]]]:
    """report_comparison of many reports, in their order, with the measures read in a
    constant number of queries (load the reports with select_related("project__application"))."""
    explained_all = measured_kpis_explained_many(
        [(report.project, report_until_year(report)) for report in reports]
    )
    out = []
    for report, explained in zip(reports, explained_all, strict=True):
        reported = {k.get("indicator"): k.get("reported") for k in report.kpis or []}
        kpis = [
            {
                **k,
                "measure": MEASURE_ALIASES.get(k.get("measure") or "", k.get("measure") or ""),
                "reported": reported.get(k.get("indicator")),
            }
            for k in report.project.application.kpis
        ]
        measured = {key: value for key, (value, _f) in explained.items() if value is not None}
        rows = kpi_attainment(kpis, measured)
        for row in rows:
            key = row.get("measure") or ""
            row["measure_label"] = MEASURES.get(key, "")
            row["formula"] = explained[key][1] if key in explained else ""
        out.append(rows)
    return out


def report_comparison(report: ProgressReport) -> list[dict[str, Any]]:
    """Each contracted KPI: reported vs measured (with the formula), shortfall flagged."""
    return report_comparisons([report])[0]


def tranche_hold_reasons(project: Project, today: dt.date) -> list[str]:
    overdue = [
        r.get_kind_display()
        for r in project.reports.filter(submitted_at__isnull=True, due_on__lt=today)
    ]
    failed_reports = list(
        project.reports.filter(outcome=ReportOutcome.FAILED).select_related("project__application")
    )
    failed = [
        row["indicator"]
        for rows in report_comparisons(failed_reports)
        for row in rows
        if row["met"] is False
    ]
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
    concluded = list(
        ProgressReport.objects.filter(project__in=qs, decided_at__isnull=False).select_related(
            *_select_for(field)
        )
    )
    for report, comparison in zip(concluded, report_comparisons(concluded), strict=True):
        group = met[getattr_path(report.project, field)]
        for kpi in comparison:
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


def _select_for(field: str) -> list[str]:
    """The relations a report needs loaded to read its project's group `field` and KPIs."""
    relation = "project__" + "__".join(field.split("__")[:-1])
    return ["project__application"] + ([relation] if relation.count("__") > 1 else [])


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
    concluded = list(
        ProgressReport.objects.filter(decided_at__year=year).select_related("project__application")
    )
    for comparison in report_comparisons(concluded):
        for row in comparison:
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
