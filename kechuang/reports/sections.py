"""The annual report's sections: the opening with rankings and headline results, the enterprise
ladder and R&D, enterprise R&D institutions, the year's targets and next year's plan.

The wording is the bureau's: each paragraph is a template (`paragraphs.PARAGRAPHS`, edited on
/reports/templates/) whose placeholders are resolved here. Every number comes from
`headline_figures` (the figures the dashboard shows) or from a selector, and enters the text
through `ctx.cite`, which records its definition, unit and source for the statistical annex.
Whether a clause appears, and how a figure is phrased (growth or decline, "突破千家大关" or
not), depends on the figures.

Rankings and targets come from the indicators app (`ranking_summary`, `target_progress`), which
is imported lazily: without it the report simply states no rankings.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from kechuang.core.figures import figure
from kechuang.enterprises import figures as ladder
from kechuang.enterprises.choices import QualificationKind
from kechuang.enterprises.selectors import valid_high_tech_series
from kechuang.indicators.figures import RANK_KEYS, RANK_SOURCE
from kechuang.indicators.models import Indicator
from kechuang.indicators.selectors import ranking_summary, target_progress
from kechuang.platforms.figures import (
    INSTITUTION_SOURCE,
    RD_INSTITUTIONS_NEW_BY_LEVEL,
    RD_INSTITUTIONS_TOTAL,
    new_by_level_url,
)
from kechuang.rnd.figures import INSTITUTIONS_PER_ABOVE_SCALE, RD_SOURCE, above_scale_url
from kechuang.rnd.logic import aggregates as agg
from kechuang.rnd.selectors import rd_breakdown

from .content import Provenance, ReportContext, Section, Table
from .logic.phrasing import (
    approx_pct_phrase,
    count_text,
    growth_phrase,
    money_text,
    multiple_phrase,
    number_text,
    pct_text,
    points_phrase,
    rank_phrase,
    streak_phrase,
    threshold_phrase,
)
from .logic.templating import template_render
from .paragraphs import PLACEHOLDERS, paragraph_spec, placeholder
from .registry import register_section
from .sections_indicators import index_methodology_note

__all__ = [
    "LADDER_LABELS",
    "INSTITUTION_LABELS",
    "RANK_SETS",
    "headline_provenance",
    "paragraph_text",
    "rankings",
    "targets",
]

logger = logging.getLogger(__name__)

# Names as the bureau writes them, keyed by catalogue key (kechuang.core.figures); the
# definition, source and drill-down of each figure are the catalogue's.
LADDER_LABELS = {
    ladder.TECH_SME_NATIONAL_FILED: "备案国家科技型中小企业",
    ladder.TECH_SME_PROVINCIAL_ENTERED: "入库浙江省科技型中小企业",
    ladder.CULTIVATION_RECOGNISED: "认定市级高新技术培育企业",
    ladder.HIGH_TECH_FIRST_BATCH_RECOGNISED: "第一批认定高新技术企业",
    ladder.HIGH_TECH_RECOGNISED: "全年认定高新技术企业",
    ladder.HIGH_TECH_VALID: "有效高新技术企业",
    ladder.TIER_HELD[QualificationKind.GAZELLE]: "瞪羚企业",
    ladder.TIER_HELD[QualificationKind.POTENTIAL_UNICORN]: "潜在独角兽企业",
    ladder.TIER_HELD[QualificationKind.QUASI_UNICORN]: "准独角兽企业",
    ladder.TIER_HELD[QualificationKind.UNICORN]: "独角兽企业",
}
# Highest tier first.
TIER_KEYS = tuple(reversed(ladder.TIER_HELD.values()))
# Highest level first.
INSTITUTION_LABELS = {
    "provincial_key_enterprise_research_institute": "省重点企业研究院",
    "provincial_enterprise_research_institute": "省企业研究院",
    "provincial_high_tech_rd_centre": "省高新技术企业研发中心",
    "ningbo_key_enterprise_research_institute": "宁波市重点企业研究院",
    "municipal_enterprise_rd_centre": "市企业研发中心",
}
ABOVE_SCALE = "规上工业企业指年主营业务收入2000万元及以上的工业法人单位，按统计部门当年名录确定"
RD_LABELS = {
    agg.ABOVE_SCALE: "规上工业企业数",
    agg.WITH_RD: "有研发支出的规上工业企业数",
    agg.WITH_RD_SHARE: "有研发支出企业占规上工业企业比重",
    agg.RD_EXPENSE: "规上工业企业研发费用",
    agg.RD_GROWTH: "规上工业企业研发费用增速",
    agg.RD_INTENSITY: "规上工业企业研发投入强度",
}
RD_DEFINITIONS = {
    agg.ABOVE_SCALE: ABOVE_SCALE,
    agg.WITH_RD: "当年研发费用（统计口径）大于零的规上工业企业数",
    agg.WITH_RD_SHARE: "有研发支出的规上工业企业数 ÷ 规上工业企业数 × 100%",
    agg.RD_EXPENSE: "规上工业企业当年研发费用（统计口径）合计",
    agg.RD_GROWTH: "（本年研发费用 − 上年研发费用）÷ 上年研发费用 × 100%，两年均按各自当年的规上工业企业范围",
    agg.RD_INTENSITY: "规上工业企业研发费用合计 ÷ 规上工业企业营业收入合计 × 100%",
}
RD_UNITS = {
    agg.ABOVE_SCALE: "家",
    agg.WITH_RD: "家",
    agg.WITH_RD_SHARE: "%",
    agg.RD_EXPENSE: "亿元",
    agg.RD_GROWTH: "%",
    agg.RD_INTENSITY: "%",
}
RANK_SETS = (("innovation", "科技创新指数"), ("transformation", "科技成果转化指数"))
STREAK_YEARS = 3
MULTIPLE_YEARS = 5
THOUSAND = 1000


# ------------------------------------------------------------------ provenance


def _url(name: str, params: dict | None = None) -> str | None:
    try:
        path = reverse(name)
    except NoReverseMatch:
        return None
    return f"{path}?{urlencode(params)}" if params else path


def headline_provenance(key: str, year: int) -> Provenance:
    """The provenance of a headline figure (a catalogue key) for `year`."""
    if key in LADDER_LABELS:
        entry = figure(key)
        return Provenance(
            label=f"{year}年{LADDER_LABELS[key]}",
            definition=str(entry.definition),
            unit="家",
            source=str(entry.source),
            link=entry.drill_down(year),
        )
    if key in RD_LABELS:
        definition = RD_DEFINITIONS[key]
        if key != agg.ABOVE_SCALE:
            definition += f"；{ABOVE_SCALE}"
        return Provenance(
            f"{year}年{RD_LABELS[key]}",
            definition,
            RD_UNITS[key],
            RD_SOURCE,
            figure(key).drill_down(year),
        )
    if key == "above_scale_without_rd":
        return Provenance(
            f"{year}年研发费用为零的规上工业企业数",
            "规上工业企业数 − 有研发支出的规上工业企业数（当年研发费用为零或未报送研发费用）",
            "家",
            RD_SOURCE,
            above_scale_url(year, has_rd="false"),
        )
    if key.startswith(f"{RD_INSTITUTIONS_NEW_BY_LEVEL}."):
        level = key.split(".", 1)[1]
        return Provenance(
            f"{year}年新认定{INSTITUTION_LABELS[level]}",
            f"{year}年认定的{INSTITUTION_LABELS[level]}数，按认定年度计",
            "家",
            INSTITUTION_SOURCE,
            new_by_level_url(year, level),
        )
    if key == RD_INSTITUTIONS_TOTAL:
        return Provenance(
            f"{year}年末企业研发机构累计数",
            f"认定年度不晚于{year}年且未被撤销的各级企业研发机构数；升级的机构按新级别计一次",
            "家",
            INSTITUTION_SOURCE,
            figure(key).drill_down(year),
        )
    if key == INSTITUTIONS_PER_ABOVE_SCALE:
        entry = figure(key)
        return Provenance(
            f"{year}年企业研发机构数与规上工业企业数之比",
            str(entry.definition),
            "%",
            str(entry.source),
            entry.drill_down(year),
        )
    raise KeyError(key)


def _cite(ctx: ReportContext, key: str, text: str, value=None, year: int | None = None) -> str:
    """Cite a headline figure of the report year (or of `year`) with its standard provenance."""
    year = year or ctx.year
    cite_key = key if year == ctx.year else f"{key}@{year}"
    if value is None:
        value = ctx.figures.get(key)
    return ctx.cite(cite_key, value, text, headline_provenance(key, year))


def _cite_change(ctx: ReportContext, key: str, change, text: str, unit: str) -> str:
    """Cite the change of a headline figure on the previous year."""
    base = headline_provenance(key, ctx.year)
    return ctx.cite(
        f"{key}.change",
        change,
        text,
        Provenance(
            f"{base.label.removeprefix(f'{ctx.year}年')}较上年变化",
            f"{ctx.year}年值 − {ctx.year - 1}年值，两年口径相同",
            unit,
            base.source,
            base.link,
        ),
    )


# ------------------------------------------------------------------ rankings (indicators app)


def _get(obj, *names, default=None):
    """The first of `names` present on a dict or object (the indicators contract, tolerantly)."""
    for name in names:
        if isinstance(obj, dict):
            if obj.get(name) is not None:
                return obj[name]
        elif getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


def _summary(year: int, *, sensitivity: bool = True):
    if sensitivity:
        return ranking_summary(year)
    return ranking_summary(year, draws=0)  # earlier years: the rank only, no draws


def _set_entry(summary, code: str):
    if summary is None:
        return None
    if isinstance(summary, dict):
        return summary.get(code)
    for entry in summary:  # a list of per-set rows
        if _get(entry, "set", "code", "set_code", "index_set") == code:
            return entry
    return None


def _normalise(entry) -> dict | None:
    rank_province = _get(entry, "rank_province")
    if rank_province is None:
        return None
    interval = _get(entry, "interval_province", "rank_interval", "interval")
    contributors = []
    for c in _get(entry, "top_contributors", "contributors", default=[]) or []:
        name = (
            c
            if isinstance(c, str)
            else _get(c, "name_zh", "name", "label", "indicator_name", "indicator")
        )
        if name is not None:
            contributors.append(str(_get(name, "name_zh", "name", default=name)))
    return {
        "rank_province": rank_province,
        "rank_ningbo": _get(entry, "rank_ningbo"),
        "n_province": _get(entry, "n_province"),
        "n_ningbo": _get(entry, "n_ningbo"),
        "median_rank": _get(entry, "median_rank_province", "median_rank", "rank_median"),
        "interval": tuple(interval) if interval else None,
        "contributors": contributors,
    }


def rankings(ctx: ReportContext) -> dict[str, dict] | None:
    """Per index set, the home region's ranks for the report year (and the Ningbo ranks of the
    years before, for "连续三年"), or None when the indicators engine provides none.

    Source: `kechuang.indicators.selectors.ranking_summary(year)`, else the rank keys of
    `headline_figures` (registered by the indicators app).
    """
    if "rankings" in ctx.cache:
        return ctx.cache["rankings"]
    summary = _summary(ctx.year)
    earlier_summaries: dict[int, object] = {}
    result = {}
    for code, _label in RANK_SETS:
        entry = _normalise(_set_entry(summary, code)) if summary else None
        province_key, ningbo_key = RANK_KEYS[code]
        if entry is None and ctx.figures.get(province_key) is not None:
            entry = {
                "rank_province": ctx.figures[province_key],
                "rank_ningbo": ctx.figures.get(ningbo_key),
                "n_province": None,
                "n_ningbo": None,
                "median_rank": None,
                "interval": None,
                "contributors": [],
            }
        if entry is None:
            continue
        history = [(entry["rank_province"], entry["rank_ningbo"])]
        for back in range(1, STREAK_YEARS):
            year = ctx.year - back
            try:
                if year not in earlier_summaries:
                    earlier_summaries[year] = _summary(year, sensitivity=False)
                earlier = _normalise(_set_entry(earlier_summaries[year], code))
            except Exception:  # an earlier year without values is simply not a streak
                logger.info("no %s ranking for %s", code, year, exc_info=True)
                earlier = None
            history.append(
                (earlier["rank_province"], earlier["rank_ningbo"]) if earlier else (None, None)
            )
        entry["history"] = history
        result[code] = entry
    ctx.cache["rankings"] = result or None
    return ctx.cache["rankings"]


def _rank_provenance(code: str, label: str, scope: str, year: int) -> Provenance:
    scope_text = "全省各县（市、区）" if scope == "province" else "宁波市各区（县、市）"
    return Provenance(
        label=f"{year}年{label}{'全省' if scope == 'province' else '宁波'}排名",
        definition=f"{label}（各项指标标准化后加权合成）在{scope_text}中由高到低的位次",
        unit="位",
        source=RANK_SOURCE,
        link=_url("indicators:leadership", {"year": str(year)}),
    )


def _index_methodology(year: int) -> str:
    """The methodology of each ranked index (kechuang/reports/sections_indicators.py)."""
    note = index_methodology_note(year)
    return f"测算方法：{note}" if note else ""


def _rank_table(ctx: ReportContext, ranks: dict) -> Table:
    rows = []
    for code, label in RANK_SETS:
        e = ranks.get(code)
        if not e:
            continue
        interval = f"{e['interval'][0]}–{e['interval'][1]}" if e["interval"] else ""
        rows.append(
            [
                label,
                e["rank_province"],
                e["n_province"],
                e["rank_ningbo"],
                e["n_ningbo"],
                e["median_rank"],
                interval,
                "、".join(e["contributors"][:3]),
            ]
        )
    return Table(
        key="rankings",
        title=f"{ctx.year}年综合指数排名",
        columns=[
            "指数",
            "全省排名",
            "全省参评数",
            "宁波排名",
            "宁波参评数",
            "排名中位数",
            "排名区间",
            "主要拉动指标",
        ],
        rows=rows,
        formats=[None, "int", "int", "int", "int", "int", None, None],
        note="排名中位数与区间：在指标权重和标准化方法的合理变动范围内多次重新测算得到的排名分布，"
        "反映排名的稳健程度。" + _index_methodology(ctx.year),
        sheet="排名",
        widths=[1.5, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 3.2],
    )


# ------------------------------------------------------------------ targets (indicators app)


def targets(year: int) -> list[dict] | None:
    """Target rows of `year` from `kechuang.indicators.selectors.target_progress`, normalised to
    {code, name, unit, target, actual, progress_pct, definition}; None when there are none."""
    rows = []
    for row in target_progress(year) or []:
        indicator = _get(row, "indicator")
        name = _get(row, "indicator_name", "name_zh", "name")
        if name is None and indicator is not None:
            name = (
                indicator
                if isinstance(indicator, str)
                else _get(indicator, "name_zh", "name", "code")
            )
        unit = _get(row, "unit")
        if unit is None and indicator is not None and not isinstance(indicator, str):
            unit = _get(indicator, "unit", default="")
        code = _get(row, "code", "indicator_code", default=None) or (
            _get(indicator, "code")
            if indicator is not None and not isinstance(indicator, str)
            else str(indicator or name)
        )
        rows.append(
            {
                "code": code,
                "name": str(name),
                "unit": str(unit or ""),
                "target": _get(row, "target"),
                "actual": _get(row, "actual"),
                "progress_pct": _get(row, "progress_pct", "progress"),
                "definition": "",
            }
        )
    if rows:
        _attach_definitions(rows)
    return rows or None


def _attach_definitions(rows: list[dict]) -> None:
    """The catalogue's definition of each target's indicator (one query)."""
    try:
        found = dict(
            Indicator.objects.filter(code__in=[r["code"] for r in rows]).values_list(
                "code", "definition"
            )
        )
    except Exception:  # no database (section tests on hand-made figures)
        logger.debug("indicator definitions unavailable", exc_info=True)
        return
    for row in rows:
        row["definition"] = found.get(row["code"]) or ""


def _value_text(value, unit: str) -> str:
    if unit in {"%", "％"}:
        return pct_text(value, 2)
    if unit == "元":
        return money_text(value)
    return f"{number_text(value, 2)}{unit}"


def _target_sentence(row: dict, *, with_actual: bool) -> str:
    text = f"{row['name']}目标{_value_text(row['target'], row['unit'])}"
    if with_actual and row["actual"] is not None:
        text += f"，实际{_value_text(row['actual'], row['unit'])}"
        if row["progress_pct"] is not None:
            text += f"，完成{pct_text(row['progress_pct'], 1)}"
    return text


def _cite_target(ctx: ReportContext, year: int, row: dict, text: str) -> str:
    definition = row["definition"] or f"{row['name']}的年度目标值"
    return ctx.cite(
        f"target.{year}.{row['code']}",
        row["target"],
        text,
        Provenance(
            f"{year}年目标：{row['name']}",
            f"{definition}；完成进度＝实际值 ÷ 目标值 × 100%",
            row["unit"] or "—",
            "年度工作目标；实际值按该指标的统计口径取得",
            _url("indicators:leadership", {"year": str(year)}),
        ),
    )


def _targets_table(year: int, rows: list[dict], key: str, *, with_actual: bool = True) -> Table:
    """The targets of `year`; next year's plan lists the targets only (no actuals yet)."""
    if not with_actual:
        return Table(
            key=key,
            title=f"{year}年主要目标",
            columns=["指标", "单位", "目标"],
            rows=[[r["name"], r["unit"], r["target"]] for r in rows],
            formats=[None, None, "num"],
            sheet=f"{year}年目标",
            widths=[3.0, 0.8, 1.0],
        )
    return Table(
        key=key,
        title=f"{year}年主要目标",
        columns=["指标", "单位", "目标", "实际", "完成进度（%）"],
        rows=[[r["name"], r["unit"], r["target"], r["actual"], r["progress_pct"]] for r in rows],
        formats=[None, None, "num", "num", "pct1"],
        note="“—”表示该项实际值尚未取得。" if any(r["actual"] is None for r in rows) else "",
        sheet=f"{year}年目标",
        widths=[3.0, 0.8, 1.0, 1.0, 1.0],
    )


