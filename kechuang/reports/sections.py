"""The annual report's sections of issue 5: the opening with rankings and headline results, the
enterprise ladder and R&D, enterprise R&D institutions, the year's targets and next year's plan.

Every number comes from `headline_figures` (the figures the dashboard and `kechuang stats` show)
or from a selector, and enters the text through `ctx.cite`, which records its provenance for the
appendix. The prose around the numbers is template text; whether a sentence appears, and how it
is phrased (growth or decline, "突破千家大关" or not), depends on the figures.

Rankings and targets come from the indicators app (`ranking_summary`, `target_progress`), which
is imported lazily: without it the report says plainly that rankings are not available yet.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from kechuang.enterprises.selectors import valid_high_tech_series
from kechuang.rnd.selectors import DEFINITIONS as RD_DEFINITIONS
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
from .registry import register_section

__all__ = [
    "LADDER_LABELS",
    "INSTITUTION_LABELS",
    "RANK_SETS",
    "headline_provenance",
    "rankings",
    "targets",
]

logger = logging.getLogger(__name__)

# Names as the bureau writes them (the seed's wording), keyed like headline_figures.
LADDER_LABELS = {
    "tech_sme_national_filed": "备案国家科技型中小企业",
    "tech_sme_provincial_entered": "入库浙江省科技型中小企业",
    "cultivation_recognised": "认定市级高新技术培育企业",
    "high_tech_first_batch_recognised": "第一批认定高新技术企业",
    "high_tech_recognised": "全年认定高新技术企业",
    "high_tech_valid_end_of_year": "有效高新技术企业",
    "gazelle_held": "瞪羚企业",
    "potential_unicorn_held": "潜在独角兽企业",
    "quasi_unicorn_held": "准独角兽企业",
    "unicorn_held": "独角兽企业",
}
LADDER_DEFINITIONS = {
    "tech_sme_national_filed": "当年完成评价入库（备案）的国家科技型中小企业数，按评价年度计，不作存量累计；已撤销的不计",
    "tech_sme_provincial_entered": "当年入库的浙江省科技型中小企业数",
    "cultivation_recognised": "当年认定的市级高新技术培育企业数",
    "high_tech_first_batch_recognised": "当年第一批（批次“年度-1”）认定的高新技术企业数",
    "high_tech_recognised": "当年各批次认定的高新技术企业数",
    "high_tech_valid_end_of_year": "12月31日证书有效的高新技术企业数：发证日≤12月31日≤有效期止，且未被撤销",
    "gazelle_held": "当年持有瞪羚企业称号的企业数",
    "potential_unicorn_held": "当年持有潜在独角兽企业称号的企业数",
    "quasi_unicorn_held": "当年持有准独角兽企业称号的企业数",
    "unicorn_held": "当年持有独角兽企业称号的企业数",
}
LADDER_QUERY = {
    "tech_sme_national_filed": {"kind": "national_tech_sme", "year": "{y}"},
    "tech_sme_provincial_entered": {"kind": "provincial_tech_sme", "year": "{y}"},
    "cultivation_recognised": {"kind": "municipal_cultivation", "year": "{y}"},
    "high_tech_first_batch_recognised": {"kind": "high_tech", "batch": "{y}-1"},
    "high_tech_recognised": {"kind": "high_tech", "year": "{y}"},
    "high_tech_valid_end_of_year": {"kind": "high_tech", "valid_on": "{y}-12-31"},
    "gazelle_held": {"kind": "gazelle", "year": "{y}"},
    "potential_unicorn_held": {"kind": "potential_unicorn", "year": "{y}"},
    "quasi_unicorn_held": {"kind": "quasi_unicorn", "year": "{y}"},
    "unicorn_held": {"kind": "unicorn", "year": "{y}"},
}
TIER_KEYS = ("unicorn_held", "quasi_unicorn_held", "potential_unicorn_held", "gazelle_held")
# Highest level first, as the seed lists them.
INSTITUTION_LABELS = {
    "provincial_key_enterprise_research_institute": "省重点企业研究院",
    "provincial_enterprise_research_institute": "省企业研究院",
    "provincial_high_tech_rd_centre": "省高新技术企业研发中心",
    "ningbo_key_enterprise_research_institute": "宁波市重点企业研究院",
    "municipal_enterprise_rd_centre": "市企业研发中心",
}
RD_LABELS = {
    "above_scale_industrial": "规上工业企业数",
    "above_scale_with_rd": "有研发支出的规上工业企业数",
    "above_scale_with_rd_share_pct": "有研发支出企业占规上工业企业比重",
    "rd_expense_above_scale_yuan": "规上工业企业研发费用",
    "rd_expense_growth_pct": "规上工业企业研发费用同比增速",
    "rd_intensity_pct": "规上工业企业研发投入强度（研发费用占营业收入比重）",
}
RANK_SETS = (("innovation", "科技创新指数"), ("transformation", "科技成果转化指数"))
STREAK_YEARS = 3
MULTIPLE_YEARS = 5


# ------------------------------------------------------------------ provenance


def _url(name: str, params: dict | None = None) -> str | None:
    try:
        path = reverse(name)
    except NoReverseMatch:
        return None
    return f"{path}?{urlencode(params)}" if params else path


def _stats(year: int, key: str) -> str:
    return f"kechuang stats --year {year} --json → {key}"


def headline_provenance(key: str, year: int) -> Provenance:
    """The provenance of a headline figure (a key of `headline_figures`) for `year`."""
    y = str(year)
    enterprises = {"year": y, "above_scale": "true"}
    if key in LADDER_LABELS:
        params = {k: v.format(y=y) for k, v in LADDER_QUERY[key].items()}
        return Provenance(
            label=LADDER_LABELS[key],
            definition=LADDER_DEFINITIONS[key],
            query=_stats(year, key),
            link=_url("enterprises:qualification_list", params),
        )
    if key in RD_LABELS:
        params = dict(enterprises)
        if key in {"above_scale_with_rd", "above_scale_with_rd_share_pct"}:
            params["has_rd"] = "true"
        query = _stats(year, key)
        if key == "rd_expense_growth_pct":
            query += f"（与 --year {year - 1} 的 rd_expense_above_scale_yuan 比较）"
        if key in {"rd_expense_above_scale_yuan", "rd_intensity_pct"}:
            query += "；或导出所链企业列表，合计当年研发费用（统计口径）与营业收入"
        return Provenance(
            RD_LABELS[key], RD_DEFINITIONS[key], query, _url("enterprises:enterprise_list", params)
        )
    if key == "above_scale_without_rd":
        return Provenance(
            "研发费用为零的规上工业企业数",
            "规上工业企业数 − 有研发支出的规上工业企业数（统计口径研发费用为0或未填报）",
            f"{_stats(year, 'above_scale_industrial')} − above_scale_with_rd",
            _url("enterprises:enterprise_list", {**enterprises, "has_rd": "false"}),
        )
    if key.startswith("rd_institutions_new_by_level."):
        level = key.split(".", 1)[1]
        return Provenance(
            f"{year}年新认定{INSTITUTION_LABELS[level]}",
            f"{year}年认定的{INSTITUTION_LABELS[level]}数（按认定年度）",
            f"{_stats(year, 'rd_institutions_new_by_level')}.{level}",
            _url("platforms:institution_list", {"year_recognised": y, "level": level}),
        )
    if key == "rd_institutions_total":
        return Provenance(
            "企业研发机构累计数",
            f"认定年度≤{year}且未撤销的各级企业研发机构数（升级的按新级别计一条，原级别记为已升级）",
            f"{_stats(year, key)}；研发机构列表：认定年度≤{year}，状态为有效或已升级",
            _url("platforms:institution_list"),
        )
    if key == "rd_institutions_per_above_scale_pct":
        return Provenance(
            "企业研发机构数与规上工业企业数之比",
            "企业研发机构累计数 ÷ 规上工业企业数",
            _stats(year, key),
            _url("platforms:institution_list"),
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
    """Cite the change of a headline figure on the previous year (a difference of two cited
    figures, reproduced by running `kechuang stats` for both years)."""
    base = headline_provenance(key, ctx.year)
    return ctx.cite(
        f"{key}.change",
        change,
        text,
        Provenance(
            f"{base.label}较上年变化",
            f"{ctx.year}年值 − {ctx.year - 1}年值（{unit}）",
            f"{_stats(ctx.year, key)} 与 --year {ctx.year - 1} 的同一键相减",
            base.link,
        ),
    )


def _figure(ctx: ReportContext, key: str, default=None):
    value = ctx.figures.get(key)
    return default if value is None else value


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
    try:
        from kechuang.indicators.selectors import ranking_summary
    except ImportError:
        return None
    if sensitivity:
        return ranking_summary(year)
    try:
        return ranking_summary(year, draws=0)  # earlier years: the rank only, no draws
    except TypeError:
        return ranking_summary(year)


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
        if entry is None and ctx.figures.get(f"{code}_index_rank_province") is not None:
            entry = {
                "rank_province": ctx.figures[f"{code}_index_rank_province"],
                "rank_ningbo": ctx.figures.get(f"{code}_index_rank_ningbo"),
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
    scope_text = "全省县（市、区）" if scope == "province" else "宁波市各区（县、市）"
    return Provenance(
        label=f"{label}{'全省' if scope == 'province' else '宁波'}排名",
        definition=f"{label}（各指标标准化后加权合成）在{scope_text}中的位次，{year}年",
        query=f"{_stats(year, f'{code}_index_rank_{scope}')}；ranking_summary({year})['{code}']",
        link=_url("indicators:leadership", {"year": str(year)}),
    )


def _rank_clause(ctx: ReportContext, code: str, label: str, entry: dict) -> str:
    prev_province = entry["history"][1][0] if len(entry["history"]) > 1 else None
    province = ctx.cite(
        f"{code}_index_rank_province",
        entry["rank_province"],
        rank_phrase("全省", entry["rank_province"], prev_province),
        _rank_provenance(code, label, "province", ctx.year),
    )
    text = f"{label}{province}"
    if entry["rank_ningbo"] is not None:
        ningbo = ctx.cite(
            f"{code}_index_rank_ningbo",
            entry["rank_ningbo"],
            streak_phrase("宁波", [n for _p, n in entry["history"]]),
            _rank_provenance(code, label, "ningbo", ctx.year),
        )
        text += f"、{ningbo}"
    return text


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
        note="排名中位数与区间：对权重和标准化方法多次随机扰动（固定随机种子）后的排名分布。",
        sheet="排名",
        widths=[1.5, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 3.2],
    )


# ------------------------------------------------------------------ targets (indicators app)


def targets(year: int) -> list[dict] | None:
    """Target rows of `year` from `kechuang.indicators.selectors.target_progress`, normalised to
    {name, unit, target, actual, progress_pct, pending}; None when the indicators app has none."""
    try:
        from kechuang.indicators.selectors import target_progress
    except ImportError:
        return None
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
        rows.append(
            {
                "code": _get(row, "code", "indicator_code", default=None)
                or (
                    _get(indicator, "code")
                    if indicator is not None and not isinstance(indicator, str)
                    else str(name)
                ),
                "name": str(name),
                "unit": str(unit or ""),
                "target": _get(row, "target"),
                "actual": _get(row, "actual"),
                "progress_pct": _get(row, "progress_pct", "progress"),
                "pending": _get(row, "pending_note", "pending", "note", default="") or "",
            }
        )
    return rows or None


def _value_text(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit in {"%", "％"}:
        return pct_text(value, 2)
    if unit == "元":
        return money_text(value)
    return f"{number_text(value, 2)}{unit}"


# ------------------------------------------------------------------ opening


def opening_section(year: int, ctx: ReportContext) -> Section:
    """The opening paragraph: the year's rankings and headline results (or, without rankings,
    a plain statement that they are not available yet)."""
    f = ctx.figures
    paragraphs = []
    intro = (
        f"{year}年，{ctx.region_name}科技局聚焦打造创新型县（市）标杆，坚持把科技创新摆在发展全局的核心位置，"
        "加快培育新优势、开辟新赛道、构筑新机制、提升新能力，科技创新工作不断取得新进展。"
    )
    ranks = rankings(ctx)
    results = []
    if ranks:
        clauses = [
            _rank_clause(ctx, code, label, ranks[code])
            for code, label in RANK_SETS
            if code in ranks
        ]
        results.append("，".join(clauses))
    valid = _figure(ctx, "high_tech_valid_end_of_year", 0)
    high_tech = f"有效高新技术企业达{_cite(ctx, 'high_tech_valid_end_of_year', count_text(valid))}"
    then = valid_high_tech_series([year - MULTIPLE_YEARS])[year - MULTIPLE_YEARS]
    multiple = multiple_phrase(valid, then, MULTIPLE_YEARS)
    if multiple:
        ctx.cite(
            f"high_tech_valid_end_of_year@{year - MULTIPLE_YEARS}",
            then,
            count_text(then),
            headline_provenance("high_tech_valid_end_of_year", year - MULTIPLE_YEARS),
        )
        high_tech += f"、{multiple}（{year - MULTIPLE_YEARS}年末为{count_text(then)}）"
    threshold = threshold_phrase(valid, 1000)
    if threshold:
        high_tech += f"、{threshold}"
    results.append(high_tech)
    rd = f.get("rd_expense_above_scale_yuan")
    if rd:
        text = f"规上工业企业研发费用{_cite(ctx, 'rd_expense_above_scale_yuan', money_text(rd))}"
        growth = growth_phrase(f.get("rd_expense_growth_pct"), 0)
        if growth:
            text += f"、{_cite(ctx, 'rd_expense_growth_pct', growth)}"
        if f.get("rd_intensity_pct") is not None:
            text += f"，研发投入强度达{_cite(ctx, 'rd_intensity_pct', pct_text(f['rd_intensity_pct'], 2))}"
        results.append(text)
    paragraphs.append(intro + "，".join(results) + "，取得了一系列具有突破性、标志性的成果。")
    if not ranks:
        paragraphs.append(
            f"科技创新指数、科技成果转化指数的全省及宁波排名尚未生成（指标与排名模块暂未提供{year}年排名结果），"
            "本报告暂不列示排名，待排名结果生成后重新生成本报告即可自动列入。"
        )
    tables = [_rank_table(ctx, ranks)] if ranks else []
    return Section(key="opening", part="opening", paragraphs=paragraphs, tables=tables)


# ------------------------------------------------------------------ enterprises: ladder and R&D


def _ladder_paragraph(year: int, ctx: ReportContext) -> str:
    f, prev = ctx.figures, ctx.previous
    parts = [
        f"{LADDER_LABELS[key]}{_cite(ctx, key, count_text(f[key]))}"
        for key in (
            "tech_sme_national_filed",
            "tech_sme_provincial_entered",
            "cultivation_recognised",
            "high_tech_first_batch_recognised",
        )
        if f.get(key)
    ]
    valid = f.get("high_tech_valid_end_of_year") or 0
    valid_text = (
        f"有效高新技术企业数达{_cite(ctx, 'high_tech_valid_end_of_year', count_text(valid))}"
    )
    before = prev.get("high_tech_valid_end_of_year")
    if before is not None:
        change = valid - before
        if change:
            words = f"较上年{'增加' if change > 0 else '减少'}{count_text(abs(change))}"
            valid_text += "，" + _cite_change(
                ctx, "high_tech_valid_end_of_year", change, words, "家"
            )
    threshold = threshold_phrase(valid, 1000)
    if threshold:
        valid_text += f"，{threshold}"
    parts.append(valid_text)
    tiers = [
        f"{LADDER_LABELS[key]}{_cite(ctx, key, count_text(f[key]))}"
        for key in TIER_KEYS
        if f.get(key)
    ]
    text = (
        "健全完善科技型企业雁阵梯队，培育壮大“科技型中小企业—高新技术培育企业—高新技术企业—科技独角兽企业”成长体系，"
        + "，".join(parts)
        + "。"
    )
    if tiers:
        text += f"梯队顶端现有{'、'.join(tiers)}。"
    return text


def _rd_paragraph(year: int, ctx: ReportContext) -> str:
    f, prev = ctx.figures, ctx.previous
    above = f.get("above_scale_industrial") or 0
    if not above:
        return f"{year}年规上工业企业研发投入数据尚未导入。"
    with_rd = f["above_scale_with_rd"]
    share = f["above_scale_with_rd_share_pct"]
    text = (
        f"有研发支出企业达{_cite(ctx, 'above_scale_with_rd', count_text(with_rd))}、"
        f"占规上工业企业比重{_cite(ctx, 'above_scale_with_rd_share_pct', pct_text(share, 1))}"
    )
    if prev.get("above_scale_with_rd_share_pct") is not None:
        change = share - prev["above_scale_with_rd_share_pct"]
        words = points_phrase(change, 1)
        text += f"（{_cite_change(ctx, 'above_scale_with_rd_share_pct', change, words, '百分点')}）"
    total = f["rd_expense_above_scale_yuan"]
    text += (
        f"，完成规上工业企业研发费用{_cite(ctx, 'rd_expense_above_scale_yuan', money_text(total))}"
    )
    growth = growth_phrase(f.get("rd_expense_growth_pct"), 0)
    if growth:
        text += f"，{_cite(ctx, 'rd_expense_growth_pct', growth)}"
    if f.get("rd_intensity_pct") is not None:
        text += f"，占规上工业营业收入比重达{_cite(ctx, 'rd_intensity_pct', pct_text(f['rd_intensity_pct'], 2))}"
        if prev.get("rd_intensity_pct") is not None:
            change = f["rd_intensity_pct"] - prev["rd_intensity_pct"]
            words = points_phrase(change, 2)
            text += f"，{_cite_change(ctx, 'rd_intensity_pct', change, words, '百分点')}"
    text += "。"
    towns = ctx.cache.get("towns") or []
    top = [t for t in towns if t["rd_expense_above_scale_yuan"]][:3]
    if top:
        names = []
        for t in top:
            value = money_text(t["rd_expense_above_scale_yuan"], 2)
            names.append(
                f"{t['label']}（"
                + ctx.cite(
                    f"rd_expense_town_{t['key']}",
                    t["rd_expense_above_scale_yuan"],
                    value,
                    Provenance(
                        f"{t['label']}规上工业企业研发费用",
                        RD_DEFINITIONS["rd_expense_above_scale_yuan"] + "，按企业注册镇街道",
                        f"rd_breakdown({year}, 'town') 中 key={t['key']} 的 rd_expense_above_scale_yuan",
                        _url(
                            "enterprises:enterprise_list",
                            {"year": str(year), "above_scale": "true", "town": str(t["key"])},
                        ),
                    ),
                )
                + "）"
            )
        text += f"分镇街道看，研发费用居前三位的是{'、'.join(names)}。"
    zero = above - with_rd
    if zero:
        zero_text = ctx.cite(
            "above_scale_without_rd",
            zero,
            count_text(zero),
            headline_provenance("above_scale_without_rd", year),
        )
        text += f"全市仍有{zero_text}规上工业企业研发费用为零，是下一步研发投入“破零”的重点。"
    return text


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
        note="科技型中小企业、培育企业按当年入库/认定计；有效高新技术企业为12月31日证书有效数。",
        sheet="企业梯队",
    )


def _town_table(year: int, ctx: ReportContext) -> Table:
    f = ctx.figures
    rows = [
        [
            t["label"],
            t["above_scale_industrial"],
            t["above_scale_with_rd"],
            t["above_scale_with_rd_share_pct"],
            t["rd_expense_above_scale_yuan"],
            t["rd_intensity_pct"],
        ]
        for t in ctx.cache.get("towns") or []
    ]
    rows.append(
        [
            "合计",
            f.get("above_scale_industrial"),
            f.get("above_scale_with_rd"),
            f.get("above_scale_with_rd_share_pct"),
            f.get("rd_expense_above_scale_yuan"),
            f.get("rd_intensity_pct"),
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
        note="按研发费用从高到低排列；研发投入强度＝研发费用÷营业收入。",
        sheet="研发投入（分镇街道）",
    )


def enterprises_section(year: int, ctx: ReportContext) -> Section:
    """一是: the cultivation ladder (雁阵梯队) and the R&D investment of above-scale enterprises."""
    ctx.cache["towns"] = rd_breakdown(year, "town")
    return Section(
        key="enterprises",
        part="progress",
        lead="聚焦链式培育创新企业，强化“主体力量”",
        paragraphs=[_ladder_paragraph(year, ctx), _rd_paragraph(year, ctx)],
        tables=[_ladder_table(year, ctx), _town_table(year, ctx)],
    )


# ------------------------------------------------------------------ R&D institutions


def institutions_section(year: int, ctx: ReportContext) -> Section:
    """二是: enterprise R&D institutions — new ones by level and the cumulative total."""
    f, prev = ctx.figures, ctx.previous
    new = f.get("rd_institutions_new_by_level") or {}
    parts = [
        INSTITUTION_LABELS[level]
        + ctx.cite(
            f"rd_institutions_new_by_level.{level}",
            new[level],
            count_text(new[level]),
            headline_provenance(f"rd_institutions_new_by_level.{level}", year),
        )
        for level in INSTITUTION_LABELS
        if new.get(level)
    ]
    text = "因企制宜推动企业新建或升级企业研发机构，"
    if parts:
        text += f"{year}年度入选{'，'.join(parts)}，"
    total = f.get("rd_institutions_total") or 0
    text += f"累计建成企业研发机构总数{_cite(ctx, 'rd_institutions_total', count_text(total))}"
    ratio = f.get("rd_institutions_per_above_scale_pct")
    if ratio:
        text += f"，与规上企业数量比{_cite(ctx, 'rd_institutions_per_above_scale_pct', approx_pct_phrase(ratio))}"
    text += "。"
    prev_new = prev.get("rd_institutions_new_by_level") or {}
    rows = [
        [label, new.get(level, 0), prev_new.get(level, 0)]
        for level, label in INSTITUTION_LABELS.items()
    ]
    rows.append(["新认定合计", sum(new.values()), sum(prev_new.values())])
    rows.append(["累计（年末）", total, prev.get("rd_institutions_total")])
    table = Table(
        key="institutions",
        title="企业研发机构（分级别）",
        columns=["级别", f"{year}年新认定（家）", f"{year - 1}年新认定（家）"],
        rows=rows,
        formats=[None, "int", "int"],
        note="累计数为认定年度不晚于当年且未撤销的机构数。",
        sheet="研发机构（分级别）",
    )
    return Section(
        key="institutions",
        part="progress",
        lead="聚焦厚植创新平台载体，筑牢“硬核支撑”",
        paragraphs=[text],
        tables=[table],
    )


# ------------------------------------------------------------------ targets of the year


def _target_sentence(row: dict, *, with_actual: bool) -> str:
    text = f"{row['name']}目标{_value_text(row['target'], row['unit'])}"
    if with_actual and row["actual"] is not None:
        text += f"，实际{_value_text(row['actual'], row['unit'])}"
        if row["progress_pct"] is not None:
            text += f"，完成{pct_text(row['progress_pct'], 1)}"
    if row["pending"]:
        text += f"（{row['pending']}）"
    return text


def _cite_target(ctx: ReportContext, year: int, row: dict, text: str) -> str:
    return ctx.cite(
        f"target.{year}.{row['code']}",
        row["target"],
        text,
        Provenance(
            f"{year}年目标：{row['name']}",
            "年度目标值、实际值与完成进度（实际值÷目标值）",
            f"target_progress({year}) 中 {row['code']}",
            _url("indicators:leadership", {"year": str(year)}),
        ),
    )


def _targets_table(year: int, rows: list[dict], key: str) -> Table:
    return Table(
        key=key,
        title=f"{year}年主要目标",
        columns=["指标", "单位", "目标", "实际", "完成进度（%）", "说明"],
        rows=[
            [r["name"], r["unit"], r["target"], r["actual"], r["progress_pct"], r["pending"]]
            for r in rows
        ],
        formats=[None, None, None, None, "pct1", None],
        sheet=f"{year}年目标",
    )


def targets_section(year: int, ctx: ReportContext) -> Section | None:
    """The year's targets and how far they were reached (when the indicators app has targets)."""
    rows = targets(year)
    if not rows:
        return None
    sentences = [_cite_target(ctx, year, r, _target_sentence(r, with_actual=True)) for r in rows]
    return Section(
        key="targets",
        part="progress",
        lead="聚焦年度目标任务，确保“落地见效”",
        paragraphs=[f"{year}年主要目标任务完成情况：{'；'.join(sentences)}。"],
        tables=[_targets_table(year, rows, "targets")],
    )


