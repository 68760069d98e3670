"""Reads of innovation platforms: lists, facts computed from the registry, recognition and
graduation results, KPIs, upgrade candidates, milestones and the catalogue figures
(docs/platforms.md). Bulk reads: a fixed number of queries whatever the number of platforms or
linked enterprises."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import polars as pl
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.shortcuts import get_object_or_404

from kechuang.core.permissions import Scope, get_object_for_user
from kechuang.enterprises.choices import IPKind, IPStatus, QualificationKind, QualificationStatus
from kechuang.enterprises.models import AnnualFigure, IntellectualProperty, Qualification

from .hooks import TECH_SME_PROVIDERS
from .kpis import COMPUTED, kpis_for
from .logic.batch import graduate_statuses, incubator_statuses
from .logic.enclave import per_head_subsidy
from .logic.evaluate import evaluate, shortfall
from .logic.rulesets import RULE_SETS, PlatformRuleSet, rule_set, with_thresholds
from .models import (
    LEVEL_EVENTS,
    LEVEL_ORDER,
    Evaluation,
    EvaluationScheme,
    EventKind,
    LinkRole,
    Milestone,
    MilestoneStatus,
    Platform,
    PlatformEvent,
    PlatformLevel,
    PlatformLink,
    PlatformReport,
    PlatformRuleConfig,
    PlatformType,
    ReportingRound,
    SubsidyParameters,
    ThreeReturns,
)
from .platform_figures import (
    ENCLAVE_RESIDENTS_RD_EXPENSE,
    EVENT_FIGURES,
    PLATFORMS_BY_TYPE_LEVEL,
)

__all__ = [
    "event_filter",
    "valid_at_filter",
    "platform_figures",
    "platforms_by_type_level",
    "configured_rule_set",
    "platform_facts",
    "link_rows",
    "recognition",
    "recognition_batch",
    "upgrade_candidates",
    "overdue_milestones",
    "kpi_values",
    "enclave_rd_expense",
    "tech_sme_status",
]

WAN = Decimal(10000)
PATENT_KINDS = (IPKind.INVENTION_PATENT, IPKind.UTILITY_MODEL, IPKind.DESIGN_PATENT)


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


# ------------------------------------------------------------------ figures


def event_filter(kind: str, year: int, *, types=None, level: str | None = None) -> Q:
    """Platforms with an event of `kind` dated in `year` (at `level`), of `types`."""
    # Recognition at a level counts an upgrade to that level too.
    kinds = [kind, EventKind.UPGRADED] if kind == EventKind.RECOGNISED else [kind]
    events = PlatformEvent.objects.filter(platform=OuterRef("pk"), kind__in=kinds, date__year=year)
    if level:
        events = events.filter(level=level)
    q = Q(Exists(events))
    if types:
        q &= Q(kind__in=types)
    return q


def _in_town_scope(queryset: QuerySet, scope: Scope | None) -> QuerySet:
    if scope is None or scope.all:
        return queryset
    if scope.town_ids:
        return queryset.filter(town_id__in=scope.town_ids)
    return queryset.none()


def _level_at(on: dt.date):
    """Subquery: the level of the latest recognition/upgrade/downgrade dated on or before `on`."""
    return Subquery(
        PlatformEvent.objects.filter(platform=OuterRef("pk"), kind__in=LEVEL_EVENTS, date__lte=on)
        .order_by("-date", "-id")
        .values("level")[:1]
    )


def valid_at_filter(year: int) -> Q:
    """Platforms existing on 31 December of `year` (a step dated by then) and not revoked by then."""
    on = year_end(year)
    started = PlatformEvent.objects.filter(platform=OuterRef("pk"), date__lte=on)
    revoked = started.filter(kind=EventKind.REVOKED)
    return Q(Exists(started)) & ~Q(Exists(revoked))


def level_at_filter(year: int, level: str) -> Q:
    """Platforms whose level on 31 December of `year` is `level` (none: never recognised)."""
    on = year_end(year)
    level_events = PlatformEvent.objects.filter(
        platform=OuterRef("pk"), kind__in=LEVEL_EVENTS, date__lte=on
    )
    if level == PlatformLevel.NONE:
        return ~Q(Exists(level_events))
    latest = level_events.order_by("-date", "-id").values("level")[:1]
    return Q(pk__in=Platform.objects.annotate(_l=Subquery(latest)).filter(_l=level).values("pk"))


def platforms_by_type_level(
    year: int, queryset: QuerySet | None = None
) -> dict[str, dict[str, int]]:
    """type → level → count of the platforms valid at 31 December (level "none" if unrecognised)."""
    qs = (queryset if queryset is not None else Platform.objects.all()).filter(
        valid_at_filter(year)
    )
    rows = (
        qs.annotate(level_at=_level_at(year_end(year)))
        .values("kind", "level_at")
        .annotate(n=Count("id"))
        .order_by()
    )
    out: dict[str, dict[str, int]] = {}
    for row in rows:
        level = row["level_at"] or PlatformLevel.NONE.value
        out.setdefault(row["kind"], {})
        out[row["kind"]][level] = out[row["kind"]].get(level, 0) + row["n"]
    return out


def platform_figures(year: int, scope: Scope | None = None) -> dict[str, Any]:
    """Catalogue provider: the platform figures of `year` (a town's slice for a town scope)."""
    qs = _in_town_scope(Platform.objects.all(), scope)
    aggregates = {
        key: Count("id", filter=event_filter(kind, year, types=types, level=level))
        for key, (kind, types, level) in EVENT_FIGURES.items()
    }
    values: dict[str, Any] = dict(qs.aggregate(**aggregates))
    values[PLATFORMS_BY_TYPE_LEVEL] = platforms_by_type_level(year, qs)
    values[ENCLAVE_RESIDENTS_RD_EXPENSE] = enclave_rd_expense(year, scope)
    return values


def enclave_rd_expense(year: int, scope: Scope | None = None) -> Decimal | None:
    """R&D expense of enclave residents counted at home in `year` (yuan), a labelled slice."""
    qs = ThreeReturns.objects.filter(year=year)
    if scope is not None and not scope.all:
        qs = qs.filter(enclave__in=_in_town_scope(Platform.objects.all(), scope))
    return qs.aggregate(total=Sum("rd_expense_yuan"))["total"]


# ------------------------------------------------------------------ rule sets


def configured_rule_set(regime: str, on: dt.date) -> PlatformRuleSet:
    """The built-in rule set of `regime` with the bureau's latest version in force on `on`."""
    base = RULE_SETS[regime]
    row = (
        PlatformRuleConfig.objects.filter(regime=regime, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )
    if row is None:
        return base
    known = {k: v for k, v in (row.thresholds or {}).items() if k in base.thresholds}
    return with_thresholds(base, version=row.version, status=row.status, **known)


# ------------------------------------------------------------------ facts from the registry


def tech_sme_status(enterprise_ids: Iterable[int], year: int) -> dict[int, bool | None]:
    """The national tech-SME result of each enterprise in `year`: the qualification engine's
    (through TECH_SME_PROVIDERS), else whether the registry holds the year's filing."""
    ids = list(enterprise_ids)
    result: dict[int, bool | None] = {}
    for provider in TECH_SME_PROVIDERS:
        for key, value in provider(ids, year).items():
            if value is not None:
                result.setdefault(key, value)
    missing = [i for i in ids if i not in result]
    if missing:
        filed = set(
            Qualification.objects.filter(
                enterprise_id__in=missing,
                kind=QualificationKind.NATIONAL_TECH_SME,
                year=year,
            )
            .exclude(status=QualificationStatus.REVOKED)
            .values_list("enterprise_id", flat=True)
        )
        for i in missing:
            result[i] = i in filed
    return result


def _links_frame(platform_ids: list[int], on: dt.date) -> pl.DataFrame:
    """One row per incubatee link of these platforms with the registry facts of its enterprise
    (five queries whatever the number of links)."""
    links = list(
        PlatformLink.objects.filter(platform_id__in=platform_ids, role=LinkRole.INCUBATEE).values(
            "id",
            "platform_id",
            "enterprise_id",
            "entry_date",
            "exit_date",
            "on_site",
            "same_industry",
            "financed",
            "angel_vc_wan",
            "merged_acquired_or_listed",
            "enterprise__registration_date",
        )
    )
    if not links:
        return pl.DataFrame()
    ids = {row["enterprise_id"] for row in links}
    high_tech = set(
        Qualification.objects.filter(
            enterprise_id__in=ids, kind=QualificationKind.HIGH_TECH, issue_date__lte=on
        ).values_list("enterprise_id", flat=True)
    )
    applied = set(
        IntellectualProperty.objects.filter(
            enterprise_id__in=ids, kind__in=PATENT_KINDS, application_date__lte=on
        ).values_list("enterprise_id", flat=True)
    )
    valid = set(
        IntellectualProperty.objects.filter(
            Q(expiry_date__isnull=True) | Q(expiry_date__gte=on),
            enterprise_id__in=ids,
            status=IPStatus.GRANTED,
            grant_date__lte=on,
        ).values_list("enterprise_id", flat=True)
    )
    revenue: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for eid, year, value in AnnualFigure.objects.filter(
        enterprise_id__in=ids, year__lte=on.year, operating_revenue__isnull=False
    ).values_list("enterprise_id", "year", "operating_revenue"):
        revenue[eid][year] = value / WAN
    tech_sme = tech_sme_status(ids, on.year)

    def best_pair(eid: int) -> float | None:
        years = revenue.get(eid, {})
        sums = [years[y] + years[y + 1] for y in years if y + 1 in years]
        return float(max(sums)) if sums else None

    return pl.DataFrame(
        [
            {
                "link_id": r["id"],
                "platform_id": r["platform_id"],
                "enterprise_id": r["enterprise_id"],
                "entry_date": r["entry_date"],
                "exit_date": r["exit_date"],
                "founded_date": r["enterprise__registration_date"],
                "on_site": r["on_site"],
                "same_industry": r["same_industry"],
                "financed": r["financed"],
                "angel_vc_wan": None if r["angel_vc_wan"] is None else float(r["angel_vc_wan"]),
                "merged_acquired_or_listed": r["merged_acquired_or_listed"],
                "high_tech_recognised": r["enterprise_id"] in high_tech,
                "applied_patent": r["enterprise_id"] in applied,
                "valid_ip": r["enterprise_id"] in valid,
                "meets_tech_sme": tech_sme.get(r["enterprise_id"]),
                "revenue_two_years_wan": best_pair(r["enterprise_id"]),
            }
            for r in links
        ],
        schema_overrides={
            "entry_date": pl.Date,
            "exit_date": pl.Date,
            "founded_date": pl.Date,
            "angel_vc_wan": pl.Float64,
            "revenue_two_years_wan": pl.Float64,
            "meets_tech_sme": pl.Boolean,
        },
    )


def _computed_facts(frame: pl.DataFrame, on: dt.date) -> dict[int, dict[str, Any]]:
    """Per platform: incubatees in incubation on `on` and their counts; graduates (cumulative
    and in the year) from the graduation criteria."""
    if frame.is_empty():
        return {}
    frame = graduate_statuses(frame, rule_set("graduate"))
    # A graduate left incubation by `on` meeting one of the criteria G1–G4.
    graduated = (
        (pl.col("status") == "pass")
        & pl.col("exit_date").is_not_null()
        & (pl.col("exit_date") <= on)
    )
    current = (pl.col("entry_date") <= on) & (
        pl.col("exit_date").is_null() | (pl.col("exit_date") > on)
    )
    grouped = frame.group_by("platform_id").agg(
        current.sum().alias("incubatees"),
        (current & pl.col("financed")).sum().alias("incubatees_financed"),
        (current & pl.col("applied_patent")).sum().alias("incubatees_with_patent_applications"),
        (current & pl.col("valid_ip")).sum().alias("incubatees_with_valid_ip"),
        (current & pl.col("same_industry")).sum().alias("same_industry_incubatees"),
        graduated.sum().alias("graduates_cumulative"),
        (graduated & (pl.col("exit_date").dt.year() == on.year)).sum().alias("graduates_year"),
    )
    return {row.pop("platform_id"): row for row in grouped.to_dicts()}


def platform_facts(platforms: Iterable[Platform], on: dt.date) -> dict[int, dict[str, Any]]:
    """Recognition facts of each platform on `on`: reported facts overlaid with the figures the
    registry computes (incubatee counts, IP shares, graduates) where it has linked incubatees."""
    platforms = list(platforms)
    computed = _computed_facts(_links_frame([p.pk for p in platforms], on), on)
    out = {}
    for p in platforms:
        facts = dict(p.facts or {})
        facts.setdefault("professional", p.professional)
        facts.setdefault("remote_area", p.remote_area)
        facts.update(computed.get(p.pk, {}))
        out[p.pk] = facts
    return out


def link_rows(platform: Platform, on: dt.date) -> list[dict[str, Any]]:
    """The platform's linked enterprises with their figures, incubatee eligibility (E1–E4) and
    graduation (G1–G4 with the criterion): a fixed number of queries."""
    links = list(
        platform.links.select_related("enterprise", "enterprise__town").order_by(
            "role", "entry_date", "pk"
        )
    )
    ids = [link.enterprise_id for link in links]
    figures = {
        row["enterprise_id"]: row
        for row in AnnualFigure.objects.filter(enterprise_id__in=ids, year=on.year).values(
            "enterprise_id", "operating_revenue", "rd_expense_stat"
        )
    }
    frame = _links_frame([platform.pk], on)
    by_link = {row["link_id"]: row for row in frame.to_dicts()} if not frame.is_empty() else {}
    graduation_rules = rule_set("graduate")
    incubatee_rules = rule_set("incubatee")
    rows = []
    for link in links:
        row: dict[str, Any] = {"link": link, "figures": figures.get(link.enterprise_id, {})}
        facts = by_link.get(link.pk)
        if facts is not None:
            row["eligibility"] = evaluate(
                "incubatee",
                {
                    "meets_tech_sme": facts["meets_tech_sme"],
                    "registered_on_site": facts["on_site"],
                    "founded_date": facts["founded_date"],
                    "entry_date": facts["entry_date"],
                    "exit_date": facts["exit_date"],
                },
                on,
                incubatee_rules,
            )
            row["graduation"] = evaluate(
                "graduate",
                {
                    "high_tech_recognised": facts["high_tech_recognised"],
                    "angel_vc_wan": facts["angel_vc_wan"],
                    "merged_acquired_or_listed": facts["merged_acquired_or_listed"],
                    "revenue_wan_by_year": None,
                },
                on,
                graduation_rules,
            )
            # The revenue pair is computed once for the batch; reuse it for G3.
            _apply_revenue_pair(row["graduation"], facts["revenue_two_years_wan"], graduation_rules)
        rows.append(row)
    return rows


def _apply_revenue_pair(result: dict, pair: float | None, rules: PlatformRuleSet) -> None:
    threshold = rules.threshold("revenue_two_years_wan")
    g3 = next(c for c in result["conditions"] if c["id"] == "G3")
    if pair is not None and threshold is not None:
        g3["value"] = pair
        g3["status"] = "pass" if Decimal(str(pair)) > Decimal(threshold) else "fail"
        g3.pop("reason", None)
    passed = next((c["id"] for c in result["conditions"] if c["status"] == "pass"), None)
    result["criterion"] = passed
    statuses = {c["status"] for c in result["conditions"]}
    result["status"] = "pass" if passed else ("unknown" if "unknown" in statuses else "fail")


def regime_for(platform: Platform, *, next_level: bool = False) -> str | None:
    """The regime a platform is checked against: its current level's, or the next level's."""
    level = platform.level
    if next_level:
        index = LEVEL_ORDER.index(level)
        level = LEVEL_ORDER[min(index + 1, len(LEVEL_ORDER) - 1)]
    if platform.kind == PlatformType.INCUBATOR:
        return "national-2018" if level == PlatformLevel.NATIONAL else "zhejiang-provincial"
    if platform.kind == PlatformType.MAKER_SPACE:
        return "national-2017" if level == PlatformLevel.NATIONAL else "zhejiang-maker-space"
    return None


KIND_OF_TYPE: dict[str, str] = {
    PlatformType.INCUBATOR: "incubator",
    PlatformType.MAKER_SPACE: "maker_space",
}


def recognition(
    platform: Platform, on: dt.date, *, regime: str | None = None, facts: dict | None = None
) -> dict | None:
    """The platform's recognition result under `regime` (default: the national regime of its
    type, the confirmed one), None for types without recognition rules."""
    kind = KIND_OF_TYPE.get(platform.kind)
    if kind is None:
        return None
    regime = regime or ("national-2018" if kind == "incubator" else "national-2017")
    facts = facts if facts is not None else platform_facts([platform], on)[platform.pk]
    return evaluate(kind, facts, on, configured_rule_set(regime, on), case_id=platform.pk)


def recognition_batch(on: dt.date, regime: str = "national-2018") -> pl.DataFrame:
    """Every incubator's conditions I1–I8 and status under `regime`, vectorised."""
    incubators = list(Platform.objects.filter(kind=PlatformType.INCUBATOR))
    if not incubators:
        return pl.DataFrame()
    facts = platform_facts(incubators, on)
    rows = []
    for p in incubators:
        row = {"platform_id": p.pk, "name": p.name, **facts[p.pk]}
        for key in ("operating_since", "registered_date"):
            if isinstance(row.get(key), str):
                row[key] = dt.date.fromisoformat(row[key])
        rows.append(row)
    frame = pl.DataFrame(rows, infer_schema_length=None, strict=False)
    return incubator_statuses(frame, configured_rule_set(regime, on), on)


def upgrade_candidates(on: dt.date, queryset: QuerySet | None = None) -> list[dict[str, Any]]:
    """Incubators and maker spaces below national level checked against the next level's
    configured screen, closest first (failed conditions, unknown ones, then relative gap)."""
    qs = (
        (queryset if queryset is not None else Platform.objects.all())
        .filter(kind__in=list(KIND_OF_TYPE))
        .exclude(level=PlatformLevel.NATIONAL)
        .exclude(stage="revoked")
    )
    platforms = list(qs)
    facts = platform_facts(platforms, on)
    rows = []
    for p in platforms:
        regime = regime_for(p, next_level=True)
        if regime is None:
            continue
        result = recognition(p, on, regime=regime, facts=facts[p.pk])
        if result is None:
            continue
        rows.append(
            {"platform": p, "result": result, "regime": RULE_SETS[regime], "key": shortfall(result)}
        )
    rows.sort(key=lambda r: (r["key"], r["platform"].name))
    return rows


# ------------------------------------------------------------------ milestones, KPIs


def overdue_milestones(on: dt.date, queryset: QuerySet | None = None) -> QuerySet:
    """Milestones past their due date and neither done nor cancelled."""
    qs = queryset if queryset is not None else Milestone.objects.all()
    return (
        qs.filter(due_date__lt=on)
        .exclude(status__in=[MilestoneStatus.DONE, MilestoneStatus.CANCELLED])
        .select_related("platform")
    )


def kpi_values(platform: Platform, year: int) -> dict[str, Any]:
    """The KPIs of the platform's type that the registry computes for `year`."""
    on = year_end(year)
    links = PlatformLink.objects.filter(platform=platform).filter(
        Q(entry_date__isnull=True) | Q(entry_date__lte=on),
        Q(exit_date__isnull=True) | Q(exit_date__gte=dt.date(year, 1, 1)),
    )
    ids = list(links.values_list("enterprise_id", flat=True).distinct())
    wanted = {k.code for k in kpis_for(platform.kind) if k.source == COMPUTED}
    values: dict[str, Any] = {}
    if "linked_enterprises" in wanted:
        values["linked_enterprises"] = len(ids)
    if "linked_rd_expense_wan" in wanted:
        total = AnnualFigure.objects.filter(enterprise_id__in=ids, year=year).aggregate(
            s=Sum("rd_expense_stat")
        )["s"]
        values["linked_rd_expense_wan"] = None if total is None else round(total / WAN, 2)
    if "linked_invention_patents" in wanted:
        values["linked_invention_patents"] = IntellectualProperty.objects.filter(
            enterprise_id__in=ids, kind=IPKind.INVENTION_PATENT, grant_date__year=year
        ).count()
    if "new_high_tech" in wanted:
        values["new_high_tech"] = (
            Qualification.objects.filter(
                enterprise_id__in=ids, kind=QualificationKind.HIGH_TECH, year=year
            )
            .values("enterprise_id")
            .distinct()
            .count()
        )
    if "new_tech_sme" in wanted:
        values["new_tech_sme"] = (
            Qualification.objects.filter(
                enterprise_id__in=ids, kind=QualificationKind.NATIONAL_TECH_SME, year=year
            )
            .values("enterprise_id")
            .distinct()
            .count()
        )
    if wanted & {"incubatees", "graduates_cumulative"}:
        facts = platform_facts([platform], on)[platform.pk]
        for key in wanted:
            if key in facts:
                values[key] = facts[key]
        for key in (
            "incubatees",
            "incubatees_financed",
            "incubatees_with_patent_applications",
            "incubatees_with_valid_ip",
            "graduates_cumulative",
            "graduates_year",
            "same_industry_incubatees",
        ):
            if key in wanted:
                values.setdefault(key, 0)
    if platform.kind == PlatformType.ENCLAVE:
        row = ThreeReturns.objects.filter(enclave=platform, year=year).aggregate(
            residents=Count("enterprise", distinct=True),
            rd=Sum("rd_expense_yuan"),
            results=Sum("results_registered"),
            capacity=Sum("capacity_yuan"),
            staff=Sum("rd_staff"),
        )
        values["residents"] = row["residents"]
        values["returned_rd_expense_wan"] = None if row["rd"] is None else round(row["rd"] / WAN, 2)
        values["returned_results"] = row["results"]
        values["returned_capacity_wan"] = (
            None if row["capacity"] is None else round(row["capacity"] / WAN, 2)
        )
        values["enclave_rd_staff"] = row["staff"]
    return values


def evaluations_by_year(platform: Platform) -> list[Evaluation]:
    return list(platform.evaluations.select_related("scheme", "notice").order_by("year"))


# ------------------------------------------------------------------ page reads (scoped)


def platforms_for(user) -> QuerySet:
    """The platforms the user sees (a 404 outside them)."""
    return Platform.objects.for_user(user).select_related("town", "operator_organisation")


def platform_for(user, pk) -> Platform:
    return get_object_for_user(platforms_for(user), user, pk=pk)


def milestones_for(user) -> QuerySet:
    return Milestone.objects.for_user(user).select_related("platform")


def three_returns_for(user) -> QuerySet:
    return ThreeReturns.objects.filter(enclave__in=Platform.objects.for_user(user)).select_related(
        "enclave", "enterprise"
    )


def rounds() -> QuerySet:
    return ReportingRound.objects.annotate(
        submitted=Count("reports", filter=Q(reports__status="submitted")),
        accepted=Count("reports", filter=Q(reports__status="accepted")),
    )


def round_get(pk) -> ReportingRound:
    return get_object_or_404(ReportingRound, pk=pk)


def reports_in(round_: ReportingRound) -> list[PlatformReport]:
    return list(
        round_.reports.select_related("platform").order_by("platform__kind", "platform__name")
    )


def report_get(user, pk) -> PlatformReport:
    return get_object_or_404(
        PlatformReport.objects.for_user(user).select_related("platform", "round"), pk=pk
    )


def open_round_platforms(user) -> list[tuple[ReportingRound, Platform, PlatformReport | None]]:
    """(round, platform, report or None) for each open round and each platform the user sees
    that reports (types with a KPI set)."""
    out: list[tuple[ReportingRound, Platform, PlatformReport | None]] = []
    platforms = list(Platform.objects.for_user(user).order_by("kind", "name"))
    for round_ in ReportingRound.objects.filter(is_open=True):
        reports = {r.platform_id: r for r in round_.reports.all()}
        out.extend((round_, p, reports.get(p.pk)) for p in platforms)
    return out


def schemes() -> QuerySet:
    return EvaluationScheme.objects.all()


def evaluation_rows(year: int, kind: str | None = None) -> list[dict[str, Any]]:
    """Platforms with a scheme for their type, their evaluation of `year` and earlier grades."""
    kinds = set(EvaluationScheme.objects.values_list("kind", flat=True))
    platforms = Platform.objects.filter(kind__in=kinds)
    if kind:
        platforms = platforms.filter(kind=kind)
    evaluations: dict[int, dict[int, Evaluation]] = defaultdict(dict)
    for e in Evaluation.objects.filter(platform__in=platforms).select_related("notice"):
        evaluations[e.platform_id][e.year] = e
    return [
        {
            "platform": p,
            "evaluation": evaluations[p.pk].get(year),
            "history": [evaluations[p.pk][y] for y in sorted(evaluations[p.pk]) if y <= year],
        }
        for p in platforms.order_by("kind", "name")
    ]


def subsidy_parameters(year: int) -> SubsidyParameters | None:
    return SubsidyParameters.objects.filter(year_from__lte=year).order_by("-year_from").first()


def subsidies(records: Iterable[ThreeReturns]) -> dict[int, dict[str, Any]]:
    """The per-head subsidy of each record with its calculation, from the year's parameters."""
    params: dict[int, SubsidyParameters | None] = {}
    out = {}
    for r in records:
        if r.year not in params:
            params[r.year] = subsidy_parameters(r.year)
        p = params[r.year]
        out[r.pk] = per_head_subsidy(
            rd_staff=r.rd_staff,
            results_registered=r.results_registered,
            results_total=r.results_total,
            per_head_yuan=p.per_head_yuan if p else None,
            cap_yuan=p.cap_yuan if p else None,
            min_results_share=p.min_results_share if p else None,
        )
        out[r.pk]["pending"] = p is None or p.pending_verification
    return out


def enterprise_platforms(enterprise_id: int) -> list[PlatformLink]:
    """The platforms an enterprise belongs to, with its role (for the enterprise page)."""
    return list(
        PlatformLink.objects.filter(enterprise_id=enterprise_id)
        .select_related("platform")
        .order_by("platform__kind", "platform__name")
    )


def dashboard_panel(year: int, scope: Scope | None = None) -> dict[str, Any]:
    """Platforms by type and level at the end of `year`, with the list link of each cell."""
    counts = platforms_by_type_level(year, _in_town_scope(Platform.objects.all(), scope))
    levels = [lv for lv in PlatformLevel if any(lv.value in row for row in counts.values())]
    rows = []
    for kind in PlatformType:
        if kind.value not in counts:
            continue
        rows.append(
            {
                "kind": kind,
                "cells": [(lv, counts[kind.value].get(lv.value, 0)) for lv in levels],
                "total": sum(counts[kind.value].values()),
            }
        )
    return {"year": year, "levels": levels, "rows": rows}
