"""Reads of the cooperation app, always scoped to the user (`for_user`), and the figures the
dashboard, `kechuang stats` and the annual report show (docs/cooperation.md#figures)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, Substr

from kechuang.core.permissions import user_role
from kechuang.core.roles import STAFF_ROLES, Role
from kechuang.enterprises.logic.industry import DIVISIONS

from . import figures as keys
from .choices import (
    BrokeringStage,
    CompetitionStage,
    ContractType,
    EventKind,
    RegistrationStatus,
    StatisticalType,
)
from .constants import workday_checker
from .logic.contracts import STATISTICAL_TYPE
from .models import (
    Achievement,
    BrokeringRecord,
    Competition,
    CompetitionEntrant,
    CooperationEvent,
    DemandMatch,
    TechContract,
    TechDemand,
)

__all__ = [
    "workday_checker",
    "demand_list",
    "demand_get",
    "demand_details_visible",
    "demand_matches",
    "achievement_list",
    "achievement_get",
    "achievement_matches",
    "brokering_list",
    "brokering_get",
    "brokering_outcomes",
    "contract_list",
    "contract_get",
    "contracts_overdue",
    "contracts_near_limit",
    "NEAR_LIMIT_DAYS",
    "contract_statistics",
    "event_list",
    "event_get",
    "event_figures",
    "competition_list",
    "competition_get",
    "entrants_of_year",
    "events_of_year",
    "demands_matched_at_events",
    "contracts_registered_in",
    "headline_figures",
]


# ------------------------------------------------------------------ demands


def demand_list(user: Any) -> QuerySet[TechDemand]:
    return TechDemand.objects.for_user(user).select_related(
        "enterprise", "enterprise__town", "event"
    )


def demand_get(user: Any, pk: int) -> TechDemand:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(demand_list(user), pk=pk)


def demand_details_visible(user: Any, demand: TechDemand) -> bool:
    """Details of a confidential demand: bureau staff, the town officer, the enterprise (and its
    agency) and suppliers named in one of its brokering records; the public summary otherwise."""
    if not demand.confidential:
        return True
    role = user_role(user)
    if role in STAFF_ROLES or role in (Role.TOWN_OFFICER, Role.ENTERPRISE, Role.AGENCY):
        return True  # for_user already limited these roles to their own demands
    if role == Role.UNIVERSITY:
        from .models import _organisation_ids

        return demand.brokering.filter(supplier_id__in=_organisation_ids(user)).exists()
    return False


def demand_matches(demand: TechDemand) -> QuerySet[DemandMatch]:
    return demand.matches.select_related("achievement", "achievement__organisation").order_by(
        "rank"
    )


# ------------------------------------------------------------------ achievements


def achievement_list(user: Any) -> QuerySet[Achievement]:
    return Achievement.objects.for_user(user).select_related("organisation", "contact_expert")


def achievement_get(user: Any, pk: int) -> Achievement:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(achievement_list(user), pk=pk)


def achievement_matches(user: Any, achievement: Achievement) -> QuerySet[DemandMatch]:
    """The demands ranked for this achievement that the user may see."""
    visible = TechDemand.objects.for_user(user).values("pk")
    return (
        DemandMatch.objects.filter(achievement=achievement, demand_id__in=visible)
        .select_related("demand", "demand__enterprise")
        .order_by("-score")
    )


# ------------------------------------------------------------------ brokering


def brokering_list(user: Any) -> QuerySet[BrokeringRecord]:
    return BrokeringRecord.objects.for_user(user).select_related(
        "demand",
        "demand__enterprise",
        "achievement",
        "supplier",
        "expert",
        "event",
        "officer",
        "agency",
    )


def brokering_get(user: Any, pk: int) -> BrokeringRecord:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(brokering_list(user), pk=pk)


OUTCOME_GROUPS = {
    "officer": ("officer__profile__display_name", "officer__username"),
    "agency": ("agency__name",),
    "university": ("supplier__name",),
    "event": ("event__name",),
}


def brokering_outcomes(queryset: QuerySet[BrokeringRecord], by: str) -> list[dict[str, Any]]:
    """Records, those past the contact stage, contracted and closed, per officer, agency,
    university or event (one grouped query)."""
    keys = OUTCOME_GROUPS.get(by, OUTCOME_GROUPS["officer"])
    rows = (
        queryset.values(*keys)
        .annotate(
            total=Count("pk"),
            met=Count(
                "pk",
                filter=Q(
                    stage__in=[
                        BrokeringStage.MEETING,
                        BrokeringStage.NEGOTIATION,
                        BrokeringStage.CONTRACTED,
                    ]
                ),
            ),
            contracted=Count("pk", filter=Q(stage=BrokeringStage.CONTRACTED)),
            closed=Count("pk", filter=Q(stage=BrokeringStage.CLOSED)),
        )
        .order_by("-total")
    )
    out = []
    for row in rows:
        name = next((row[k] for k in keys if row.get(k)), "") or "—"
        out.append({"name": name, **{k: row[k] for k in ("total", "met", "contracted", "closed")}})
    return out


# ------------------------------------------------------------------ contracts


def contract_list(user: Any) -> QuerySet[TechContract]:
    return TechContract.objects.for_user(user).select_related(
        "seller_enterprise", "buyer_enterprise", "town", "seller_organisation", "brokering"
    )


def contract_get(user: Any, pk: int) -> TechContract:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(contract_list(user), pk=pk)


def contracts_overdue(queryset: QuerySet[TechContract], today: dt.date) -> list[TechContract]:
    """Accepted applications without a decision past their time limit (limits depend on the
    amount and the configuration, so the check runs on the few pending rows)."""
    pending = queryset.filter(status=RegistrationStatus.ACCEPTED)
    return [c for c in pending if c.is_overdue(today)]


# "Near the limit": the decision is due within this many days (docs/workbench.md#to-dos).
NEAR_LIMIT_DAYS = 5


def contracts_near_limit(queryset: QuerySet[TechContract], today: dt.date) -> list[TechContract]:
    """Accepted applications without a decision whose time limit ends within
    `NEAR_LIMIT_DAYS` days, or has already passed."""
    horizon = today + dt.timedelta(days=NEAR_LIMIT_DAYS)
    pending = queryset.filter(status=RegistrationStatus.ACCEPTED, decided_on__isnull=True)
    return [c for c in pending if c.deadline is not None and c.deadline <= horizon]


def contract_statistics(queryset: QuerySet[TechContract], by: str) -> list[dict[str, Any]]:
    """Registered contracts: number, contract total and technical transaction amount by
    registered type, statistical type (2000 rules), year, town or industry division (one
    grouped query)."""
    registered = queryset.filter(status=RegistrationStatus.REGISTERED)
    key = {
        "year": ExtractYear("decided_on"),
        "town": F("town__name"),
        "industry": Substr("industry_code", 1, 2),
    }.get(by, F("registered_type"))
    rows = (
        registered.annotate(key=key)
        .values("key")
        .annotate(n=Count("pk"), total=Sum("total_amount"), technical=Sum("technical_amount"))
        .order_by("key")
    )
    out: list[dict[str, Any]] = [dict(r) for r in rows]
    if by == "statistical":
        merged: dict[str, dict[str, Any]] = {}
        for r in out:
            code = STATISTICAL_TYPE.get(r["key"], "")
            m = merged.setdefault(
                code, {"key": code, "n": 0, "total": Decimal(0), "technical": Decimal(0)}
            )
            m["n"] += r["n"]
            m["total"] += r["total"] or 0
            m["technical"] += r["technical"] or 0
        labels = dict(StatisticalType.choices)
        return [{**m, "label": labels.get(m["key"], m["key"])} for m in merged.values()]
    type_labels = dict(ContractType.choices)
    for r in out:
        if by == "industry":
            r["label"] = f"{r['key'] or '—'} {DIVISIONS.get(r['key'] or '', '')}".strip()
        elif by in ("year", "town"):
            r["label"] = r["key"] if r["key"] not in (None, "") else "—"
        else:
            r["label"] = type_labels.get(r["key"], r["key"])
    return out


def contracts_registered_in(year: int) -> QuerySet[TechContract]:
    return TechContract.objects.filter(status=RegistrationStatus.REGISTERED, decided_on__year=year)


# ------------------------------------------------------------------ events and competitions


def event_list(user: Any) -> QuerySet[CooperationEvent]:
    """Events are the bureau's own work: every role that opens the page sees them all."""
    return CooperationEvent.objects.annotate(
        n_matched=Count("brokering__demand", distinct=True),
    ).prefetch_related("organisations")


