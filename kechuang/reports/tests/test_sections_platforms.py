"""The platform section of the annual report: written from the catalogue's figures, each cited
with its provenance, with the type × level table; nothing when the year has no platform data."""

from __future__ import annotations

import pytest

from kechuang.reports.content import ReportContext
from kechuang.reports.sections_platforms import platforms_section

pytestmark = pytest.mark.django_db

FIGURES = {
    "platforms_unveiled": 3,
    "provincial_incubators_new": 1,
    "provincial_maker_spaces_new": 1,
    "enclaves_tendered": 2,
    "concept_verification_centres_listed": 1,
    "platforms_by_type_level": {"incubator": {"provincial": 1}, "maker_space": {"provincial": 2}},
}


def _ctx(figures) -> ReportContext:
    return ReportContext(2024, region_name="慈溪市", figures=figures, previous={})


def test_section_states_every_figure_and_cites_it():
    ctx = _ctx(FIGURES)
    section = platforms_section(2024, ctx)
    text = section.paragraphs[0]
    for words in ("平台3个", "孵化器1家", "众创空间1家", "2个科创飞地", "1家概念验证中心"):
        assert words in text, words
    assert {c.key for c in ctx.cited} == set(FIGURES) - {"platforms_by_type_level"}
    table = section.tables[0]
    assert table.rows[0][-1] == 1 and table.rows[1][-1] == 2


def test_no_section_without_data():
    assert platforms_section(2024, _ctx({})) is None
