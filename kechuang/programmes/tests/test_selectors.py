"""The registry measures of the KPI comparison (docs/programmes.md#registry-measures): every kind
reads its own registry value over the project's period; 新增主营业务收入 is the growth of
main_business_revenue from the baseline year to the final year, never the total revenue."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from kechuang.cooperation.models import TechContract
from kechuang.core.roles import Role
from kechuang.enterprises.models import AnnualFigure, IntellectualProperty
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.programmes import selectors
from kechuang.programmes.choices import ApplicationStatus, ReportKind
from kechuang.programmes.models import ProgressReport, Project

from .factories import make_application, make_call

pytestmark = pytest.mark.django_db

KPIS = [
    ("申请发明专利", "件", "3", "invention_patents_filed"),
    ("授权发明专利", "件", "1", "invention_patents_granted"),
    ("新增主营业务收入", "万元", "500", "main_business_revenue_growth_wan"),
    ("研发费用", "万元", "200", "rd_expense_wan"),
    ("科技人员", "人", "20", "tech_staff"),
    ("技术合同", "份", "2", "tech_contracts"),
]


@pytest.fixture
def project():
    enterprise = make_enterprise()
    other = make_enterprise()
    kpis = [
        {"indicator": i, "unit": u, "baseline": "0", "target": t, "evidence": "材料", "measure": m}
        for i, u, t, m in KPIS
    ]
    app = make_application(
        make_call(year=2023), enterprise, status=ApplicationStatus.APPROVED, kpis=kpis
    )
    project = Project.objects.create(
        application=app,
        number="PM001",
        status="running",
        starts_on=dt.date(2023, 3, 1),
        ends_on=dt.date(2025, 2, 28),
    )
    # Baseline 2022 and the final year 2025: operating revenue moves far more than the main
    # business revenue, so reading the wrong measure changes the result.
    AnnualFigure.objects.bulk_create(
        [
            AnnualFigure(
                enterprise=enterprise,
                year=2022,
                operating_revenue=Decimal(90_000_000),
                main_business_revenue=Decimal(30_000_000),
                rd_expense_stat=Decimal(1_000_000),
                tech_staff_year_end=8,
            ),
            AnnualFigure(
                enterprise=enterprise,
                year=2024,
                operating_revenue=Decimal(99_000_000),
                main_business_revenue=Decimal(33_000_000),
                rd_expense_stat=Decimal(1_800_000),
                tech_staff_year_end=15,
            ),
            AnnualFigure(
                enterprise=enterprise,
                year=2025,
                operating_revenue=Decimal(150_000_000),
                main_business_revenue=Decimal(34_200_000),
                rd_expense_stat=Decimal(2_500_000),
                tech_staff_year_end=22,
            ),
            # A year after the end of the project is never read.
            AnnualFigure(
                enterprise=enterprise,
                year=2026,
                main_business_revenue=Decimal(90_000_000),
                rd_expense_stat=Decimal(9_000_000),
                tech_staff_year_end=99,
            ),
            AnnualFigure(enterprise=other, year=2025, main_business_revenue=Decimal(900_000_000)),
        ]
    )
    patent = {"enterprise": enterprise, "kind": "invention_patent", "title": "专利"}
    IntellectualProperty.objects.bulk_create(
        [
            IntellectualProperty(
                **patent,
                number="P1",
                application_date=dt.date(2022, 5, 1),
                grant_date=dt.date(2023, 6, 1),
            ),
            IntellectualProperty(**patent, number="P2", application_date=dt.date(2023, 5, 1)),
            IntellectualProperty(**patent, number="P3", application_date=dt.date(2024, 5, 1)),
            IntellectualProperty(
                enterprise=enterprise,
                kind="utility_model",
                title="实用新型",
                number="U1",
                application_date=dt.date(2024, 1, 1),
            ),
        ]
    )
    contract = {
        "title": "技术开发合同",
        "declared_type": "dev_commissioned",
        "seller": "大学",
        "buyer": enterprise.name,
        "total_amount": Decimal(100_000),
        "applied_on": dt.date(2024, 1, 1),
    }
    TechContract.objects.bulk_create(
        [
            TechContract(
                **contract,
                buyer_enterprise=enterprise,
                signed_on=dt.date(2023, 9, 1),
                status="registered",
            ),
            TechContract(
                **contract,
                buyer_enterprise=enterprise,
                signed_on=dt.date(2024, 9, 1),
                status="refused",
            ),
            TechContract(
                **contract,
                buyer_enterprise=enterprise,
                signed_on=dt.date(2022, 9, 1),
                status="registered",
            ),
        ]
    )
    return project


def test_every_measure_reads_its_registry_value(project):
    explained = selectors.measured_kpis_explained(project, until_year=2025)
    values = {k: v for k, (v, _f) in explained.items()}
    assert values == {
        "invention_patents_filed": 2,  # P2, P3 filed since the start (P1 before, U1 not one)
        "invention_patents_granted": 1,  # P1 granted after the start
        "main_business_revenue_growth_wan": Decimal(420),  # 3,420 − 3,000 万元
        "rd_expense_wan": Decimal(250),  # the final year 2025
        "tech_staff": 22,
        "tech_contracts": 1,  # registered and signed since the start
    }
    assert explained["invention_patents_filed"][1] == "立项（2023-03-01）以来申请的发明专利 2 件"
    formula = explained["main_business_revenue_growth_wan"][1]
    assert formula == "2025年主营业务收入 3,420.00 万元 − 2022年（基期）3,000.00 万元 = 420.00 万元"


def test_the_final_year_follows_the_report(project):
    values = selectors.measured_kpis(project, until_year=2024)
    assert values["main_business_revenue_growth_wan"] == Decimal(300)
    assert values["tech_staff"] == 15
    # The earlier template's key still names the growth.
    assert values["main_business_revenue_wan"] == Decimal(300)


def test_missing_baseline_is_reported_not_guessed(project):
    AnnualFigure.objects.filter(enterprise=project.application.enterprise, year=2022).delete()
    value, formula = selectors.measured_kpis_explained(project, 2025)[
        "main_business_revenue_growth_wan"
    ]
    assert value is None and "2022年度主营业务收入缺失" in formula


def test_acceptance_page_compares_each_kind_and_shows_the_formula(project):
    report = ProgressReport.objects.create(
        project=project,
        kind=ReportKind.ACCEPTANCE,
        due_on=dt.date(2025, 5, 1),
        submitted_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC),
        kpis=[{"indicator": i, "reported": t} for i, _u, t, _m in KPIS],
    )
    rows = {r["indicator"]: r for r in selectors.report_comparison(report)}
    assert {k: r["met"] for k, r in rows.items()} == {
        "申请发明专利": False,  # 2 of 3
        "授权发明专利": True,
        "新增主营业务收入": False,  # 420 of 500, whatever the operating revenue did
        "研发费用": True,
        "科技人员": True,
        "技术合同": False,
    }
    assert rows["新增主营业务收入"]["shortfall"] == Decimal(80)
    staff = make_user(Role.BUREAU_STAFF)
    client = Client()
    client.force_login(staff)
    html = client.get(f"/programmes/reports/{report.pk}/").content.decode()
    assert "2025年主营业务收入 3,420.00 万元 − 2022年（基期）3,000.00 万元 = 420.00 万元" in html
    assert "新增主营业务收入（万元，期末年度减基期年度）" in html