def _targets(ctx: ReportContext, year: int) -> list[dict] | None:
    key = f"targets.{year}"
    if key not in ctx.cache:
        ctx.cache[key] = targets(year)
    return ctx.cache[key]


# ------------------------------------------------------------------ placeholders


def paragraph_text(ctx: ReportContext, key: str) -> str:
    """The paragraph `key` in the bureau's wording (or the shipped one), its placeholders
    resolved for `ctx.year`; clauses whose figure is unavailable are left out."""
    text = ctx.texts.get(key) or paragraph_spec(key).default
    resolved = ctx.cache.setdefault("placeholders", {})

    def resolve(name: str) -> str | None:
        if name not in resolved:
            entry = PLACEHOLDERS.get(name)
            resolved[name] = entry.resolve(ctx) if entry else None
        return resolved[name]

    return template_render(text, resolve)


def _count(ctx: ReportContext, key: str) -> str | None:
    value = ctx.figures.get(key)
    if not value:
        return None
    return _cite(ctx, key, count_text(value))


@placeholder("year", "报告年度")
def _year(ctx):
    return str(ctx.year)


@placeholder("next_year", "计划年度（报告年度的下一年）")
def _next_year(ctx):
    return str(ctx.year + 1)


@placeholder("region", "本地区名称")
def _region(ctx):
    return ctx.region_name or None


