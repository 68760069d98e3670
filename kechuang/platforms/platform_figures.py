"""The platform figures of the catalogue (`kechuang.core.figures`, docs/platforms.md#figures).

The keys are spelled here only; `platform_selectors.platform_figures` computes them and
PlatformsConfig.ready() registers them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kechuang.core.figures import Figure

from .models import EventKind, PlatformLevel, PlatformType

__all__ = [
    "PLATFORMS_UNVEILED",
    "PROVINCIAL_INCUBATORS_NEW",
    "PROVINCIAL_MAKER_SPACES_NEW",
    "ENCLAVES_TENDERED",
    "CONCEPT_VERIFICATION_CENTRES_LISTED",
    "PLATFORMS_BY_TYPE_LEVEL",
    "ENCLAVE_RESIDENTS_RD_EXPENSE",
    "EVENT_FIGURES",
    "PLATFORM_FIGURES",
    "platform_list_url",
]

PLATFORMS_UNVEILED = "platforms_unveiled"
PROVINCIAL_INCUBATORS_NEW = "provincial_incubators_new"
PROVINCIAL_MAKER_SPACES_NEW = "provincial_maker_spaces_new"
ENCLAVES_TENDERED = "enclaves_tendered"
CONCEPT_VERIFICATION_CENTRES_LISTED = "concept_verification_centres_listed"
PLATFORMS_BY_TYPE_LEVEL = "platforms_by_type_level"
ENCLAVE_RESIDENTS_RD_EXPENSE = "enclave_residents_rd_expense"

SOURCE = "科技部门公布的平台揭牌、认定、备案和创建名单文件"

# key → (event kind, platform types or None for every type, level or None)
EVENT_FIGURES: dict[str, tuple[str, tuple[str, ...] | None, str | None]] = {
    PLATFORMS_UNVEILED: (EventKind.UNVEILED, None, None),
    PROVINCIAL_INCUBATORS_NEW: (
        EventKind.RECOGNISED,
        (PlatformType.INCUBATOR,),
        PlatformLevel.PROVINCIAL,
    ),
    PROVINCIAL_MAKER_SPACES_NEW: (
        EventKind.RECOGNISED,
        (PlatformType.MAKER_SPACE,),
        PlatformLevel.PROVINCIAL,
    ),
    ENCLAVES_TENDERED: (EventKind.TENDERED, (PlatformType.ENCLAVE,), None),
    CONCEPT_VERIFICATION_CENTRES_LISTED: (
        EventKind.LISTED,
        (PlatformType.CONCEPT_VERIFICATION,),
        None,
    ),
}


def platform_list_url(**params) -> str:
    """The platform list filtered by `params` (the filters of PlatformFilterSet)."""
    return f"{reverse('platform_pages:platform_list')}?{urlencode(params)}"


def _event_url(key: str):
    kind, types, level = EVENT_FIGURES[key]

    def url(year: int) -> str:
        params = {"event": kind, "event_year": year}
        if types:
            params["kind"] = types[0]
        if level:
            params["event_level"] = level
        return platform_list_url(**params)

    return url


PLATFORM_FIGURES = (
    Figure(
        PLATFORMS_UNVEILED,
        _("S&T innovation platforms unveiled"),
        "count",
        definition="当年揭牌启动的各类科技创新平台数（按揭牌日期计）",
        source=SOURCE,
        drill_down=_event_url(PLATFORMS_UNVEILED),
        app="platforms",
        group="platforms",
        unit_label=_("platforms"),
    ),
    Figure(
        PROVINCIAL_INCUBATORS_NEW,
        _("Incubators newly recognised at provincial level"),
        "count",
        definition="当年被认定为省级的科技企业孵化器数（按认定文件日期计）",
        source=SOURCE,
        drill_down=_event_url(PROVINCIAL_INCUBATORS_NEW),
        app="platforms",
        group="platforms",
        unit_label=_("platforms"),
    ),
    Figure(
        PROVINCIAL_MAKER_SPACES_NEW,
        _("Maker spaces newly filed at provincial level"),
        "count",
        definition="当年成功备案省级众创空间的数量（按备案文件日期计）",
        source=SOURCE,
        drill_down=_event_url(PROVINCIAL_MAKER_SPACES_NEW),
        app="platforms",
        group="platforms",
        unit_label=_("platforms"),
    ),
    Figure(
        ENCLAVES_TENDERED,
        _("Enclaves whose public tender completed"),
        "count",
        definition="当年完成公开招标的科创飞地数",
        source=SOURCE,
        drill_down=_event_url(ENCLAVES_TENDERED),
        app="platforms",
        group="platforms",
        unit_label=_("platforms"),
    ),
    Figure(
        CONCEPT_VERIFICATION_CENTRES_LISTED,
        _("Concept-verification centres on Ningbo's creation list"),
        "count",
        definition="当年入围宁波市概念验证中心创建名单的中心数",
        source=SOURCE,
        drill_down=_event_url(CONCEPT_VERIFICATION_CENTRES_LISTED),
        app="platforms",
        group="platforms",
        unit_label=_("platforms"),
    ),
    Figure(
        PLATFORMS_BY_TYPE_LEVEL,
        _("Platforms by type and level"),
        "count",
        definition="12月31日有效的平台数，按类型和级别分列（已撤销的不计）",
        source=SOURCE,
        drill_down=lambda year: platform_list_url(valid_at=year),
        app="platforms",
    ),
    Figure(
        ENCLAVE_RESIDENTS_RD_EXPENSE,
        _("R&D expense of enclave residents counted at home"),
        "yuan",
        definition="飞地入驻企业在飞地发生、回归本地统计的研发费用（单列，不与规上工业企业研发费用相加）",
        source="科创飞地“三回归”记录",
        drill_down=lambda year: f"{reverse('platform_pages:three_returns_list')}?year={year}",
        app="platforms",
    ),
)
