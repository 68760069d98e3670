"""The annual report's cooperation section (产学研合作): 千企百校万里行 events and the demands
matched there, the innovation competition, and the technical contracts registered, each figure
read from the figure catalogue (`kechuang.cooperation.selectors.headline_figures`) and cited
with its definition for the statistical annex. The wording is the `cooperation` paragraph of
`paragraphs.PARAGRAPHS`, editable by the bureau."""

from __future__ import annotations

from kechuang.cooperation import figures as keys
from kechuang.core.figures import figure

from .content import Provenance, ReportContext, Section, Table
from .logic.phrasing import count_text, money_text
from .paragraphs import placeholder
from .registry import register_section
from .sections import _lead, paragraph_text

__all__ = ["cooperation_section"]

EVENTS_SOURCE = "市科技局“千企百校万里行”活动记录"
COMPETITION_SOURCE = "中国创新创业大赛（宁波赛区）参赛与晋级名单"
CONTRACT_SOURCE = "技术合同认定登记（国科发政字〔2000〕063号、国科发政字〔2001〕253号）"

# key → (label, definition, unit, source, measure word or None for money)
FIGURES = {
    keys.COOPERATION_EVENTS: (
        "“千企百校万里行”活动场次",
        "当年举办的“千企百校万里行”活动场次",
        "场",
        EVENTS_SOURCE,
        "场",
    ),
    keys.COOPERATION_DEMANDS_MATCHED: (
        "活动中精准对接的企业技术需求数",
        "当年“千企百校万里行”活动中，与具名的高校院所（成果或专家）启动撮合的企业技术需求数（同一需求计一次）",
        "项",
        EVENTS_SOURCE,
        "项",
    ),
    keys.COMPETITION_ENTRANTS: (
        "中国创新创业大赛参赛企业数",
        "当年大赛本地报名参赛的企业数",
        "家",
        COMPETITION_SOURCE,
        "家",
    ),
    keys.COMPETITION_NINGBO_FINALISTS: (
        "进入宁波赛区决赛企业数",
        "参赛企业中有宁波赛区决赛成绩的企业数",
        "家",
        COMPETITION_SOURCE,
        "家",
    ),
    keys.COMPETITION_NATIONAL_FINALISTS: (
        "入围全国赛企业数",
        "参赛企业中有全国行业总决赛成绩的企业数",
        "家",
        COMPETITION_SOURCE,
        "家",
    ),
    keys.TECHNICAL_CONTRACTS_REGISTERED: (
        "认定登记技术合同数",
        "当年认定登记（发放登记证明）的技术合同数",
        "项",
        CONTRACT_SOURCE,
        "项",
    ),
    keys.TECHNICAL_CONTRACT_AMOUNT: (
        "技术合同成交额",
        "当年认定登记技术合同的合同总金额",
        "元",
        CONTRACT_SOURCE,
        None,
    ),
    keys.TECHNICAL_TRANSACTION_AMOUNT: (
        "技术交易额",
        "合同成交额扣除设备、仪器、零部件、原材料等非技术性费用后的金额，以登记核定为准",
        "元",
        CONTRACT_SOURCE,
        None,
    ),
}


def _cite(ctx: ReportContext, key: str) -> str | None:
    value = ctx.figures.get(key)
    if not value:
        return None
    label, definition, unit, source, word = FIGURES[key]
    entry = figure(key)
    text = count_text(value, word) if word else money_text(value)
    link = entry.drill_down(ctx.year) if entry.drill_down else None
    return ctx.cite(
        key, value, text, Provenance(f"{ctx.year}年{label}", definition, unit, source, link)
    )


# The paragraph placeholder of a figure is its key without the unit suffix.
for _key in FIGURES:
    placeholder(_key.removesuffix("_yuan"), FIGURES[_key][0])(lambda ctx, key=_key: _cite(ctx, key))


def cooperation_section(year: int, ctx: ReportContext) -> Section | None:
    """Brokering, the competition and technical contracts of the year (nothing without data)."""
    if not any(ctx.figures.get(k) for k in FIGURES):
        return None
    rows = []
    for key, (label, *_rest) in FIGURES.items():
        now, before = ctx.figures.get(key), ctx.previous.get(key)
        if key.endswith("_yuan"):  # money in 万元
            label = f"{label}（万元）"
            now, before = (
                None if v is None else round(float(v) / 10_000, 2) for v in (now, before)
            )
        rows.append([label, now, before])
    table = Table(
        key="cooperation",
        title="产学研合作与技术合同",
        columns=["指标", f"{year}年", f"{year - 1}年"],
        rows=rows,
        formats=[None, "num", "num"],
        note="技术交易额＝合同成交额－非技术性费用（技术合同认定规则，国科发政字〔2001〕253号）。",
        sheet="产学研合作",
    )
    text = paragraph_text(ctx, "cooperation")
    return Section(
        key="cooperation",
        part="progress",
        lead=_lead(ctx, "cooperation_lead"),
        paragraphs=[text] if text else [],
        tables=[table],
    )


register_section(300, "cooperation", cooperation_section)
