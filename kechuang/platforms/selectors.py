"""Reads of enterprise R&D institutions."""

from __future__ import annotations

from django.db.models import Count, Q

from .models import InstitutionLevel, InstitutionStatus, RDInstitution

__all__ = ["institution_counts"]


def institution_filters(year: int) -> dict[str, Q]:
    """Filters behind the institution figures: cumulative (recognised by `year`, not revoked)
    and new in `year` per level."""
    filters = {
        "rd_institutions_total": Q(year_recognised__lte=year) & ~Q(status=InstitutionStatus.REVOKED)
    }
    for level in InstitutionLevel:
        filters[f"new_{level.value}"] = Q(year_recognised=year, level=level)
    return filters


def institution_counts(year: int, queryset=None) -> dict:
    """Cumulative institutions at the end of `year` and new ones by level (one query)."""
    qs = queryset if queryset is not None else RDInstitution.objects.all()
    row = qs.aggregate(**{k: Count("id", filter=q) for k, q in institution_filters(year).items()})
    return {
        "rd_institutions_total": row["rd_institutions_total"],
        "rd_institutions_new_by_level": {
            level.value: row[f"new_{level.value}"] for level in InstitutionLevel
        },
    }
