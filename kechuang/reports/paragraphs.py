"""The editable wording of the annual report: which paragraphs the bureau may edit, their
shipped wording, and the placeholders for computed figures they may use.

The shipped wording is the platform's own; the bureau edits it on /reports/templates/ (stored in
`ReportParagraph`, versioned). Placeholders are registered by the section module next to the
code that computes them (`@placeholder("rd_total_yi", "…")`); a paragraph may use any of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .logic.templating import template_problems

__all__ = [
    "ParagraphSpec",
    "Placeholder",
    "PARAGRAPHS",
    "PLACEHOLDERS",
    "placeholder",
    "paragraph_spec",
    "placeholder_problems",
]


@dataclass(frozen=True)
class ParagraphSpec:
    """One editable piece of the report: a numbered lead phrase or a paragraph."""

    key: str
    section: str  # the part of the report it belongs to, as the edit page groups them
    label: str
    default: str
    lead: bool = False  # a lead phrase (一是……。), one line, set in bold


@dataclass(frozen=True)
class Placeholder:
    """A computed figure a template may name: {name}. `resolve(ctx)` returns the figure as the
    report states it (and cites it for the statistical annex), or None when it is unavailable."""

    name: str
    label: str
    resolve: Callable


PLACEHOLDERS: dict[str, Placeholder] = {}


def placeholder(name: str, label: str):
    """Register the decorated function as the resolver of {name}."""

    def register(resolve):
        PLACEHOLDERS[name] = Placeholder(name, label, resolve)
        return resolve

    return register


def placeholder_problems(text: str) -> tuple[list[str], bool]:
    """(unknown placeholders of `text`, whether it has stray braces)."""
    return template_problems(text, PLACEHOLDERS)


# ------------------------------------------------------------------ the shipped wording

OPENING = "导语"
PROGRESS = "年度工作进展"
PLAN = "下一年度工作计划"

PARAGRAPHS: tuple[ParagraphSpec, ...] = (
    ParagraphSpec(
        "opening",
        OPENING,
        "导语",
        "{year}年，{region}科技局以建设创新型县（市）为目标，把培育创新主体、建强创新平台、"
        "加大研发投入作为全年工作主线，各项科技指标稳中有进。综合评价方面，科技创新指数"
        "{innovation_rank_province}、{innovation_rank_ningbo}，科技成果转化指数"
        "{transformation_rank_province}、{transformation_rank_ningbo}。创新主体方面，年末有效"
        "高新技术企业{high_tech_valid}，{high_tech_multiple}，{high_tech_threshold}。研发投入方面，"
        "规上工业企业研发费用{rd_total_yi}，{rd_growth}，研发投入强度{rd_intensity}。",
    ),
    ParagraphSpec(
        "enterprises_lead",
        PROGRESS,
        "创新主体：标题句",
        "抓创新主体培育，企业梯队持续壮大",
        lead=True,
    ),
    ParagraphSpec(
        "ladder",
        PROGRESS,
        "创新主体：科技型企业梯队",
        "坚持梯度培育、分层服务，推动科技型企业由小到大、由大到强。全年备案国家科技型中小企业"
        "{tech_sme_national}，入库浙江省科技型中小企业{tech_sme_provincial}，认定市级高新技术培育企业"
        "{cultivation}，第一批认定高新技术企业{high_tech_first_batch}。年末有效高新技术企业"
        "{high_tech_valid}，{high_tech_valid_change}，{high_tech_threshold}。高成长企业中，现有{top_tiers}。",
    ),
    ParagraphSpec(
        "rd",
        PROGRESS,
        "创新主体：企业研发投入",
        "企业研发投入稳步提升。{region}规上工业企业{above_scale}，其中有研发支出的{with_rd}，"
        "占比{with_rd_share}，{with_rd_share_change}；研发费用合计{rd_total_yi}，{rd_growth}；"
        "研发投入强度{rd_intensity}，{rd_intensity_change}。从镇街道看，{rd_top_towns}研发费用位列前三。"
        "研发费用为零的规上工业企业尚有{without_rd}，是下一步“破零”攻坚的重点对象。",
    ),
    ParagraphSpec(
        "institutions_lead",
        PROGRESS,
        "研发机构：标题句",
        "抓创新平台建设，研发机构提档扩面",
        lead=True,
    ),
    ParagraphSpec(
        "institutions",
        PROGRESS,
        "研发机构：企业研发机构",
        "引导企业按需建设、梯次升级研发机构。{year}年新认定{institutions_new}。截至年末，"
        "各级企业研发机构累计{institutions_total}，相当于规上工业企业数的{institutions_ratio}。",
    ),
    ParagraphSpec(
        "targets_lead",
        PROGRESS,
        "年度目标：标题句",
        "抓目标任务落实，年度指标有序推进",
        lead=True,
    ),
    ParagraphSpec(
        "targets",
        PROGRESS,
        "年度目标：完成情况",
        "{year}年主要目标完成情况：{targets_progress}。",
    ),
    # Cooperation (kechuang/reports/sections_cooperation.py): brokering, competition, contracts.
    ParagraphSpec(
        "cooperation_lead",
        PROGRESS,
        "产学研合作：标题句",
        "聚焦科技成果转化，推动产学研深度融合",
        lead=True,
    ),
    ParagraphSpec(
        "cooperation",
        PROGRESS,
        "产学研合作：活动、大赛与技术合同",
        "深化“千企百校万里行”品牌活动，带着企业技术需求走进高校优势学科和平台，全年开展活动"
        "{cooperation_events}，精准对接企业需求{cooperation_demands_matched}。承办第十三届中国创新"
        "创业大赛，参赛企业{competition_entrants}，{competition_ningbo_finalists}进入宁波赛区决赛，"
        "{competition_national_finalists}入围全国赛。认定登记技术合同{technical_contracts_registered}，"
        "合同成交额{technical_contract_amount}，其中技术交易额{technical_transaction_amount}。",
    ),
    # Platforms (kechuang/reports/sections_platforms.py): unveiled, recognised, enclaves.
    ParagraphSpec(
        "platforms_lead",
        PROGRESS,
        "创新平台：标题句",
        "聚焦厚植创新平台载体，筑牢创新支撑",
        lead=True,
    ),
    ParagraphSpec(
        "platforms",
        PROGRESS,
        "创新平台：揭牌、认定与飞地",
        "一体推进高水平创新平台建设，全年揭牌启动科技创新平台{platforms_unveiled}；新认定省级科技企业"
        "孵化器{provincial_incubators_new}，新备案省级众创空间{provincial_maker_spaces_new}；"
        "{enclaves_tendered}科创飞地完成公开招标，{concept_verification_centres_listed}概念验证中心入围"
        "宁波市创建名单。",
    ),
    # Programmes (kechuang/reports/sections_programmes.py): calls, notices, funding, acceptance.
    ParagraphSpec(
        "programmes_lead",
        PROGRESS,
        "科技计划项目：标题句",
        "优化科技计划项目管理，以项目带动企业创新",
        lead=True,
    ),
    ParagraphSpec(
        "programmes",
        PROGRESS,
        "科技计划项目：申报、公示与资金",
        "修订市科技计划项目管理办法，全年受理项目申报{programme_applications}，公示立项市重点研发专项"
        "{key_rd_projects_noticed}，安排项目资金{programme_funding_committed}，拨付资金"
        "{programme_funding_paid}；完成中期检查和验收的项目考核指标完成率{programme_kpi_attainment}。",
    ),
    ParagraphSpec(
        "plan_intro",
        PLAN,
        "工作计划：总体思路",
        "{next_year}年，{region}科技局将锚定创新型县（市）建设目标，深化科技创新与产业创新融合，"
        "以企业为主体、以项目为抓手、以平台为依托，重点抓好以下工作。",
    ),
    ParagraphSpec(
        "plan_rd_lead",
        PLAN,
        "研发投入：标题句",
        "持续加大研发投入",
        lead=True,
    ),
    ParagraphSpec(
        "plan_rd",
        PLAN,
        "研发投入：工作举措",
        "把研发投入强度作为衡量企业创新能力的核心指标，组织对{above_scale}规上工业企业开展研发投入"
        "诊断和财务归集辅导；对研发费用为零的{without_rd}企业逐家走访、建立清单，推动早日“破零”；"
        "引导企业规范研发费用归集，用足用好研发费用加计扣除等政策。",
    ),
    ParagraphSpec(
        "plan_targets_lead",
        PLAN,
        "年度目标：标题句",
        "扎实推进年度目标",
        lead=True,
    ),
    ParagraphSpec(
        "plan_targets",
        PLAN,
        "年度目标：目标与举措",
        "{next_year}年主要目标：{targets_next}。持续充实高新技术企业后备梯队，"
        "力争有效高新技术企业数突破千家（目前尚差{high_tech_to_thousand}）。",
    ),
)
_BY_KEY = {spec.key: spec for spec in PARAGRAPHS}


def paragraph_spec(key: str) -> ParagraphSpec | None:
    return _BY_KEY.get(key)
