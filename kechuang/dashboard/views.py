"""The dashboard of the home region for a chosen year."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core.datacache import memoised
from kechuang.core.permissions import user_role
from kechuang.core.roles import READ_ALL_ROLES, Role
from kechuang.core.views import login_required
from kechuang.core.years import data_years, selected_year
from kechuang.enterprises.selectors import ladder_counts, valid_high_tech_series, year_end
from kechuang.platforms.models import InstitutionLevel
from kechuang.platforms.selectors import institution_counts
from kechuang.rnd.selectors import DEFINITIONS, rd_aggregates, rd_breakdown, rd_series

from .charts import bar_line_chart, ranked_bar_chart

TREND_YEARS = 6


def _year(request, years: list[int]) -> int:
    return selected_year(request, years)


def _delta(cur, prev):
    if cur is None or prev is None:
        return None
    return cur - prev


def _region_figures(year: int, trend_years: tuple[int, ...]):
    """Everything the dashboard shows for the whole region (memoised per data version)."""
    return (
        ladder_counts(year),
        ladder_counts(year - 1),
        rd_aggregates(year),
        institution_counts(year),
        rd_series(list(trend_years)),
        valid_high_tech_series(list(trend_years)),
        rd_breakdown(year, "town"),
    )


@login_required
def home(request):
    role = user_role(request.user)
    if role == Role.ENTERPRISE and request.user.profile.enterprise_id:
        return redirect("enterprises:enterprise_detail", pk=request.user.profile.enterprise_id)
    if role not in READ_ALL_ROLES | {Role.TOWN_OFFICER}:
        return render(request, "dashboard/no_dashboard.html")
    years = data_years()
    year = _year(request, years)
    links = role != Role.LEADER  # the leader reads dashboards only, not the records behind them
    trend_years = [y for y in years if y <= year][-TREND_YEARS:]
    figures = memoised("dashboard", _region_figures, year, tuple(trend_years))
    ladder, ladder_prev, rd, institutions, series, valid_ht, towns = figures

    q = reverse("enterprises:qualification_list")
    e = reverse("enterprises:enterprise_list")
    i = reverse("platforms:institution_list")
    ladder_cards = [
        (
            _("National tech SMEs filed"),
            "tech_sme_national_filed",
            f"{q}?kind=national_tech_sme&year={year}",
        ),
        (
            _("Zhejiang tech SMEs entered"),
            "tech_sme_provincial_entered",
            f"{q}?kind=provincial_tech_sme&year={year}",
        ),
        (
            _("Cultivation enterprises recognised"),
            "cultivation_recognised",
            f"{q}?kind=municipal_cultivation&year={year}",
        ),
        (
            _("High-tech enterprises recognised, first batch"),
            "high_tech_first_batch_recognised",
            f"{q}?kind=high_tech&batch={year}-1",
        ),
        (
            _("High-tech enterprises recognised in the year"),
            "high_tech_recognised",
            f"{q}?kind=high_tech&year={year}",
        ),
        (
            _("Valid high-tech enterprises at 31 Dec"),
            "high_tech_valid_end_of_year",
            f"{q}?kind=high_tech&valid_on={year_end(year).isoformat()}",
        ),
        (_("Gazelles"), "gazelle_held", f"{q}?kind=gazelle&year={year}"),
        (
            _("Potential unicorns"),
            "potential_unicorn_held",
            f"{q}?kind=potential_unicorn&year={year}",
        ),
        (_("Quasi-unicorns"), "quasi_unicorn_held", f"{q}?kind=quasi_unicorn&year={year}"),
        (_("Unicorns"), "unicorn_held", f"{q}?kind=unicorn&year={year}"),
    ]
    ladder_stats = [
        {
            "label": label,
            "value": ladder[key],
            "delta": _delta(ladder[key], ladder_prev[key]),
            "url": url if links else None,
            "key": key,
        }
        for label, key, url in ladder_cards
    ]
    above_url = f"{e}?year={year}&above_scale=true"
    rd_stats = [
        {
            "label": _("Above-scale industrial enterprises"),
            "value": rd["above_scale_industrial"],
            "unit": _("enterprises"),
            "url": above_url,
            "definition": DEFINITIONS["above_scale_industrial"],
            "key": "above_scale_industrial",
        },
        {
            "label": _("of which with R&D expense"),
            "value": rd["above_scale_with_rd"],
            "unit": _("enterprises"),
            "url": f"{above_url}&has_rd=true",
            "definition": DEFINITIONS["above_scale_with_rd"],
            "key": "above_scale_with_rd",
        },
        {
            "label": _("Share with R&D"),
            "value": rd["above_scale_with_rd_share_pct"],
            "unit": "%",
            "pct": True,
            "url": f"{above_url}&has_rd=true",
            "definition": DEFINITIONS["above_scale_with_rd_share_pct"],
            "key": "above_scale_with_rd_share_pct",
        },
        {
            "label": _("R&D expense"),
            "value": rd["rd_expense_above_scale_yuan"],
            "unit": _("100 million yuan"),
            "money": True,
            "url": f"{above_url}&has_rd=true&sort=-rd_expense_stat",
            "definition": DEFINITIONS["rd_expense_above_scale_yuan"],
            "key": "rd_expense_above_scale_yuan",
        },
        {
            "label": _("Growth on last year"),
            "value": rd["rd_expense_growth_pct"],
            "unit": "%",
            "pct": True,
            "url": f"{above_url}&has_rd=true",
            "definition": DEFINITIONS["rd_expense_growth_pct"],
            "key": "rd_expense_growth_pct",
        },
        {
            "label": _("R&D intensity"),
            "value": rd["rd_intensity_pct"],
            "unit": "%",
            "pct2": True,
            "url": above_url,
            "definition": DEFINITIONS["rd_intensity_pct"],
            "key": "rd_intensity_pct",
        },
    ]
    if not links:
        for s in rd_stats:
            s["url"] = None
    above = rd["above_scale_industrial"]
    institution_stats = [
        {
            "label": level.label,
            "value": institutions["rd_institutions_new_by_level"][level.value],
            "url": f"{i}?year_recognised={year}&level={level.value}" if links else None,
        }
        for level in reversed(InstitutionLevel)
    ]
    span = f"{trend_years[0]}–{trend_years[-1]}" if trend_years else ""
    trend_option = bar_line_chart(
        title=_("Valid high-tech enterprises and R&D expense, %(span)s") % {"span": span},
        categories=trend_years,
        bars={_("Valid high-tech enterprises"): [valid_ht[y] for y in trend_years]},
        lines={
            _("R&D expense (100 million yuan)"): [
                float(round(series[y]["rd_expense_above_scale_yuan"] / Decimal(10**8), 2))
                for y in trend_years
            ]
        },
        bar_unit=_("enterprises"),
        line_unit=_("100 million yuan"),
    )
    intensity_option = bar_line_chart(
        title=_("R&D intensity and share of enterprises with R&D, %(span)s") % {"span": span},
        categories=trend_years,
        bars={
            _("Share with R&D (%)"): [
                series[y]["above_scale_with_rd_share_pct"]
                and round(series[y]["above_scale_with_rd_share_pct"], 1)
                for y in trend_years
            ]
        },
        lines={
            _("R&D intensity (%)"): [
                series[y]["rd_intensity_pct"] and round(series[y]["rd_intensity_pct"], 2)
                for y in trend_years
            ]
        },
        bar_unit="%",
        line_unit="%",
    )
    town_option = ranked_bar_chart(
        title=_("R&D expense by town/street (10,000 yuan)"),
        items=[
            {
                "key": t["key"],
                "label": t["label"],
                "value": float(round(t["rd_expense_above_scale_yuan"] / 10000, 0)),
            }
            for t in towns
        ],
        value_key="value",
    )
    context = {
        "year": year,
        "years": years,
        "ladder_stats": ladder_stats,
        "rd_stats": rd_stats,
        "rd": rd,
        "institutions": institutions,
        "institution_stats": institution_stats,
        "institutions_total_url": f"{i}?recognised_by={year}" if links else None,
        "institution_ratio": round(100 * institutions["rd_institutions_total"] / above, 1)
        if above
        else None,
        "trend_option": trend_option,
        "intensity_option": intensity_option,
        "town_option": town_option,
        "towns": towns,
        "links": links,
        "town_link_base": f"{above_url}&town=" if links else "",
    }
    return render(request, "dashboard/home.html", context)
