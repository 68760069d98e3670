"""Small registry fixtures for the platform tests of the qualification engine."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kechuang.core.roles import Role
from kechuang.enterprises.models import IntellectualProperty, Qualification
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)

YEAR = 2024


def figures(enterprise, year: int, **overrides):
    """One year's figures in yuan; sensible defaults for a small manufacturer."""
    values = {
        "sales_revenue": Decimal("10000000.00"),
        "operating_revenue": Decimal("10000000.00"),
        "total_income": Decimal("10200000.00"),
        "non_taxable_income": Decimal("0.00"),
        "hightech_income": Decimal("7000000.00"),
        "total_assets": Decimal("8000000.00"),
        "total_liabilities": Decimal("3000000.00"),
        "total_cost_expense": Decimal("9000000.00"),
        "rd_hnte_total": Decimal("600000.00"),
        "rd_hnte_domestic": Decimal("600000.00"),
        "rd_deduction_scope": Decimal("580000.00"),
        "rd_expense_stat": Decimal("600000.00"),
        "employees_avg": Decimal("98.50"),
        "tech_staff_avg": Decimal("19.25"),
        "employees_year_end": 100,
        "tech_staff_year_end": 20,
    }
    values.update(overrides)
    return make_annual_figure(enterprise, year=year, **values)


def ip(enterprise, kind: str = "invention_patent", n: int = 1, **kw):
    for _ in range(n):
        IntellectualProperty.objects.create(
            enterprise=enterprise,
            kind=kind,
            number=f"IP{enterprise.pk}-{kind}-{IntellectualProperty.objects.count()}",
            title="测试",
            grant_date=kw.get("grant_date", dt.date(2021, 5, 1)),
            expiry_date=kw.get("expiry_date"),
            used_in_hnte_application_year=kw.get("used"),
        )


def high_tech_certificate(enterprise, issue: dt.date, **kw):
    return Qualification.objects.create(
        enterprise=enterprise,
        kind="high_tech",
        year=issue.year,
        number=f"GR{enterprise.pk}{issue.year}",
        issue_date=issue,
        expiry_date=kw.get("expiry", issue.replace(year=issue.year + 3) - dt.timedelta(days=1)),
        revoked_date=kw.get("revoked"),
    )


def small_region():
    """Two towns, five enterprises with varied data, and the cast of users."""
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    strong = make_enterprise(town=town_a, name="甲强企业", registration_date=dt.date(2012, 3, 1))
    for y in (2022, 2023, 2024):
        figures(strong, y)
    ip(strong, "invention_patent", 2)
    ip(strong, "utility_model", 3)
    high_tech_certificate(strong, dt.date(2022, 12, 14))

    weak = make_enterprise(town=town_a, name="甲弱企业", registration_date=dt.date(2015, 1, 1))
    for y in (2022, 2023, 2024):
        figures(
            weak,
            y,
            rd_hnte_total=Decimal("100000.00"),
            rd_hnte_domestic=Decimal("90000.00"),
            rd_deduction_scope=Decimal("0.00"),
        )
    ip(weak, "utility_model", 1, used=2020)

    young = make_enterprise(town=town_b, name="乙新企业", registration_date=dt.date(2023, 6, 1))
    figures(young, 2023, sales_revenue=Decimal("0.00"), operating_revenue=Decimal("0.00"))
    figures(young, 2024, sales_revenue=Decimal("1234567.89"))

    empty = make_enterprise(town=town_b, name="乙空企业", registration_date=None)

    odd = make_enterprise(town=town_b, name="乙零收入", registration_date=dt.date(2010, 1, 1))
    for y in (2022, 2023, 2024):
        figures(
            odd,
            y,
            sales_revenue=Decimal("0.00"),
            total_income=Decimal("0.00"),
            employees_avg=Decimal("0.00"),
            tech_staff_avg=Decimal("0.00"),
            employees_year_end=0,
            tech_staff_year_end=0,
            rd_hnte_total=Decimal("0.00"),
            rd_hnte_domestic=Decimal("0.00"),
        )
    ip(odd, "software_copyright", 2, expiry_date=dt.date(2024, 6, 1))  # expired before 2025-01-01

    users = {
        "staff": make_user(Role.BUREAU_STAFF),
        "admin": make_user(Role.BUREAU_ADMIN),
        "leader": make_user(Role.LEADER),
        "town_a": make_user(Role.TOWN_OFFICER, town=town_a),
        "town_b": make_user(Role.TOWN_OFFICER, town=town_b),
        "ent_strong": make_user(Role.ENTERPRISE, enterprise=strong),
    }
    return {
        "towns": (town_a, town_b),
        "strong": strong,
        "weak": weak,
        "young": young,
        "empty": empty,
        "odd": odd,
        "users": users,
    }
