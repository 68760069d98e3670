"""Section builders on hand-made figures (no database): the conditional phrasing follows the
numbers, and without the indicators engine the report says plainly that rankings are missing."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from kechuang.reports import sections
from kechuang.reports.content import ReportContext
from kechuang.reports.registry import registered_sections

FIGURES = {
    "tech_sme_national_filed": 953,
    "tech_sme_provincial_entered": 502,
    "cultivation_recognised": 150,
    "high_tech_first_batch_recognised": 319,
    "high_tech_valid_end_of_year": 994,
    "gazelle_held": 0,
    "potential_unicorn_held": 0,
    "quasi_unicorn_held": 0,
    "unicorn_held": 0,
    "above_scale_industrial": 1813,
    "above_scale_with_rd": 1345,
    "above_scale_with_rd_share_pct": 74.1864,
    "rd_expense_above_scale_yuan": Decimal("8420000000.00"),
    "rd_expense_growth_pct": 10.0,
    "rd_intensity_pct": 3.36,
    "rd_institutions_total": 1438,
    "rd_institutions_new_by_level": {
        "municipal_enterprise_rd_centre": 58,
        "ningbo_key_enterprise_research_institute": 3,
        "provincial_high_tech_rd_centre": 23,
        "provincial_enterprise_research_institute": 2,
        "provincial_key_enterprise_research_institute": 0,
    },
    "rd_institutions_per_above_scale_pct": 79.32,
}


def _ctx(**changes) -> ReportContext:
    figures = {**FIGURES, **changes}
    previous = {**FIGURES, "high_tech_valid_end_of_year": 751, "rd_intensity_pct": 3.22}
    return ReportContext(2024, region_name="慈溪市", figures=figures, previous=previous)


@pytest.fixture(autouse=True)
def no_database(monkeypatch):
    monkeypatch.setattr(sections, "valid_high_tech_series", lambda years: {years[0]: 250})
    monkeypatch.setattr(sections, "rd_breakdown", lambda year, by: [])


@pytest.fixture
def without_indicators(monkeypatch):
    """A region that has loaded no ranked index set and no targets."""
    monkeypatch.setattr(sections, "ranking_summary", lambda year, draws=None: {})
    monkeypatch.setattr(sections, "target_progress", lambda year: [])
    monkeypatch.setattr(sections, "index_methodology_note", lambda year: "")


def test_without_the_indicators_engine_the_opening_states_no_ranks(without_indicators):
    ctx = _ctx()
    section = sections.opening_section(2024, ctx)
    text = "".join(section.paragraphs)
    assert "全省第" not in text and "宁波第" not in text and "综合评价" not in text
    assert "尚未" not in text and "排名" not in text  # no note about what is missing
    assert "有效高新技术企业994家" in text
    assert not section.tables
    assert not any("rank" in c.key for c in ctx.cited)


def test_rank_keys_of_the_headline_figures_are_used_without_ranking_summary(without_indicators):
    ctx = _ctx(innovation_index_rank_province=7, innovation_index_rank_ningbo=1)
    text = "".join(sections.opening_section(2024, ctx).paragraphs)
    assert "科技创新指数居全省第7、居宁波第1" in text
    assert "科技成果转化指数" not in text


def test_below_a_thousand_the_report_does_not_claim_the_milestone(without_indicators):
    text = "".join(sections.opening_section(2024, _ctx()).paragraphs)
    assert "逼近千家大关" in text and "突破千家大关" not in text
    text = "".join(
        sections.opening_section(2024, _ctx(high_tech_valid_end_of_year=1003)).paragraphs
    )
    assert "突破千家大关" in text


def test_a_decline_is_called_a_decline(without_indicators):
    ctx = _ctx(rd_expense_growth_pct=-4.2, rd_intensity_pct=3.1)
    text = "".join(sections.enterprises_section(2024, ctx).paragraphs)
    assert "同比下降4%" in text and "增长" not in text.split("研发费用")[-1][:20]
    assert "较上年下降0.12个百分点" in text


def test_institution_levels_without_new_ones_are_left_out(without_indicators):
    section = sections.institutions_section(2024, _ctx())
    assert "省重点企业研究院" not in section.paragraphs[0]
    assert "省企业研究院2家" in section.paragraphs[0]
    assert "规上工业企业数的近80%" in section.paragraphs[0]


def test_next_years_plan_without_targets_carries_no_note_about_them(without_indicators):
    section = sections.plan_targets_section(2024, _ctx())
    text = section.paragraphs[0]
    assert "目标：" not in text and "尚未" not in text and "设定" not in text
    assert "目前尚差6家" in text
    assert sections.targets_section(2024, _ctx()) is None
    # Past a thousand the milestone sentence goes, and with it the whole paragraph.
    assert sections.plan_targets_section(2024, _ctx(high_tech_valid_end_of_year=1003)) is None


def test_every_number_is_cited_with_its_definition_unit_and_source(without_indicators):
    ctx = _ctx()
    for builder in (
        sections.opening_section,
        sections.enterprises_section,
        sections.institutions_section,
        sections.plan_rd_section,
    ):
        builder(2024, ctx)
    assert len({c.key for c in ctx.cited}) == len(ctx.cited)
    for figure in ctx.cited:
        p = figure.provenance
        assert p.label and p.definition and p.unit and p.source, figure.key
        for text in (p.label, p.definition, p.unit, p.source):
            assert not re.search(r"[A-Za-z]{2,}|\(|\)", text), (figure.key, text)
    keys = {c.key for c in ctx.cited}
    assert {"high_tech_valid_end_of_year", "rd_expense_above_scale_yuan"} <= keys
    assert "rd_institutions_new_by_level.provincial_high_tech_rd_centre" in keys


def test_sections_use_the_bureaus_wording(without_indicators):
    ctx = _ctx()
    ctx.texts = {
        "institutions": "本年新认定{institutions_new}，年末累计{institutions_total}。",
        "institutions_lead": "抓研发机构",
    }
    section = sections.institutions_section(2024, ctx)
    assert section.lead == "抓研发机构"
    assert section.paragraphs == [
        "本年新认定省企业研究院2家、省高新技术企业研发中心23家、宁波市重点企业研究院3家、"
        "市企业研发中心58家，年末累计1438家。"
    ]


def test_a_missing_figure_takes_its_clause_with_it(without_indicators):
    ctx = _ctx(rd_expense_growth_pct=None)
    ctx.previous = {}
    text = sections.enterprises_section(2024, ctx).paragraphs[1]
    assert "同比" not in text and "较上年" not in text
    assert "，，" not in text and "，；" not in text and "；。" not in text
    assert "研发费用合计84.2亿元；研发投入强度3.36%。" in text


def test_no_section_carries_a_note_about_missing_data(without_indicators):
    ctx = _ctx(above_scale_industrial=0, rd_institutions_new_by_level={})
    ctx.previous = {}
    texts = []
    for entry in registered_sections():
        section = entry.builder(2024, ctx)
        if section is not None:
            texts += [section.lead, *section.paragraphs]
    text = "".join(str(t) for t in texts)
    for note in ("尚未", "导入", "模块", "重新生成", "数据缺失", "{", "}"):
        assert note not in text, note