# ------------------------------------------------------------------ next year's plan


def plan_intro_section(year: int, ctx: ReportContext) -> Section:
    nxt = year + 1
    return Section(
        key="plan_intro",
        part="plan",
        paragraphs=[
            f"{nxt}年科技工作主线是：围绕高水平建设国家创新型县市标杆目标，深入实施“工业立市、创新强市”战略，"
            "以科技创新和产业创新深度融合为关键路径，统筹推进传统产业高端化升级、新兴产业集成化组链、"
            "先进技术产业化落地，因地制宜发展新质生产力。"
        ],
    )


def plan_rd_section(year: int, ctx: ReportContext) -> Section | None:
    """一是: R&D investment — the diagnosis and visit work that follows from this year's figures."""
    f = ctx.figures
    above = f.get("above_scale_industrial") or 0
    if not above:
        return None
    zero = above - (f.get("above_scale_with_rd") or 0)
    text = (
        "研发投入强度是检验创新型城市、科创企业成色的主要指标，也是“6+2”指标体系的重要内容。"
        f"推动{_cite(ctx, 'above_scale_industrial', count_text(above))}规上工业企业研发投入“诊断+提升”全覆盖、财务业务培训全覆盖"
    )
    if zero:
        zero_text = ctx.cite(
            "above_scale_without_rd",
            zero,
            count_text(zero),
            headline_provenance("above_scale_without_rd", year),
        )
        text += (
            f"；对{zero_text}研发费用为零的规上工业企业上门走访全覆盖，部门联动多措并举推动“破零”"
        )
    text += "；依托科技服务联盟提供研发投入归集、会计代理服务套餐，推动研发数据、研发成果、转化产能“三回归”。"
    return Section(key="plan_rd", part="plan", lead="把加大研发投入放在突出位置", paragraphs=[text])