def event_get(user: Any, pk: int) -> CooperationEvent:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CooperationEvent.objects.all(), pk=pk)


def event_figures(event: CooperationEvent) -> dict[str, Any]:
    records = BrokeringRecord.objects.filter(event=event)
    contracts = TechContract.objects.filter(
        brokering__event=event, status=RegistrationStatus.REGISTERED
    )
    agg = contracts.aggregate(
        n=Count("pk"), total=Sum("total_amount"), tech=Sum("technical_amount")
    )
    return {
        "enterprises": event.enterprises.count(),
        "demands": event.demands.count(),
        "matched": records.values("demand").distinct().count(),
        "records": records.count(),
        "contracts": agg["n"] or 0,
        "contract_total": agg["total"] or Decimal(0),
        "technical_total": agg["tech"] or Decimal(0),
    }


def events_of_year(year: int) -> QuerySet[CooperationEvent]:
    return CooperationEvent.objects.filter(kind=EventKind.QIANQI_BAIXIAO, date__year=year)


def demands_matched_at_events(year: int) -> QuerySet[TechDemand]:
    """Demands with a brokering record started at one of the year's 千企百校万里行 events (a
    match = a brokering record started with a named supplier)."""
    return TechDemand.objects.filter(
        brokering__event__in=events_of_year(year), brokering__supplier__isnull=False
    ).distinct()


