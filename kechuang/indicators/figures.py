"""The home region's index ranks in the figure catalogue (`kechuang.core.figures`).

Registered by IndicatorsConfig.ready() with `selectors.rank_headline_figures`; a rank that
cannot be computed (no regional values for the year) is absent from the values.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.figures import Figure

__all__ = ["RANK_KEYS", "RANK_FIGURES", "RANK_SOURCE"]

# Per ranked index set: (rank among Zhejiang's counties, rank among Ningbo's districts).
RANK_KEYS = {
    "innovation": ("innovation_index_rank_province", "innovation_index_rank_ningbo"),
    "transformation": ("transformation_index_rank_province", "transformation_index_rank_ningbo"),
}
RANK_SOURCE = "各地区指标年度值（统计、科技等部门公布数据），按指数的指标体系、权重和标准化方法测算"


def _leadership(year: int) -> str:
    return f"{reverse('indicators:leadership')}?{urlencode({'year': year})}"


_LABELS = {
    "innovation": (
        _("Innovation index, rank in Zhejiang"),
        _("Innovation index, rank in Ningbo"),
    ),
    "transformation": (
        _("Transformation index, rank in Zhejiang"),
        _("Transformation index, rank in Ningbo"),
    ),
}
_DEFINITIONS = (
    "指数（各项指标标准化后加权合成）在全省各县（市、区）中由高到低的位次",
    "指数（各项指标标准化后加权合成）在宁波市各区（县、市）中由高到低的位次",
)

RANK_FIGURES = tuple(
    Figure(
        key,
        label,
        "rank",
        definition=definition,
        source=RANK_SOURCE,
        drill_down=_leadership,
        app="indicators",
    )
    for code, keys in RANK_KEYS.items()
    for key, label, definition in zip(keys, _LABELS[code], _DEFINITIONS, strict=True)
)
