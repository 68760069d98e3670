"""The registry measures read in batch (docs/programmes.md#registry-measures): the batch gives
each project exactly what the single-project reading gives, and the portfolio and the headline
figures read them in a number of queries that does not grow with the concluded reports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.cooperation.models import TechContract
from kechuang.core.roles import Role
from kechuang.enterprises.models import AnnualFigure, IntellectualProperty
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.programmes import figures as figure_keys
from kechuang.programmes import selectors
from kechuang.programmes.choices import ApplicationStatus, ReportKind, ReportOutcome
from kechuang.programmes.models import ProgressReport, Project

from .factories import make_application, make_call

pytestmark = pytest.mark.django_db

KPIS = [
    {"indicator": "申请发明专利", "unit": "件", "baseline": "0", "target": "2",
     "evidence": "材料", "measure": "invention_patents_filed"},
    {"indicator": "新增主营业务收入", "unit": "万元", "baseline": "0", "target": "100",
     "evidence": "材料", "measure": "main_business_revenue_growth_wan"},
    {"indicator": "技术合同", "unit": "份", "baseline": "0", "target": "1",
     "evidence": "材料", "measure": "tech_contracts"},
]  # fmt: skip
STARTS = [
    (dt.date(2023, 3, 1), dt.date(2025, 2, 28)),
    (dt.date(2021, 7, 1), None),
    (None, None),  # no start date: the measures run from the record's creation
]


@pytest.fixture
def projects() -> list[Project]:
    call = make_call(year=2023)
    out = []
    for n, (starts_on, ends_on) in enumerate(STARTS):
        app = make_application(
            call, make_enterprise(), status=ApplicationStatus.APPROVED, kpis=KPIS
        )
        out.append(
            Project(
                application=app,
                number=f"PB{n:03d}",
                status="running",
                starts_on=starts_on,
                ends_on=ends_on,
            )
        )
    Project.objects.bulk_create(out)
    e1, e2, e3 = (p.application.enterprise for p in out)
    AnnualFigure.objects.bulk_create(
        [
            AnnualFigure(enterprise=e1, year=2022, main_business_revenue=Decimal(30_000_000)),
            AnnualFigure(
                enterprise=e1,
                year=2024,
                main_business_revenue=Decimal(33_000_000),
                rd_expense_stat=Decimal(1_800_000),
                tech_staff_year_end=15,
            ),
            AnnualFigure(enterprise=e1, year=2025, main_business_revenue=Decimal(90_000_000)),
            AnnualFigure(enterprise=e2, year=2020, main_business_revenue=Decimal(5_000_000)),
            AnnualFigure(
                enterprise=e2, year=2023, main_business_revenue=None, tech_staff_year_end=4
            ),
            AnnualFigure(enterprise=e3, year=2025, main_business_revenue=Decimal(7_000_000)),
        ]
    )
    IntellectualProperty.objects.bulk_create(
        [
            IntellectualProperty(
                enterprise=e, kind="invention_patent", title="专利", number=f"P{i}",
                application_date=applied, grant_date=granted,
            )
            for i, (e, applied, granted) in enumerate(
                [
                    (e1, dt.date(2022, 5, 1), dt.date(2023, 6, 1)),
                    (e1, dt.date(2023, 5, 1), None),
                    (e2, dt.date(2021, 8, 1), dt.date(2022, 8, 1)),
                    (e2, dt.date(2020, 8, 1), None),
                    (e3, dt.date(2020, 8, 1), None),
                ]
            )
        ]
    )  # fmt: skip
    contract = {
        "title": "技术开发合同",
        "declared_type": "dev_commissioned",
        "seller": e1.name,
        "buyer": e2.name,
        "total_amount": Decimal(100_000),
        "applied_on": dt.date(2024, 1, 1),
    }
    TechContract.objects.bulk_create(
        [
            # Between two of the enterprises: it counts for both.
            TechContract(
                **contract,
                seller_enterprise=e1,
                buyer_enterprise=e2,
                signed_on=dt.date(2023, 9, 1),
                status="registered",
            ),
            TechContract(
                **contract, buyer_enterprise=e2, signed_on=dt.date(2022, 9, 1), status="registered"
            ),
            TechContract(
                **contract, buyer_enterprise=e1, signed_on=dt.date(2024, 9, 1), status="refused"
            ),
        ]
    )
    return list(Project.objects.select_related("application").order_by("number"))


def test_the_batch_equals_each_single_reading(projects):
    pairs = [(p, until) for p in projects for until in (2023, 2024, 2025, None)]
    batch = selectors.measured_kpis_explained_many(pairs)
    single = [selectors.measured_kpis_explained(p, until) for p, until in pairs]
    assert batch == single
    e1_2025, e2_2024 = batch[2], batch[5]
    assert e1_2025["tech_contracts"][0] == 1 and e2_2024["tech_contracts"][0] == 2
    # The end year 2025-02 caps the reading at 2025: 9,000 − 3,000 万元.
    assert e1_2025["main_business_revenue_growth_wan"][0] == Decimal(6000)
    assert e2_2024["invention_patents_filed"] == (
        Decimal(1),
        "立项（2021-07-01）以来申请的发明专利 1 件",
    )
    assert e2_2024["main_business_revenue_growth_wan"] == (
        None,
        "2023年度主营业务收入缺失，无法计算新增主营业务收入",
    )
    assert selectors.measured_kpis_explained_many([]) == []


def _conclude(projects: list[Project], n: int) -> None:
    decided = dt.datetime(2025, 6, 1, tzinfo=dt.UTC)
    ProgressReport.objects.bulk_create(
        [
            ProgressReport(
                project=projects[i % len(projects)],
                kind=ReportKind.MID_TERM if i % 2 else ReportKind.ACCEPTANCE,
                due_on=dt.date(2024 + i % 2, 5, 1),
                submitted_at=decided,
                decided_at=decided,
                outcome=ReportOutcome.FAILED,
                kpis=[{"indicator": k["indicator"], "reported": k["target"]} for k in KPIS],
            )
            for i in range(n)
        ]
    )


def _queries(func) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), result


def test_queries_do_not_grow_with_the_concluded_reports(projects):
    staff = make_user(Role.BUREAU_STAFF)
    readers = {
        "portfolio": lambda: selectors.portfolio(staff, by="town"),
        "portfolio_year": lambda: selectors.portfolio(staff, by="year"),
        "figures": lambda: selectors.programme_figures(2025),
        "hold": lambda: selectors.tranche_hold_reasons(projects[0], dt.date(2026, 1, 1)),
    }
    _conclude(projects[:2], 2)
    for read in readers.values():  # warm the per-process caches (content types, roles)
        read()
    few = {name: _queries(read) for name, read in readers.items()}
    ProgressReport.objects.all().delete()
    _conclude(projects, 10)
    many = {name: _queries(read) for name, read in readers.items()}
    assert {k: n for k, (n, _r) in many.items()} == {k: n for k, (n, _r) in few.items()}
    # The readings are real: ten reports of three KPIs each, those with a result counted.
    assert many["figures"][1][figure_keys.PROGRAMME_KPI_ATTAINMENT] is not None
    assert sum(row["projects"] for row in many["portfolio"][1]) == 3
    assert many["hold"][1]