def competition_list(user: Any) -> QuerySet[Competition]:
    return Competition.objects.annotate(n_entrants=Count("entrants"))


def competition_get(user: Any, pk: int) -> Competition:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Competition.objects.all(), pk=pk)


def entrants_of_year(year: int, stage: str | None = None) -> QuerySet[CompetitionEntrant]:
    """Entrants of the year's competitions; with `stage`, those with a result at that stage."""
    rows = CompetitionEntrant.objects.filter(competition__year=year)
    if stage:
        rows = rows.filter(results__stage=stage)
    return rows.select_related("enterprise", "competition").distinct()


# ------------------------------------------------------------------ figures


def headline_figures(year: int) -> dict[str, Any]:
    """The cooperation figures of `year` (figure catalogue provider)."""
    contracts = contracts_registered_in(year).aggregate(
        n=Count("pk"), total=Sum("total_amount"), tech=Sum("technical_amount")
    )
    return {
        keys.COOPERATION_EVENTS: events_of_year(year).count(),
        keys.COOPERATION_DEMANDS_MATCHED: demands_matched_at_events(year).count(),
        keys.COMPETITION_ENTRANTS: entrants_of_year(year).count(),
        keys.COMPETITION_NINGBO_FINALISTS: entrants_of_year(
            year, CompetitionStage.NB_FINAL
        ).count(),
        keys.COMPETITION_NATIONAL_FINALISTS: entrants_of_year(
            year, CompetitionStage.NATIONAL_FINAL
        ).count(),
        keys.TECHNICAL_CONTRACTS_REGISTERED: contracts["n"] or 0,
        keys.TECHNICAL_CONTRACT_AMOUNT: contracts["total"] or Decimal(0),
        keys.TECHNICAL_TRANSACTION_AMOUNT: contracts["tech"] or Decimal(0),
    }


def achievement_rows(ids: list[int]) -> dict[int, Achievement]:
    return Achievement.objects.select_related("organisation").in_bulk(ids)


def brokering_for_contract(user: Any, pk: int) -> BrokeringRecord | None:
    """The user's brokering record in negotiation that a contract application starts from."""
    from kechuang.core.filters import db_int_or_none

    key = db_int_or_none(pk)
    if key is None:
        return None
    return brokering_list(user).filter(pk=key, stage=BrokeringStage.NEGOTIATION).first()


def contract_initial(record: BrokeringRecord) -> dict[str, Any]:
    """A contract application prefilled from a brokering record: the supplier sells, the
    demand's enterprise buys."""
    enterprise = record.demand.enterprise
    return {
        "brokering": record.pk,
        "title": record.demand.title,
        "seller": record.supplier.name,
        "seller_organisation": record.supplier_id,
        "buyer": enterprise.name,
        "buyer_enterprise": enterprise.pk,
        "declared_type": "dev_commissioned",
    }


def entrant_list(competition: Competition) -> QuerySet[CompetitionEntrant]:
    return competition.entrants.select_related("enterprise")


def competition_funnel(competition: Competition) -> list[dict[str, Any]]:
    """Entrants reaching each stage of the division's chain (one grouped query)."""
    from .logic.competition import STAGE_CHAIN

    counts = dict(
        CompetitionEntrant.objects.filter(competition=competition)
        .values_list("results__stage")
        .annotate(n=Count("pk", distinct=True))
        .values_list("results__stage", "n")
    )
    labels = dict(CompetitionStage.choices)
    total = competition.entrants.count()
    return [
        {"stage": s, "label": labels[s], "n": total if s == "county" else counts.get(s, 0)}
        for s in STAGE_CHAIN[competition.division]
    ]


def competition_drill_down(year: int, stage: str = "") -> str | None:
    """The entrant list of the year's competition (filtered to a stage), if there is one."""
    from django.urls import reverse

    competition = Competition.objects.filter(year=year).order_by("-edition").first()
    if competition is None:
        return None
    url = reverse("cooperation:competition_detail", args=[competition.pk])
    return f"{url}?stage={stage}" if stage else url


def entrant_all() -> QuerySet[CompetitionEntrant]:
    return CompetitionEntrant.objects.select_related("enterprise").order_by("pk")