@placeholder("tech_sme_national", "备案国家科技型中小企业数（家）")
def _tech_sme_national(ctx):
    return _count(ctx, ladder.TECH_SME_NATIONAL_FILED)


@placeholder("tech_sme_provincial", "入库浙江省科技型中小企业数（家）")
def _tech_sme_provincial(ctx):
    return _count(ctx, ladder.TECH_SME_PROVINCIAL_ENTERED)


@placeholder("cultivation", "认定市级高新技术培育企业数（家）")
def _cultivation(ctx):
    return _count(ctx, ladder.CULTIVATION_RECOGNISED)


@placeholder("high_tech_first_batch", "第一批认定高新技术企业数（家）")
def _high_tech_first_batch(ctx):
    return _count(ctx, ladder.HIGH_TECH_FIRST_BATCH_RECOGNISED)


@placeholder("high_tech_recognised", "全年认定高新技术企业数（家）")
def _high_tech_recognised(ctx):
    return _count(ctx, ladder.HIGH_TECH_RECOGNISED)


@placeholder("high_tech_valid", "年末有效高新技术企业数（家）")
def _high_tech_valid(ctx):
    value = ctx.figures.get(ladder.HIGH_TECH_VALID)
    if value is None:
        return None
    return _cite(ctx, ladder.HIGH_TECH_VALID, count_text(value))