def plan_targets_section(year: int, ctx: ReportContext) -> Section:
    """二是: next year's targets from the indicators app (or a plain note that none are set)."""
    nxt = year + 1
    rows = targets(nxt)
    tables = []
    if rows:
        sentences = [
            _cite_target(ctx, nxt, r, _target_sentence(r, with_actual=False)) for r in rows
        ]
        text = f"{nxt}年主要目标：{'；'.join(sentences)}。"
        tables.append(_targets_table(nxt, rows, "plan_targets"))
    else:
        text = f"{nxt}年度目标尚未在指标模块中设定，设定后重新生成本报告即可自动列入。"
    valid = ctx.figures.get("high_tech_valid_end_of_year") or 0
    if valid < 1000:
        text += "持续做大高新技术企业后备梯队，推动有效高新技术企业数突破千家大关。"
    return Section(
        key="plan_targets",
        part="plan",
        lead="锚定年度目标任务，抓好指标争先进位",
        paragraphs=[text],
        tables=tables,
    )


# ------------------------------------------------------------------ registration

register_section(10, "opening", opening_section)
register_section(100, "enterprises", enterprises_section)
register_section(200, "institutions", institutions_section)
register_section(900, "targets", targets_section)
register_section(1000, "plan_intro", plan_intro_section)
register_section(1100, "plan_rd", plan_rd_section)
register_section(1900, "plan_targets", plan_targets_section)
