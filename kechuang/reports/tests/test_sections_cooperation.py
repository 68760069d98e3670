"""The cooperation section of the annual report: written from the catalogue's figures, each
cited with its provenance; nothing when the year has no cooperation data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.reports.content import ReportContext
from kechuang.reports.sections_cooperation import cooperation_section

pytestmark = pytest.mark.django_db  # drill-down links look the competition up

FIGURES = {
    "cooperation_events": 8,
    "cooperation_demands_matched": 56,
    "competition_entrants": 129,
    "competition_ningbo_finalists": 9,
    "competition_national_finalists": 4,
    "technical_contracts_registered": 12,
    "technical_contract_amount_yuan": Decimal("8500000"),
    "technical_transaction_amount_yuan": Decimal("7300000"),
}


def _ctx(figures) -> ReportContext:
    return ReportContext(2024, region_name="慈溪市", figures=figures, previous={})


def test_section_states_every_figure_and_cites_it():
    ctx = _ctx(FIGURES)
    section = cooperation_section(2024, ctx)
    text = section.paragraphs[0]
    for words in ("8场", "56项", "129家", "9家", "4家", "12项", "850万元", "730万元"):
        assert words in text, words
    assert {c.key for c in ctx.cited} == set(FIGURES)
    assert section.lead and section.tables[0].rows[0][1] == 8


def test_no_section_without_data_and_clauses_without_figures_are_dropped():
    assert cooperation_section(2024, _ctx({})) is None
    ctx = _ctx({"competition_entrants": 129, "competition_ningbo_finalists": 9})
    text = cooperation_section(2024, ctx).paragraphs[0]
    assert "129家" in text and "技术合同" not in text
