"""The figures of the ladder table and the lists behind them: one filter per cell.

Each cell of the ladder table counts the stored results of a tier matching one filter below,
and its link opens the list of exactly those results (same filter, same scope), so a figure
and its list can never disagree.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from .models import Tier

__all__ = ["CELLS", "AT_RISK", "PENDING", "cell_counts"]

# No condition fails on the registry's data, some still lack it (declarations, expert scores).
PENDING = Q(status="unknown", failed_count=0)
# A cultivation enterprise failing K0 now holds a high-tech certificate: it moved up, not at risk.
AT_RISK = Q(held=True, failed_count__gt=0) & ~Q(tier=Tier.CULTIVATION, conditions__K0="fail")

# cell key → (column heading, filter on AssessmentResult)
CELLS: dict[str, tuple] = {
    "held": (_("Held at 31 Dec"), Q(held=True)),
    "passed": (_("Meets the rules"), Q(status="pass")),
    "borderline": (_("Borderline"), Q(status="borderline")),
    "pending": (_("Meets every condition on record"), PENDING),
    "failing": (_("Fails a condition"), Q(failed_count__gt=0)),
    "candidates": (
        _("Reserve candidates (not held)"),
        Q(held=False) & (Q(status__in=["pass", "borderline"]) | PENDING),
    ),
    "at_risk": (_("Holders at risk"), AT_RISK),
}


def cell_counts(results) -> dict[str, dict[str, int]]:
    """tier → cell key → count, over the given results queryset (one query)."""
    rows = results.values("tier").annotate(
        **{f"n_{key}": Count("pk", filter=cond) for key, (_label, cond) in CELLS.items()}
    )
    return {r["tier"]: {key: r[f"n_{key}"] for key in CELLS} for r in rows}
