"""The dashboard of the home region for a chosen year.

Every figure is computed on the scope the access policy gives the user for "dashboard.view":
the whole region for bureau staff and leaders, the officer's town for a town officer, so each
card equals the count of the list it links to (which applies the same scope)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kechuang.core.access import ScopeKind, aggregate_queryset, can, requires, role_scope
from kechuang.core.charts import bar_line_chart, ranked_bar_chart
from kechuang.core.datacache import memoised
from kechuang.core.formatting import chart_value, chart_wan, chart_yi
from kechuang.core.years import data_years, selected_year
from kechuang.enterprises.models import AnnualFigure, Qualification
from kechuang.enterprises.selectors import ladder_counts, valid_high_tech_series, year_end
from kechuang.platforms.models import InstitutionLevel, RDInstitution
from kechuang.platforms.selectors import institution_counts
from kechuang.rnd.selectors import DEFINITIONS, rd_aggregates, rd_breakdown, rd_series

TREND_YEARS = 6


def _year(request, years: list[int]) -> int:
    return selected_year(request, years)


def _delta(cur, prev):
    if cur is None or prev is None:
        return None
    return cur - prev


def _figures(year: int, trend_years: tuple[int, ...], scoped=None):
    """Everything the dashboard shows, for the whole region (scoped=None) or for the scoped
    querysets (qualifications, yearly figures, institutions) of one user."""
    quals, rows, institutions = scoped or (None, None, None)
    return (
        ladder_counts(year, quals),
        ladder_counts(year - 1, quals),
        rd_aggregates(year, rows),
        institution_counts(year, institutions),
        rd_series(list(trend_years), rows),
        valid_high_tech_series(list(trend_years), quals),
        rd_breakdown(year, "town", rows),
    )


def _scoped_querysets(user):
    """None for a region-wide scope, else the user's scoped rows of each aggregated model."""
    rows = aggregate_queryset(AnnualFigure.objects.all(), user, "dashboard.view")
    if rows is None:
        return None
    return (
        aggregate_queryset(Qualification.objects.all(), user, "dashboard.view"),
        rows,
        aggregate_queryset(RDInstitution.objects.all(), user, "dashboard.view"),
    )


@requires("home.view")
def home(request):
    user = request.user
    if role_scope(user, "enterprise.view") == ScopeKind.OWN and user.profile.enterprise_id:
        return redirect("enterprises:enterprise_detail", pk=user.profile.enterprise_id)
    if not can(user, "dashboard.view"):
        return render(request, "dashboard/no_dashboard.html")
    years = data_years()
    year = _year(request, years)
    # Cards link to the lists behind them for the roles that may read those lists (the leader
    # reads the figures only).
    links = can(user, "enterprise.list")
    trend_years = [y for y in years if y <= year][-TREND_YEARS:]
    scoped = _scoped_querysets(user)
    if scoped is None:
        figures = memoised("dashboard", _figures, year, tuple(trend_years))
    else:
        figures = _figures(year, tuple(trend_years), scoped)
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
                chart_yi(series[y]["rd_expense_above_scale_yuan"], 2) for y in trend_years
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
                chart_value(series[y]["above_scale_with_rd_share_pct"], 1) for y in trend_years
            ]
        },
        lines={
            _("R&D intensity (%)"): [
                chart_value(series[y]["rd_intensity_pct"], 2) for y in trend_years
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
                "value": chart_wan(t["rd_expense_above_scale_yuan"], 0),
            }
            for t in towns
        ],
        value_key="value",
        unit=_("10,000 yuan"),
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
        "scoped": scoped is not None,
        "town_link_base": f"{above_url}&town=" if links else "",
    }
    return render(request, "dashboard/home.html", context)