@placeholder("high_tech_valid_change", "有效高新技术企业数较上年增减（如“较上年增加243家”）")
def _high_tech_valid_change(ctx):
    valid = ctx.figures.get(ladder.HIGH_TECH_VALID)
    before = ctx.previous.get(ladder.HIGH_TECH_VALID)
    if valid is None or before is None:
        return None
    change = valid - before
    if change:
        words = f"较上年{'增加' if change > 0 else '减少'}{count_text(abs(change))}"
    else:
        words = "与上年持平"
    return _cite_change(ctx, ladder.HIGH_TECH_VALID, change, words, "家")


@placeholder(
    "high_tech_threshold", "有效高新技术企业数与千家的关系（“突破千家大关”或“逼近千家大关”）"
)
def _high_tech_threshold(ctx):
    valid = ctx.figures.get(ladder.HIGH_TECH_VALID) or 0
    return threshold_phrase(valid, THOUSAND) or None


@placeholder("high_tech_multiple", "有效高新技术企业数五年增长倍数（如“五年翻两番”）")
def _high_tech_multiple(ctx):
    valid = ctx.figures.get(ladder.HIGH_TECH_VALID)
    if not valid:
        return None
    base_year = ctx.year - MULTIPLE_YEARS
    then = valid_high_tech_series([base_year])[base_year]
    words = multiple_phrase(valid, then, MULTIPLE_YEARS)
    if not words:
        return None
    base = headline_provenance(ladder.HIGH_TECH_VALID, ctx.year)
    return ctx.cite(
        "high_tech_valid_end_of_year.multiple",
        then,
        words,
        Provenance(
            f"有效高新技术企业数{MULTIPLE_YEARS}年增长倍数",
            f"{ctx.year}年末有效高新技术企业数（{count_text(valid)}）÷ {base_year}年末有效数"
            f"（{count_text(then)}）；2倍称“翻一番”，4倍称“翻两番”，达到95%及以上称“接近”",
            "倍",
            base.source,
            base.link,
        ),
    )


