"""The computed indicators available now, from the registry, R&D and institution selectors.

Registered in IndicatorsConfig.ready(); later capabilities register their own the same way.
Values are the home region's, in the unit of the catalogue entry of the same code.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.enterprises.models import Qualification
from kechuang.enterprises.selectors import ladder_counts, valid_high_tech_series
from kechuang.platforms.selectors import institution_counts
from kechuang.rnd.selectors import rd_aggregates

from .registry import memoised, register

__all__ = ["register_platform_indicators", "high_tech_pending"]


def _rd_figures(year: int) -> dict:
    return memoised(("rd_aggregates", year), lambda: rd_aggregates(year))


def _ladder_figures(year: int) -> dict:
    return memoised(("ladder_counts", year), lambda: ladder_counts(year))


def _rd(key: str):
    def value(year: int):
        figures = _rd_figures(year)
        return figures[key] if figures["above_scale_industrial"] else None

    return value


def _ladder(key: str):
    def value(year: int):
        return _ladder_figures(year)[key]

    return value


def _institutions_per_above_scale(year: int):
    above = _rd_figures(year)["above_scale_industrial"]
    if not above:
        return None
    return round(100 * institution_counts(year)["rd_institutions_total"] / above, 2)


def _high_tech_net_increase(year: int):
    series = valid_high_tech_series([year - 1, year])
    return series[year] - series[year - 1]


def _enterprises(query: str):
    return lambda year: f"{reverse('enterprises:enterprise_list')}?year={year}{query}"


def _qualifications(query: str):
    return lambda year: f"{reverse('enterprises:qualification_list')}?{query.format(year=year)}"


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
    if _rd_figures(year)["above_scale_industrial"]:
        return ""
    return _("The yearly figures of %(year)s are not reported yet.") % {"year": year}


def register_platform_indicators() -> None:
    """Register the indicators computed from the enterprise registry, R&D and institutions."""
    register(
        "rd_intensity",
        _rd("rd_intensity_pct"),
        records_url=_enterprises("&above_scale=true"),
        pending=_figures_pending,
        app="rnd",
    )
    register(
        "above_scale_with_rd_share",
        _rd("above_scale_with_rd_share_pct"),
        records_url=_enterprises("&above_scale=true&has_rd=true"),
        pending=_figures_pending,
        app="rnd",
    )
    register(
        "rd_expense_growth",
        _rd("rd_expense_growth_pct"),
        records_url=_enterprises("&above_scale=true&has_rd=true"),
        pending=_figures_pending,
        app="rnd",
    )
    register(
        "high_tech_valid",
        _ladder("high_tech_valid_end_of_year"),
        records_url=_qualifications("kind=high_tech&valid_on={year}-12-31"),
        pending=high_tech_pending,
        app="enterprises",
    )
    register(
        "high_tech_recognised",
        _ladder("high_tech_recognised"),
        records_url=_qualifications("kind=high_tech&year={year}"),
        pending=high_tech_pending,
        app="enterprises",
    )
    register(
        "high_tech_net_increase",
        _high_tech_net_increase,
        records_url=_qualifications("kind=high_tech&valid_on={year}-12-31"),
        pending=high_tech_pending,
        app="enterprises",
    )
    register(
        "tech_sme_national_filed",
        _ladder("tech_sme_national_filed"),
        records_url=_qualifications("kind=national_tech_sme&year={year}"),
        app="enterprises",
    )
    register(
        "rd_institutions_per_above_scale",
        _institutions_per_above_scale,
        records_url=lambda year: reverse("platforms:institution_list"),
        pending=_figures_pending,
        app="platforms",
    )
