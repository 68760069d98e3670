"""The annual report's programme section (科技计划项目): the key R&D special projects publicly
noticed, applications received, funding committed and paid and the KPI attainment of concluded
projects, each figure read from the figure catalogue (`kechuang.programmes.selectors.
programme_figures`) and cited with its definition for the statistical annex. The wording is the
`programmes` paragraph of `paragraphs.PARAGRAPHS`, editable by the bureau."""

from __future__ import annotations

from kechuang.core.figures import figure
from kechuang.programmes import figures as keys

from .content import Provenance, ReportContext, Section, Table
from .logic.phrasing import count_text, money_text
from .paragraphs import placeholder
from .registry import register_section
from .sections import _lead, paragraph_text

__all__ = ["programmes_section"]

SOURCE = "市科技计划项目管理记录（申报、评审、公示、任务书与拨付）"

# key → (label, definition, unit, measure word; None for money, "%" for a share)
FIGURES = {
    keys.KEY_RD_PROJECTS_NOTICED: (
        "公示立项的市重点研发专项数",
        "当年发布的立项公示中列出的重点研发专项项目数（按公示项目计）",
        "个",
        "个",
    ),
    keys.PROGRAMME_APPLICATIONS: (
        "科技计划项目申报数",
        "当年提交的科技计划项目申报书数（已撤回的不计）",
        "项",
        "项",
    ),
    keys.PROGRAMME_FUNDING_COMMITTED: (
        "科技计划资金安排额",
        "当年立项项目的财政资助额与当年“拨改投”投资额之和",
        "元",
        None,
    ),
    keys.PROGRAMME_FUNDING_PAID: (
        "科技计划资金拨付额",
        "当年实际拨付的项目资助款",
        "元",
        None,
    ),
    keys.PROGRAMME_KPI_ATTAINMENT: (
        "项目考核指标完成率",
        "当年完成中期检查或验收的项目中，达到目标值的考核指标所占比例（以平台测得值优先）",
        "%",
        "%",
    ),
}


def _cite(ctx: ReportContext, key: str) -> str | None:
    value = ctx.figures.get(key)
    if value in (None, 0):
        return None
    label, definition, unit, word = FIGURES[key]
    if word == "%":
        text = f"{value}%"
    else:
        text = count_text(value, word) if word else money_text(value)
    entry = figure(key)
    link = entry.drill_down(ctx.year) if entry.drill_down else None
    return ctx.cite(
        key, value, text, Provenance(f"{ctx.year}年{label}", definition, unit, SOURCE, link)
    )


for _key in FIGURES:
    placeholder(_key.removesuffix("_yuan").removesuffix("_pct"), FIGURES[_key][0])(
        lambda ctx, key=_key: _cite(ctx, key)
    )


def programmes_section(year: int, ctx: ReportContext) -> Section | None:
    """Calls, notices, funding and acceptance of the year (nothing without programme data)."""
    if not any(ctx.figures.get(k) for k in FIGURES):
        return None
    rows = []
    for key, (label, _definition, unit, _word) in FIGURES.items():
        now, before = ctx.figures.get(key), ctx.previous.get(key)
        if unit == "元":  # money in 万元
            label = f"{label}（万元）"
            now, before = (
                None if v is None else round(float(v) / 10_000, 2) for v in (now, before)
            )
        elif unit == "%":
            label = f"{label}（%）"
            now, before = (None if v is None else float(v) for v in (now, before))
        rows.append([label, now, before])
    table = Table(
        key="programmes",
        title="科技计划项目",
        columns=["指标", f"{year}年", f"{year - 1}年"],
        rows=rows,
        formats=[None, "num", "num"],
        note="考核指标完成情况以平台测得的专利、营业收入、研发费用和科技人员数据为准，无测得值的以项目报告为准。",
        sheet="科技计划项目",
    )
    text = paragraph_text(ctx, "programmes")
    return Section(
        key="programmes",
        part="progress",
        lead=_lead(ctx, "programmes_lead"),
        paragraphs=[text] if text else [],
        tables=[table],
    )


register_section(250, "programmes", programmes_section)