@placeholder(
    "high_tech_to_thousand", "有效高新技术企业数距千家的差额（家；已过千家或相差较远时不写）"
)
def _high_tech_to_thousand(ctx):
    valid = ctx.figures.get(ladder.HIGH_TECH_VALID) or 0
    gap = THOUSAND - valid
    if gap <= 0 or valid < THOUSAND * 0.95:
        return None
    return ctx.cite(
        "high_tech_valid_end_of_year.to_thousand",
        gap,
        count_text(gap),
        Provenance(
            "有效高新技术企业数距千家的差额",
            f"1000家 − {ctx.year}年末有效高新技术企业数",
            "家",
            str(figure(ladder.HIGH_TECH_VALID).source),
            headline_provenance(ladder.HIGH_TECH_VALID, ctx.year).link,
        ),
    )


@placeholder("top_tiers", "瞪羚、独角兽等高成长企业数（如“瞪羚企业5家、准独角兽企业1家”）")
def _top_tiers(ctx):
    tiers = [
        f"{LADDER_LABELS[key]}{_cite(ctx, key, count_text(ctx.figures[key]))}"
        for key in TIER_KEYS
        if ctx.figures.get(key)
    ]
    return "、".join(tiers) or None


@placeholder("above_scale", "规上工业企业数（家）")
def _above_scale(ctx):
    return _count(ctx, agg.ABOVE_SCALE)


