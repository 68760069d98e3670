"""The annual report's platform section (创新平台载体): platforms unveiled, the provincial
incubator and maker space, the enclave tenders and the concept-verification creation list, each
figure read from the figure catalogue (computed by `kechuang.platforms.platform_selectors`) and
cited with its definition for the statistical annex; a table of platforms by type and level at
31 December. The wording is the `platforms` paragraph of `paragraphs.PARAGRAPHS`, editable."""

from __future__ import annotations

from kechuang.core.figures import figure
from kechuang.platforms.models import PlatformLevel, PlatformType
from kechuang.platforms.platform_figures import (
    CONCEPT_VERIFICATION_CENTRES_LISTED,
    ENCLAVES_TENDERED,
    PLATFORMS_BY_TYPE_LEVEL,
    PLATFORMS_UNVEILED,
    PROVINCIAL_INCUBATORS_NEW,
    PROVINCIAL_MAKER_SPACES_NEW,
    SOURCE,
)

from .content import Provenance, ReportContext, Section, Table
from .logic.phrasing import count_text
from .paragraphs import placeholder
from .registry import register_section
from .sections import _lead, paragraph_text

__all__ = ["platforms_section"]

# key → (label, definition, unit, measure word)
FIGURES = {
    PLATFORMS_UNVEILED: (
        "揭牌启动的科技创新平台数",
        "当年揭牌启动的各类科技创新平台数（按揭牌日期计）",
        "个",
        "个",
    ),
    PROVINCIAL_INCUBATORS_NEW: (
        "新认定省级科技企业孵化器数",
        "当年被认定为（或升级为）省级的科技企业孵化器数",
        "家",
        "家",
    ),
    PROVINCIAL_MAKER_SPACES_NEW: (
        "新备案省级众创空间数",
        "当年成功备案省级众创空间的数量",
        "家",
        "家",
    ),
    ENCLAVES_TENDERED: ("完成公开招标的科创飞地数", "当年完成公开招标的科创飞地数", "个", "个"),
    CONCEPT_VERIFICATION_CENTRES_LISTED: (
        "入围宁波市概念验证中心创建名单数",
        "当年入围宁波市概念验证中心创建名单的中心数",
        "家",
        "家",
    ),
}


def _cite(ctx: ReportContext, key: str) -> str | None:
    value = ctx.figures.get(key)
    if not value:
        return None
    label, definition, unit, word = FIGURES[key]
    entry = figure(key)
    link = entry.drill_down(ctx.year) if entry.drill_down else None
    return ctx.cite(
        key,
        value,
        count_text(value, word),
        Provenance(f"{ctx.year}年{label}", definition, unit, SOURCE, link),
    )


for _key in FIGURES:
    placeholder(_key, FIGURES[_key][0])(lambda ctx, key=_key: _cite(ctx, key))


def _type_level_table(year: int, counts: dict) -> Table:
    levels = [lv for lv in PlatformLevel if any(lv.value in row for row in counts.values())]
    rows = [
        [
            str(kind.label),
            *[counts[kind.value].get(lv.value, 0) for lv in levels],
            sum(counts[kind.value].values()),
        ]
        for kind in PlatformType
        if kind.value in counts
    ]
    return Table(
        key=PLATFORMS_BY_TYPE_LEVEL,
        title=f"{year}年末创新平台载体（按类型和级别）",
        columns=["类型", *[str(lv.label) for lv in levels], "合计"],
        rows=rows,
        formats=[None, *["num"] * (len(levels) + 1)],
        note="按12月31日有效的平台计，已撤销的不计。",
        sheet="创新平台",
    )


def platforms_section(year: int, ctx: ReportContext) -> Section | None:
    """The year's platform results (nothing without platform data)."""
    counts = ctx.figures.get(PLATFORMS_BY_TYPE_LEVEL) or {}
    if not counts and not any(ctx.figures.get(k) for k in FIGURES):
        return None
    text = paragraph_text(ctx, "platforms")
    return Section(
        key="platforms",
        part="progress",
        lead=_lead(ctx, "platforms_lead"),
        paragraphs=[text] if text else [],
        tables=[_type_level_table(year, counts)] if counts else [],
    )


register_section(220, "platforms", platforms_section)
