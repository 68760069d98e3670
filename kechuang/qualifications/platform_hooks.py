"""The qualification engine's national tech-SME results for the platforms app's incubatee
condition E1 (docs/platforms.md#incubatees), registered into
`kechuang.platforms.hooks.TECH_SME_PROVIDERS` from QualificationsConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable

from .models import AssessmentResult, ResultStatus, Tier
from .selectors import latest_run

__all__ = ["tech_sme_results"]


def tech_sme_results(enterprise_ids: Iterable[int], year: int) -> dict[int, bool | None]:
    """Pass → True, fail → False, borderline/unknown → None, from the year's latest run."""
    run = latest_run(year)
    if run is None:
        return {}
    rows = AssessmentResult.objects.filter(
        run=run, tier=Tier.TECH_SME_NATIONAL, enterprise_id__in=list(enterprise_ids)
    ).values_list("enterprise_id", "status")
    return {
        eid: True if status == ResultStatus.PASS else False if status == ResultStatus.FAIL else None
        for eid, status in rows
    }