@placeholder("with_rd", "有研发支出的规上工业企业数（家）")
def _with_rd(ctx):
    if not ctx.figures.get(agg.ABOVE_SCALE):
        return None
    return _count(ctx, agg.WITH_RD)


@placeholder("without_rd", "研发费用为零的规上工业企业数（家）")
def _without_rd(ctx):
    above = ctx.figures.get(agg.ABOVE_SCALE) or 0
    zero = above - (ctx.figures.get(agg.WITH_RD) or 0)
    if not above or zero <= 0:
        return None
    return ctx.cite(
        "above_scale_without_rd",
        zero,
        count_text(zero),
        headline_provenance("above_scale_without_rd", ctx.year),
    )


@placeholder("with_rd_share", "有研发支出企业占规上工业企业比重（%）")
def _with_rd_share(ctx):
    share = ctx.figures.get(agg.WITH_RD_SHARE)
    if share is None or not ctx.figures.get(agg.ABOVE_SCALE):
        return None
    return _cite(ctx, agg.WITH_RD_SHARE, pct_text(share, 1))


@placeholder("with_rd_share_change", "有研发支出企业比重较上年变化（百分点）")
def _with_rd_share_change(ctx):
    return _points_change(ctx, agg.WITH_RD_SHARE, 1)


def _points_change(ctx, key: str, places: int) -> str | None:
    now, before = ctx.figures.get(key), ctx.previous.get(key)
    if now is None or before is None or not ctx.figures.get(agg.ABOVE_SCALE):
        return None
    change = now - before
    return _cite_change(ctx, key, change, points_phrase(change, places), "百分点")


@placeholder("rd_total_yi", "规上工业企业研发费用（亿元）")
def _rd_total_yi(ctx):
    total = ctx.figures.get(agg.RD_EXPENSE)
    if not total:
        return None
    yi = number_text(Decimal(str(total)) / Decimal(10**8), 1)
    return _cite(ctx, agg.RD_EXPENSE, f"{yi}亿元")


@placeholder("rd_growth", "规上工业企业研发费用同比增减（如“同比增长10%”）")
def _rd_growth(ctx):
    if not ctx.figures.get(agg.RD_EXPENSE):
        return None
    words = growth_phrase(ctx.figures.get(agg.RD_GROWTH), 0)
    return _cite(ctx, agg.RD_GROWTH, words) if words else None


@placeholder("rd_intensity", "规上工业企业研发投入强度（%）")
def _rd_intensity(ctx):
    value = ctx.figures.get(agg.RD_INTENSITY)
    if value is None or not ctx.figures.get(agg.ABOVE_SCALE):
        return None
    return _cite(ctx, agg.RD_INTENSITY, pct_text(value, 2))


@placeholder("rd_intensity_change", "研发投入强度较上年变化（百分点）")
def _rd_intensity_change(ctx):
    return _points_change(ctx, agg.RD_INTENSITY, 2)


def _towns(ctx: ReportContext) -> list[dict]:
    if "towns" not in ctx.cache:
        ctx.cache["towns"] = rd_breakdown(ctx.year, "town")
    return ctx.cache["towns"] or []


@placeholder("rd_top_towns", "研发费用居前三位的镇街道及其研发费用")
def _rd_top_towns(ctx):
    top = [t for t in _towns(ctx) if t[agg.RD_EXPENSE]][:3]
    if not top:
        return None
    names = []
    for t in top:
        value = money_text(t[agg.RD_EXPENSE], 2)
        cited = ctx.cite(
            f"rd_expense_town_{t['key']}",
            t[agg.RD_EXPENSE],
            value,
            Provenance(
                f"{ctx.year}年{t['label']}规上工业企业研发费用",
                RD_DEFINITIONS[agg.RD_EXPENSE] + "，按企业注册地所在镇街道归属",
                value[-2:] if value.endswith(("亿元", "万元")) else "元",
                RD_SOURCE,
                _url(
                    "enterprises:enterprise_list",
                    {"year": str(ctx.year), "above_scale": "true", "town": str(t["key"])},
                ),
            ),
        )
        names.append(f"{t['label']}（{cited}）")
    return "、".join(names)


