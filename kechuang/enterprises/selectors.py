"""Reads of the enterprise registry: ladder counts and the records behind them."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from .choices import UNICORN_TIERS, QualificationKind, QualificationStatus
from .models import Qualification

__all__ = ["ladder_counts", "valid_high_tech_series", "year_end"]


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _valid_on(date: dt.date, prefix: str = "") -> Q:
    return (
        Q(**{f"{prefix}issue_date__lte": date})
        & (Q(**{f"{prefix}expiry_date__isnull": True}) | Q(**{f"{prefix}expiry_date__gte": date}))
        & (Q(**{f"{prefix}revoked_date__isnull": True}) | Q(**{f"{prefix}revoked_date__gt": date}))
    )


def ladder_filters(year: int) -> dict[str, Q]:
    """The filter behind each ladder figure for `year` (also used to build drill-down links).

    - tech SMEs are counted per evaluation year (qualification-rules.md §1.7), never as a stock;
    - provincial tech SMEs and cultivation enterprises by the year they entered / were recognised;
    - valid high-tech enterprises on 31 December (§2.8: issue ≤ t ≤ expiry, not revoked);
    - unicorn-type tiers held in the year.
    """
    end = year_end(year)
    not_revoked = ~Q(status=QualificationStatus.REVOKED) | Q(revoked_date__gt=end)
    filters = {
        "tech_sme_national_filed": Q(kind=QualificationKind.NATIONAL_TECH_SME, year=year) & not_revoked,
        "tech_sme_provincial_entered": Q(kind=QualificationKind.PROVINCIAL_TECH_SME, year=year),
        "cultivation_recognised": Q(kind=QualificationKind.MUNICIPAL_CULTIVATION, year=year),
        "high_tech_recognised": Q(kind=QualificationKind.HIGH_TECH, year=year),
        "high_tech_first_batch_recognised": Q(kind=QualificationKind.HIGH_TECH, batch=f"{year}-1"),
        "high_tech_valid_end_of_year": Q(kind=QualificationKind.HIGH_TECH) & _valid_on(end),
    }
    for tier in UNICORN_TIERS:
        filters[f"{tier.value}_held"] = Q(kind=tier, year=year) & not_revoked
    return filters


def ladder_counts(year: int, queryset=None) -> dict[str, int]:
    """Counts of distinct enterprises on each rung of the ladder in `year` (one query).

    queryset: Qualification rows to count (default: all; pass a scoped queryset for a slice).
    """
    qs = queryset if queryset is not None else Qualification.objects.all()
    aggregates = {
        key: Count("enterprise", distinct=True, filter=condition) for key, condition in ladder_filters(year).items()
    }
    return qs.aggregate(**aggregates)


def valid_high_tech_series(years: list[int]) -> dict[int, int]:
    """Valid high-tech enterprises at each year's 31 December (one query)."""
    qs = Qualification.objects.filter(kind=QualificationKind.HIGH_TECH)
    result = qs.aggregate(**{f"y{y}": Count("enterprise", distinct=True, filter=_valid_on(year_end(y))) for y in years})
    return {y: result[f"y{y}"] for y in years}
