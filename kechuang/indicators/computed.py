"""The computed indicators available now, from the registry, R&D and institution selectors.

Registered in IndicatorsConfig.ready(); later capabilities register their own the same way.
Values are the home region's, in the unit of the catalogue entry of the same code.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from kechuang.core.figures import figure, figure_values
from kechuang.enterprises import figures as ladder
from kechuang.enterprises.models import Qualification
from kechuang.enterprises.selectors import valid_high_tech_series
from kechuang.rnd.figures import INSTITUTIONS_PER_ABOVE_SCALE
from kechuang.rnd.logic.aggregates import ABOVE_SCALE, RD_GROWTH, RD_INTENSITY, WITH_RD_SHARE

from .registry import memoised, register

__all__ = ["register_platform_indicators", "high_tech_pending"]


def _values(year: int) -> dict:
    """The catalogue's region-wide figures these indicators read (one provider call each)."""
    keys = (
        ABOVE_SCALE,
        RD_INTENSITY,
        WITH_RD_SHARE,
        RD_GROWTH,
        INSTITUTIONS_PER_ABOVE_SCALE,
        ladder.HIGH_TECH_VALID,
        ladder.HIGH_TECH_RECOGNISED,
        ladder.TECH_SME_NATIONAL_FILED,
    )
    return memoised(("figure_values", year), lambda: figure_values(year, keys=keys))


def _rd(key: str):
    """An R&D figure, undefined (None) for a year without above-scale yearly figures."""

    def value(year: int):
        figures = _values(year)
        return figures[key] if figures[ABOVE_SCALE] else None

    return value


def _figure(key: str):
    def value(year: int):
        return _values(year)[key]

    return value


def _records(key: str):
    """The list behind figure `key` (the catalogue's drill-down)."""
    return figure(key).drill_down


def _high_tech_net_increase(year: int):
    series = valid_high_tech_series([year - 1, year])
    return series[year] - series[year - 1]


def high_tech_pending(year: int) -> str:
    """What is not yet published for high-tech recognition in `year`: Zhejiang recognises in
    (usually) two batches a year, named "<year>-1" and "<year>-2" in the registry."""
    batches = set(
        Qualification.objects.filter(kind="high_tech", batch__startswith=f"{year}-")
        .values_list("batch", flat=True)
        .distinct()
    )
    if not batches:
        return _("No high-tech recognition batch of %(year)s published yet.") % {"year": year}
    if f"{year}-2" not in batches:
        return _(
            "The second high-tech recognition batch of %(year)s is not published yet; "
            "the figure will rise when it is."
        ) % {"year": year}
    return ""


def _figures_pending(year: int) -> str:
    if _values(year)[ABOVE_SCALE]:
        return ""
    return _("The yearly figures of %(year)s are not reported yet.") % {"year": year}


def register_platform_indicators() -> None:
    """Register the indicators computed from the enterprise registry, R&D and institutions.

    An indicator whose code is a catalogue key (high-tech recognised, tech SMEs filed) is that
    figure; the others read the catalogue figure they are named after."""
    register(
        "rd_intensity",
        _rd(RD_INTENSITY),
        records_url=_records(RD_INTENSITY),
        pending=_figures_pending,
        app="rnd",
    )
    register(
        "above_scale_with_rd_share",
        _rd(WITH_RD_SHARE),
        records_url=_records(WITH_RD_SHARE),
        pending=_figures_pending,
        app="rnd",
    )
    register(
        "rd_expense_growth",
        _rd(RD_GROWTH),
        records_url=_records(RD_GROWTH),
        pending=_figures_pending,
        app="rnd",
    )
    register(
        "high_tech_valid",
        _figure(ladder.HIGH_TECH_VALID),
        records_url=_records(ladder.HIGH_TECH_VALID),
        pending=high_tech_pending,
        app="enterprises",
    )
    register(
        ladder.HIGH_TECH_RECOGNISED,
        _figure(ladder.HIGH_TECH_RECOGNISED),
        records_url=_records(ladder.HIGH_TECH_RECOGNISED),
        pending=high_tech_pending,
        app="enterprises",
    )
    register(
        "high_tech_net_increase",
        _high_tech_net_increase,
        records_url=_records(ladder.HIGH_TECH_VALID),
        pending=high_tech_pending,
        app="enterprises",
    )
    register(
        ladder.TECH_SME_NATIONAL_FILED,
        _figure(ladder.TECH_SME_NATIONAL_FILED),
        records_url=_records(ladder.TECH_SME_NATIONAL_FILED),
        app="enterprises",
    )
    register(
        "rd_institutions_per_above_scale",
        _figure(INSTITUTIONS_PER_ABOVE_SCALE),
        records_url=_records(INSTITUTIONS_PER_ABOVE_SCALE),
        pending=_figures_pending,
        app="platforms",
    )