@placeholder(
    "institutions_new", "当年新认定的各级企业研发机构（如“省企业研究院2家、市企业研发中心58家”）"
)
def _institutions_new(ctx):
    new = ctx.figures.get(RD_INSTITUTIONS_NEW_BY_LEVEL) or {}
    parts = [
        INSTITUTION_LABELS[level]
        + ctx.cite(
            f"{RD_INSTITUTIONS_NEW_BY_LEVEL}.{level}",
            new[level],
            count_text(new[level]),
            headline_provenance(f"{RD_INSTITUTIONS_NEW_BY_LEVEL}.{level}", ctx.year),
        )
        for level in INSTITUTION_LABELS
        if new.get(level)
    ]
    return "、".join(parts) or None


@placeholder("institutions_total", "年末企业研发机构累计数（家）")
def _institutions_total(ctx):
    return _count(ctx, RD_INSTITUTIONS_TOTAL)


@placeholder("institutions_ratio", "企业研发机构数与规上工业企业数之比（如“近80%”）")
def _institutions_ratio(ctx):
    ratio = ctx.figures.get(INSTITUTIONS_PER_ABOVE_SCALE)
    if not ratio:
        return None
    return _cite(ctx, INSTITUTIONS_PER_ABOVE_SCALE, approx_pct_phrase(ratio))


def _rank(ctx: ReportContext, code: str, scope: str) -> str | None:
    ranks = rankings(ctx)
    entry = (ranks or {}).get(code)
    if not entry:
        return None
    label = dict(RANK_SETS)[code]
    if scope == "province":
        previous = entry["history"][1][0] if len(entry["history"]) > 1 else None
        words = rank_phrase("全省", entry["rank_province"], previous)
        value = entry["rank_province"]
    else:
        if entry["rank_ningbo"] is None:
            return None
        words = streak_phrase("宁波", [n for _p, n in entry["history"]])
        value = entry["rank_ningbo"]
    return ctx.cite(
        RANK_KEYS[code][0 if scope == "province" else 1],
        value,
        words,
        _rank_provenance(code, label, scope, ctx.year),
    )


@placeholder("innovation_rank_province", "科技创新指数全省排名（如“跃居全省第7”）")
def _innovation_rank_province(ctx):
    return _rank(ctx, "innovation", "province")


@placeholder("innovation_rank_ningbo", "科技创新指数宁波排名（如“连续三年居宁波第1”）")
def _innovation_rank_ningbo(ctx):
    return _rank(ctx, "innovation", "ningbo")


@placeholder("transformation_rank_province", "科技成果转化指数全省排名")
def _transformation_rank_province(ctx):
    return _rank(ctx, "transformation", "province")


@placeholder("transformation_rank_ningbo", "科技成果转化指数宁波排名")
def _transformation_rank_ningbo(ctx):
    return _rank(ctx, "transformation", "ningbo")


@placeholder("targets_progress", "报告年度各项目标的目标值、实际值和完成进度")
def _targets_progress(ctx):
    rows = _targets(ctx, ctx.year)
    if not rows:
        return None
    return "；".join(
        _cite_target(ctx, ctx.year, r, _target_sentence(r, with_actual=True)) for r in rows
    )


@placeholder("targets_next", "计划年度各项目标的目标值")
def _targets_next(ctx):
    year = ctx.year + 1
    rows = _targets(ctx, year)
    if not rows:
        return None
    return "；".join(
        _cite_target(ctx, year, r, _target_sentence(r, with_actual=False)) for r in rows
    )


# ------------------------------------------------------------------ sections


def _lead(ctx: ReportContext, key: str) -> str:
    return paragraph_text(ctx, key).rstrip("。")


def opening_section(year: int, ctx: ReportContext) -> Section:
    """The opening paragraph: the year's rankings and headline results."""
    ranks = rankings(ctx)
    tables = [_rank_table(ctx, ranks)] if ranks else []
    return Section(
        key="opening", part="opening", paragraphs=[paragraph_text(ctx, "opening")], tables=tables
    )


def _ladder_table(year: int, ctx: ReportContext) -> Table:
    rows = []
    for key, label in LADDER_LABELS.items():
        cur, prev = ctx.figures.get(key), ctx.previous.get(key)
        rows.append([label, cur, prev, None if cur is None or prev is None else cur - prev])
    return Table(
        key="ladder",
        title="科技型企业梯队",
        columns=["梯队层级", f"{year}年（家）", f"{year - 1}年（家）", "增减（家）"],
        rows=rows,
        formats=[None, "int", "int", "int"],
        note="科技型中小企业、培育企业按当年入库或认定数计；有效高新技术企业为12月31日持有有效证书的企业数。",
        sheet="企业梯队",
    )


