"""A small hand-computed region shared by the R&D database tests.

Town A: E1 (R&D both years), E2 (zero R&D in 2023, R&D in 2024).
Town B: E3 (above-scale in 2023 only: it leaves the set), E4 (zero revenue, R&D not reported),
E5 (revenue not reported, zero R&D, yet a valid high-tech certificate: a contradiction).
"""

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.models import IntellectualProperty, Qualification
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)

M = 1_000_000


@pytest.fixture
def region(db):
    a, b = make_town("甲镇"), make_town("乙镇")
    e1 = make_enterprise(town=a, industry_code="3411", name="甲一")
    e2 = make_enterprise(town=a, industry_code="3811", name="甲二")
    e3 = make_enterprise(town=b, industry_code="3412", name="乙三")
    e4 = make_enterprise(town=b, industry_code="3812", name="乙四")
    e5 = make_enterprise(town=b, industry_code="3413", name="乙五")
    fig = make_annual_figure
    fig(e1, 2023, is_above_scale_industrial=True, operating_revenue=100 * M, rd_expense_stat=3 * M)
    fig(e2, 2023, is_above_scale_industrial=True, operating_revenue=50 * M, rd_expense_stat=0)
    fig(e3, 2023, is_above_scale_industrial=True, operating_revenue=80 * M, rd_expense_stat=2 * M)
    fig(
        e1,
        2024,
        is_above_scale_industrial=True,
        operating_revenue=120 * M,
        sales_revenue=120 * M,
        rd_expense_stat=4 * M,
        rd_hnte_total=3 * M,
        rd_hnte_personnel=0,
        rd_hnte_direct=3 * M,
        rd_deduction_scope=5 * M,
        tech_staff_year_end=30,
        employees_year_end=300,
    )
    fig(
        e2,
        2024,
        is_above_scale_industrial=True,
        operating_revenue=60 * M,
        rd_expense_stat=1_200_000,
    )
    fig(
        e3, 2024, is_above_scale_industrial=False, operating_revenue=15 * M, rd_expense_stat=500_000
    )
    fig(e4, 2024, is_above_scale_industrial=True, operating_revenue=0, rd_expense_stat=None)
    fig(e5, 2024, is_above_scale_industrial=True, operating_revenue=None, rd_expense_stat=0)
    Qualification.objects.create(
        enterprise=e5,
        kind="high_tech",
        year=2023,
        issue_date=dt.date(2023, 12, 1),
        expiry_date=dt.date(2026, 11, 30),
    )
    Qualification.objects.create(
        enterprise=e1,
        kind="high_tech",
        year=2022,
        issue_date=dt.date(2022, 12, 1),
        expiry_date=dt.date(2025, 11, 30),
    )
    IntellectualProperty.objects.create(
        enterprise=e5,
        kind="invention_patent",
        number="ZL2020X",
        title="专利",
        grant_date=dt.date(2021, 5, 1),
    )
    return {"towns": (a, b), "e": (e1, e2, e3, e4, e5)}


@pytest.fixture
def users(region):
    a, b = region["towns"]
    e1, e2, *_ = region["e"]
    return {
        "staff": make_user(Role.BUREAU_STAFF),
        "leader": make_user(Role.LEADER),
        "officer_a": make_user(Role.TOWN_OFFICER, town=a),
        "officer_b": make_user(Role.TOWN_OFFICER, town=b),
        "enterprise_1": make_user(Role.ENTERPRISE, enterprise=e1),
        "enterprise_2": make_user(Role.ENTERPRISE, enterprise=e2),
        "expert": make_user(Role.EXPERT),
    }
