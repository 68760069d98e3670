"""The enterprise R&D institution figures of the catalogue (`kechuang.core.figures`).

The keys are spelled here only; `selectors.institution_counts` computes them and
PlatformsConfig.ready() registers them with `selectors.institution_figures`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.figures import Figure

__all__ = [
    "RD_INSTITUTIONS_TOTAL",
    "RD_INSTITUTIONS_NEW_BY_LEVEL",
    "INSTITUTION_SOURCE",
    "INSTITUTION_FIGURES",
    "new_by_level_url",
]

RD_INSTITUTIONS_TOTAL = "rd_institutions_total"
RD_INSTITUTIONS_NEW_BY_LEVEL = "rd_institutions_new_by_level"
INSTITUTION_SOURCE = "省、宁波市和本市科技部门公布的企业研发机构认定文件"


def _list(params: dict) -> str:
    return f"{reverse('platforms:institution_list')}?{urlencode(params)}"


def new_by_level_url(year: int, level: str) -> str:
    """The institutions of `level` recognised in `year`."""
    return _list({"year_recognised": year, "level": level})


INSTITUTION_FIGURES = (
    Figure(
        RD_INSTITUTIONS_TOTAL,
        _("Cumulative institutions"),
        "count",
        definition="认定年度不晚于当年且未被撤销的各级企业研发机构数；升级的机构按新级别计一次",
        source=INSTITUTION_SOURCE,
        drill_down=lambda year: _list({"recognised_by": year}),
        app="platforms",
        unit_label=_("institutions"),
    ),
    Figure(
        RD_INSTITUTIONS_NEW_BY_LEVEL,
        _("New institutions by level"),
        "count",
        definition="当年认定的各级企业研发机构数，按认定年度计（按级别分列）",
        source=INSTITUTION_SOURCE,
        app="platforms",
        unit_label=_("institutions"),
    ),
)