def _town_table(year: int, ctx: ReportContext) -> Table:
    f = ctx.figures
    rows = [
        [
            t["label"],
            t[agg.ABOVE_SCALE],
            t[agg.WITH_RD],
            t[agg.WITH_RD_SHARE],
            t[agg.RD_EXPENSE],
            t[agg.RD_INTENSITY],
        ]
        for t in _towns(ctx)
    ]
    rows.append(
        [
            "合计",
            f.get(agg.ABOVE_SCALE),
            f.get(agg.WITH_RD),
            f.get(agg.WITH_RD_SHARE),
            f.get(agg.RD_EXPENSE),
            f.get(agg.RD_INTENSITY),
        ]
    )
    return Table(
        key="rd_by_town",
        title=f"{year}年规上工业企业研发投入（分镇街道）",
        columns=[
            "镇街道",
            "规上工业企业（家）",
            "有研发支出（家）",
            "占比（%）",
            "研发费用（万元）",
            "研发投入强度（%）",
        ],
        rows=rows,
        formats=[None, "int", "int", "pct1", "wan", "pct2"],
        note="按研发费用从高到低排列；研发投入强度＝研发费用÷营业收入×100%。",
        sheet="研发投入（分镇街道）",
    )


def enterprises_section(year: int, ctx: ReportContext) -> Section:
    """The cultivation ladder (雁阵梯队) and the R&D investment of above-scale enterprises."""
    paragraphs = [paragraph_text(ctx, "ladder"), paragraph_text(ctx, "rd")]
    return Section(
        key="enterprises",
        part="progress",
        lead=_lead(ctx, "enterprises_lead"),
        paragraphs=[p for p in paragraphs if p],
        tables=[_ladder_table(year, ctx), _town_table(year, ctx)],
    )


def institutions_section(year: int, ctx: ReportContext) -> Section:
    """Enterprise R&D institutions: new ones by level and the cumulative total."""
    f, prev = ctx.figures, ctx.previous
    new = f.get(RD_INSTITUTIONS_NEW_BY_LEVEL) or {}
    prev_new = prev.get(RD_INSTITUTIONS_NEW_BY_LEVEL) or {}
    rows = [
        [label, new.get(level, 0), prev_new.get(level, 0)]
        for level, label in INSTITUTION_LABELS.items()
    ]
    rows.append(["新认定合计", sum(new.values()), sum(prev_new.values())])
    rows.append(["累计（年末）", f.get(RD_INSTITUTIONS_TOTAL), prev.get(RD_INSTITUTIONS_TOTAL)])
    table = Table(
        key="institutions",
        title="企业研发机构（分级别）",
        columns=["级别", f"{year}年新认定（家）", f"{year - 1}年新认定（家）"],
        rows=rows,
        formats=[None, "int", "int"],
        note="累计数为认定年度不晚于当年且未被撤销的机构数。",
        sheet="研发机构（分级别）",
    )
    text = paragraph_text(ctx, "institutions")
    return Section(
        key="institutions",
        part="progress",
        lead=_lead(ctx, "institutions_lead"),
        paragraphs=[text] if text else [],
        tables=[table],
    )


def targets_section(year: int, ctx: ReportContext) -> Section | None:
    """The year's targets and how far they were reached (when the indicators app has targets)."""
    rows = _targets(ctx, year)
    if not rows:
        return None
    text = paragraph_text(ctx, "targets")
    return Section(
        key="targets",
        part="progress",
        lead=_lead(ctx, "targets_lead"),
        paragraphs=[text] if text else [],
        tables=[_targets_table(year, rows, "targets")],
    )


def plan_intro_section(year: int, ctx: ReportContext) -> Section:
    text = paragraph_text(ctx, "plan_intro")
    return Section(key="plan_intro", part="plan", paragraphs=[text] if text else [])


def plan_rd_section(year: int, ctx: ReportContext) -> Section | None:
    """R&D investment: the diagnosis and visit work that follows from this year's figures."""
    if not ctx.figures.get(agg.ABOVE_SCALE):
        return None
    return Section(
        key="plan_rd",
        part="plan",
        lead=_lead(ctx, "plan_rd_lead"),
        paragraphs=[paragraph_text(ctx, "plan_rd")],
    )


def plan_targets_section(year: int, ctx: ReportContext) -> Section | None:
    """Next year's targets from the indicators app and the high-tech milestone."""
    nxt = year + 1
    rows = _targets(ctx, nxt)
    text = paragraph_text(ctx, "plan_targets")
    if not text:
        return None
    return Section(
        key="plan_targets",
        part="plan",
        lead=_lead(ctx, "plan_targets_lead"),
        paragraphs=[text],
        tables=[_targets_table(nxt, rows, "plan_targets", with_actual=False)] if rows else [],
    )


# ------------------------------------------------------------------ registration

register_section(10, "opening", opening_section)
register_section(100, "enterprises", enterprises_section)
register_section(200, "institutions", institutions_section)
register_section(900, "targets", targets_section)
register_section(1000, "plan_intro", plan_intro_section)
register_section(1100, "plan_rd", plan_rd_section)
register_section(1900, "plan_targets", plan_targets_section)
