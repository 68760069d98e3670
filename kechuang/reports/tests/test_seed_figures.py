"""The demo region reproduces the seed document's 2024 figures, computed by the same functions
the dashboard, the annual report and `kechuang stats` use (docs/demo.md#seed-figures). The full
demo is the one the reports package builds once (its conftest's `demo`), so it is built once
for both."""

import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from kechuang.dashboard.selectors import headline_figures
from kechuang.demo.services import DEMO_USERS, demo_build
from kechuang.enterprises.models import Enterprise


@pytest.fixture
def stats_2024(demo, db):
    out = StringIO()
    call_command("stats", year=2024, json=True, stdout=out)
    return json.loads(out.getvalue())


def test_ladder_counts_match_the_seed(stats_2024):
    assert stats_2024["tech_sme_national_filed"] == 953
    assert stats_2024["tech_sme_provincial_entered"] == 502
    assert stats_2024["cultivation_recognised"] == 150
    assert stats_2024["high_tech_first_batch_recognised"] == 319
    assert stats_2024["high_tech_valid_end_of_year"] == 994


def test_valid_high_tech_quadrupled_in_five_years(demo, db):
    assert 240 <= headline_figures(2019)["high_tech_valid_end_of_year"] <= 260


def test_institutions_match_the_seed(stats_2024):
    assert stats_2024["rd_institutions_new_by_level"] == {
        "provincial_enterprise_research_institute": 2,
        "provincial_high_tech_rd_centre": 23,
        "ningbo_key_enterprise_research_institute": 3,
        "municipal_enterprise_rd_centre": 58,
        "provincial_key_enterprise_research_institute": 0,
    }
    assert stats_2024["rd_institutions_total"] == 1438
    # "与规上企业数量比近80%"
    assert 78 <= stats_2024["rd_institutions_per_above_scale_pct"] < 80


def test_rd_figures_match_the_seed(stats_2024):
    assert stats_2024["above_scale_industrial"] == 1813
    assert stats_2024["above_scale_with_rd"] == 1345
    assert round(stats_2024["above_scale_with_rd_share_pct"], 1) == 74.2
    assert round(stats_2024["rd_expense_above_scale_yuan"] / 1e9, 2) == 8.42
    assert round(stats_2024["rd_expense_growth_pct"]) == 10
    assert round(stats_2024["rd_intensity_pct"], 2) == 3.36


def test_figures_are_computed_from_rows(demo, db):
    """Changing a record changes the figure: nothing is typed in."""
    from kechuang.enterprises.models import AnnualFigure

    figure = AnnualFigure.objects.filter(
        year=2024, is_above_scale_industrial=True, rd_expense_stat__gt=0
    ).first()
    before = headline_figures(2024)
    figure.rd_expense_stat = Decimal(0)
    figure.save()
    after = headline_figures(2024)
    assert after["above_scale_with_rd"] == before["above_scale_with_rd"] - 1
    assert after["rd_expense_above_scale_yuan"] < before["rd_expense_above_scale_yuan"]


def test_second_build_reuses_the_data(demo, db):
    count = Enterprise.objects.count()
    assert demo_build() is False
    assert Enterprise.objects.count() == count
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(
        username__in=[u for u, _r, _d in DEMO_USERS]
    ).count() == len(DEMO_USERS)


def test_generator_is_deterministic():
    from kechuang.demo.generator import generate

    a, b = generate(300), generate(300)
    for key in a.frames:
        assert a.frames[key].equals(b.frames[key]), key
