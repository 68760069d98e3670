"""The dashboard: the headline figures of the catalogue (`kechuang.core.figures`) for the reader's
scope, the trends and the town table behind the page, and `kechuang stats`.

Every figure is computed on the scope the access policy gives the user for "dashboard.view":
the whole region for bureau staff and leaders, the officer's town for a town officer, so each
card equals the count of the list it links to (which applies the same scope).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from kechuang.core.access import ScopeKind, can, role_scope, scope_for
from kechuang.core.charts import bar_line_chart, ranked_bar_chart
from kechuang.core.figures import figure, figure_cards, figure_values, figures_in
from kechuang.core.formatting import chart_value, chart_wan, chart_yi
from kechuang.core.permissions import Scope
from kechuang.enterprises.models import AnnualFigure, Qualification
from kechuang.enterprises.selectors import valid_high_tech_series
from kechuang.platforms.figures import (
    RD_INSTITUTIONS_NEW_BY_LEVEL,
    RD_INSTITUTIONS_TOTAL,
    new_by_level_url,
)
from kechuang.platforms.models import InstitutionLevel
from kechuang.rnd.figures import INSTITUTIONS_PER_ABOVE_SCALE, above_scale_url
from kechuang.rnd.logic.aggregates import ABOVE_SCALE, RD_EXPENSE, RD_INTENSITY, WITH_RD_SHARE
from kechuang.rnd.selectors import rd_breakdown, rd_series

__all__ = [
    "headline_figures",
    "figures_as_json",
    "landing_enterprise_id",
    "dashboard_context",
    "TREND_YEARS",
]

TREND_YEARS = 6
CARD_GROUPS = ("ladder", "rd")
INSTITUTION_KEYS = (
    RD_INSTITUTIONS_TOTAL,
    RD_INSTITUTIONS_NEW_BY_LEVEL,
    INSTITUTIONS_PER_ABOVE_SCALE,
)


def headline_figures(year: int, scope: Scope | None = None) -> dict[str, Any]:
    """Every catalogue figure of `year` for the whole region (or `scope`), after the year.

    Money in yuan (Decimal), percentages as numbers of percent.
    """
    return {"year": year, **figure_values(year, scope=scope)}


def figures_as_json(figures: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe copy: Decimal money becomes a number of yuan with two decimals."""
    return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in figures.items()}


def landing_enterprise_id(user: Any) -> int | None:
    """The enterprise whose page is the user's landing page (an enterprise user's own)."""
    if role_scope(user, "enterprise.view") == ScopeKind.OWN:
        return user.profile.enterprise_id or None
    return None


def _card_keys(*groups: str) -> list[str]:
    return [f.key for group in groups for f in figures_in(group)]


def _trend_charts(trend_years: list[int], series: dict, valid_ht: dict) -> dict[str, dict]:
    span = f"{trend_years[0]}–{trend_years[-1]}" if trend_years else ""
    trend = bar_line_chart(
        title=_("Valid high-tech enterprises and R&D expense, %(span)s") % {"span": span},
        categories=trend_years,
        bars={_("Valid high-tech enterprises"): [valid_ht[y] for y in trend_years]},
        lines={
            _("R&D expense (100 million yuan)"): [
                chart_yi(series[y][RD_EXPENSE], 2) for y in trend_years
            ]
        },
        bar_unit=_("enterprises"),
        line_unit=_("100 million yuan"),
    )
    intensity = bar_line_chart(
        title=_("R&D intensity and share of enterprises with R&D, %(span)s") % {"span": span},
        categories=trend_years,
        bars={
            _("Share with R&D (%)"): [chart_value(series[y][WITH_RD_SHARE], 1) for y in trend_years]
        },
        lines={
            _("R&D intensity (%)"): [chart_value(series[y][RD_INTENSITY], 2) for y in trend_years]
        },
        bar_unit="%",
        line_unit="%",
    )
    return {"trend_option": trend, "intensity_option": intensity}


def _town_chart(towns: list[dict]) -> dict:
    return ranked_bar_chart(
        title=_("R&D expense by town/street (10,000 yuan)"),
        items=[
            {"key": t["key"], "label": t["label"], "value": chart_wan(t[RD_EXPENSE], 0)}
            for t in towns
        ],
        value_key="value",
        unit=_("10,000 yuan"),
    )


def _series(year: int, trend_years: tuple[int, ...], scope: Scope) -> tuple:
    """Trends and the town breakdown: the region's (memoised by the selectors' snapshot) or
    the scope's rows."""
    rows = None if scope.all else AnnualFigure.objects.all().in_scope(scope)
    quals = None if scope.all else Qualification.objects.all().in_scope(scope)
    return (
        rd_series(list(trend_years), rows),
        valid_high_tech_series(list(trend_years), quals),
        rd_breakdown(year, "town", rows),
    )


def _institutions(year: int, values: dict, links: bool) -> dict[str, Any]:
    drill_down = figure(RD_INSTITUTIONS_TOTAL).drill_down
    new = values[RD_INSTITUTIONS_NEW_BY_LEVEL]
    above = values[ABOVE_SCALE]
    total = values[RD_INSTITUTIONS_TOTAL]
    return {
        "institutions": {RD_INSTITUTIONS_TOTAL: total, RD_INSTITUTIONS_NEW_BY_LEVEL: new},
        "institutions_total": total,
        "institution_stats": [
            {
                "label": level.label,
                "value": new[level.value],
                "url": new_by_level_url(year, level.value) if links else None,
            }
            for level in reversed(InstitutionLevel)
        ],
        "institutions_total_url": drill_down(year) if links and drill_down else None,
        "institution_ratio": round(100 * total / above, 1) if above else None,
    }


def dashboard_context(user: Any, year: int, years: list[int]) -> dict[str, Any]:
    """Everything the dashboard shows for `user` in `year` (cards, trends, towns)."""
    scope = scope_for(user, "dashboard.view")
    # Cards link to the lists behind them for the roles that may read those lists (the leader
    # reads the figures only).
    links = can(user, "enterprise.list")
    trend_years = [y for y in years if y <= year][-TREND_YEARS:]
    keys = [*_card_keys(*CARD_GROUPS), *INSTITUTION_KEYS]
    values = figure_values(year, scope=scope, keys=keys)
    previous = figure_values(year - 1, scope=scope, keys=_card_keys("ladder"))
    series, valid_ht, towns = _series(year, tuple(trend_years), scope)
    return {
        "year": year,
        "years": years,
        "ladder_stats": figure_cards("ladder", year, values, previous, links=links),
        "rd_stats": figure_cards("rd", year, values, links=links),
        "rd": {k: values[k] for k in _card_keys("rd")},
        **_institutions(year, values, links),
        **_trend_charts(trend_years, series, valid_ht),
        "town_option": _town_chart(towns),
        "towns": towns,
        "links": links,
        "scoped": not scope.all,
        "town_link_base": f"{above_scale_url(year)}&town=" if links else "",
    }
