"""The regional R&D figures of the catalogue (`kechuang.core.figures`): labels, definitions,
units, sources and the enterprise lists behind them.

Keys come from `logic/aggregates.py`, which computes the figures; RndConfig.ready() registers
them with `selectors.rd_figures`. The ratio of R&D institutions to above-scale industrial
enterprises is registered here too, because it is computed from both.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.figures import Figure
from kechuang.platforms.figures import INSTITUTION_SOURCE, RD_INSTITUTIONS_TOTAL

from .logic.aggregates import (
    ABOVE_SCALE,
    RD_EXPENSE,
    RD_GROWTH,
    RD_INTENSITY,
    REVENUE,
    WITH_RD,
    WITH_RD_SHARE,
)

__all__ = [
    "INSTITUTIONS_PER_ABOVE_SCALE",
    "RD_SOURCE",
    "RD_FIGURES",
    "DEFINITIONS",
    "above_scale_url",
]

INSTITUTIONS_PER_ABOVE_SCALE = "rd_institutions_per_above_scale_pct"
RD_SOURCE = "统计部门规模以上工业企业研发活动统计年报（研发费用、营业收入）"


def above_scale_url(year: int, **params: str) -> str:
    """The enterprise list of the above-scale industrial enterprises of `year` (plus `params`)."""
    query = {"year": year, "above_scale": "true", **params}
    return f"{reverse('enterprises:enterprise_list')}?{urlencode(query)}"


def _rd(key: str, label, unit: str, definition: str, drill_down, **extra) -> Figure:
    return Figure(
        key,
        label,
        unit,
        definition=definition,
        source=RD_SOURCE,
        drill_down=drill_down,
        app="rnd",
        **extra,
    )


def _with_rd(year: int) -> str:
    return above_scale_url(year, has_rd="true")


RD_FIGURES = (
    _rd(
        ABOVE_SCALE,
        _("Above-scale industrial enterprises"),
        "count",
        "规上工业企业：年主营业务收入2000万元及以上的工业法人单位（按年度标记）",
        above_scale_url,
        group="rd",
        unit_label=_("enterprises"),
    ),
    _rd(
        WITH_RD,
        _("of which with R&D expense"),
        "count",
        "有研发活动：统计口径研发费用大于0的规上工业企业",
        _with_rd,
        group="rd",
        unit_label=_("enterprises"),
    ),
    _rd(
        WITH_RD_SHARE,
        _("Share with R&D"),
        "pct",
        "有研发活动企业数 ÷ 规上工业企业数",
        _with_rd,
        group="rd",
        places=1,
        unit_label="%",
        population=WITH_RD,
    ),
    _rd(
        RD_EXPENSE,
        _("R&D expense"),
        "yuan",
        "规上工业企业研发费用（统计口径）合计",
        lambda year: above_scale_url(year, has_rd="true", sort="-rd_expense_stat"),
        group="rd",
        unit_label=_("100 million yuan"),
        population=WITH_RD,
    ),
    _rd(
        RD_GROWTH,
        _("Growth on last year"),
        "pct",
        "（本年研发费用 − 上年研发费用）÷ 上年研发费用，两年各按当年规上范围",
        _with_rd,
        group="rd",
        places=1,
        unit_label="%",
        population=WITH_RD,
    ),
    _rd(
        RD_INTENSITY,
        _("R&D intensity"),
        "pct",
        "规上工业企业研发费用 ÷ 规上工业企业营业收入",
        above_scale_url,
        group="rd",
        places=2,
        unit_label="%",
        population=ABOVE_SCALE,
    ),
    _rd(
        REVENUE,
        _("Operating revenue of above-scale industrial enterprises"),
        "yuan",
        "规上工业企业营业收入合计",
        above_scale_url,
        population=ABOVE_SCALE,
    ),
    Figure(
        INSTITUTIONS_PER_ABOVE_SCALE,
        _("R&D institutions per above-scale industrial enterprise"),
        "pct",
        definition="企业研发机构累计数 ÷ 规上工业企业数 × 100%",
        source=f"{INSTITUTION_SOURCE}；{RD_SOURCE}",
        drill_down=lambda year: (
            f"{reverse('platforms:institution_list')}?{urlencode({'recognised_by': year})}"
        ),
        app="rnd",
        places=1,
        unit_label="%",
        population=RD_INSTITUTIONS_TOTAL,
    ),
)
# The definitions the R&D page and the API show beside each figure.
DEFINITIONS = {f.key: f.definition for f in RD_FIGURES if f.group == "rd"}
