"""The dashboard's headline figures: one function shared by the dashboard page, `kechuang stats`
and (later) the annual report. Keys follow demo-region.md."""

from __future__ import annotations

from decimal import Decimal

from kechuang.core.figures import provided_figures
from kechuang.enterprises.selectors import ladder_counts
from kechuang.platforms.selectors import institution_counts
from kechuang.rnd.selectors import rd_aggregates

__all__ = ["available_years", "headline_figures", "figures_as_json", "HEADLINE_PROVIDERS"]

# Later capabilities (programmes, cooperation, indicators) register callables year -> dict here.
HEADLINE_PROVIDERS: list = []


def headline_figures(year: int) -> dict:
    """Headline figures of the home region for `year` (ladder, R&D, institutions, …).

    Money in yuan (Decimal), percentages as numbers of percent.
    """
    figures: dict = {"year": year}
    figures.update(ladder_counts(year))
    rd = rd_aggregates(year)
    figures.update(rd)
    institutions = institution_counts(year)
    figures.update(institutions)
    above = rd["above_scale_industrial"]
    figures["rd_institutions_per_above_scale_pct"] = (
        round(100 * institutions["rd_institutions_total"] / above, 2) if above else None
    )
    for provider in HEADLINE_PROVIDERS:
        figures.update(provider(year))
    figures.update(provided_figures(year))
    return figures


def figures_as_json(figures: dict) -> dict:
    """JSON-safe copy: Decimal money becomes a number of yuan with two decimals."""
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in figures.items()}


def available_years() -> list[int]:
    """Years that have yearly figures, ascending (one query)."""
    from kechuang.core.datacache import memoised
    from kechuang.enterprises.models import AnnualFigure

    def years() -> list[int]:
        return sorted(AnnualFigure.objects.order_by().values_list("year", flat=True).distinct())

    return memoised("available_years", years)
