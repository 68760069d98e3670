"""Reads of enterprise R&D institutions."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from kechuang.core.permissions import Scope

from .figures import RD_INSTITUTIONS_NEW_BY_LEVEL, RD_INSTITUTIONS_TOTAL
from .models import InstitutionLevel, InstitutionStatus, RDInstitution

__all__ = ["institution_counts", "institution_figures", "scoped_institutions"]


def institution_filters(year: int) -> dict[str, Q]:
    """Filters behind the institution figures: cumulative (recognised by `year`, not revoked)
    and new in `year` per level."""
    filters = {
        RD_INSTITUTIONS_TOTAL: Q(year_recognised__lte=year) & ~Q(status=InstitutionStatus.REVOKED)
    }
    for level in InstitutionLevel:
        filters[f"new_{level.value}"] = Q(year_recognised=year, level=level)
    return filters


def institution_counts(year: int, queryset: QuerySet[RDInstitution] | None = None) -> dict:
    """Cumulative institutions at the end of `year` and new ones by level (one query)."""
    qs = queryset if queryset is not None else RDInstitution.objects.all()
    row = qs.aggregate(**{k: Count("id", filter=q) for k, q in institution_filters(year).items()})
    return {
        RD_INSTITUTIONS_TOTAL: row[RD_INSTITUTIONS_TOTAL],
        RD_INSTITUTIONS_NEW_BY_LEVEL: {
            level.value: row[f"new_{level.value}"] for level in InstitutionLevel
        },
    }


def institution_figures(year: int, scope: Scope | None = None) -> dict:
    """Catalogue provider of the institution figures: the region (scope None) or a slice."""
    queryset = None if scope is None else RDInstitution.objects.all().in_scope(scope)
    return institution_counts(year, queryset)


def scoped_institutions(user: Any) -> QuerySet[RDInstitution]:
    """The R&D institutions of the enterprises the user sees (the institution list)."""
    return RDInstitution.objects.for_user(user).select_related("enterprise", "enterprise__town")
