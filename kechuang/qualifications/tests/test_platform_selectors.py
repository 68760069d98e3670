"""The batch frame and the single case are built from the registry exactly and agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from kechuang.enterprises.models import AnnualFigure
from kechuang.qualifications.logic import evaluate_case
from kechuang.qualifications.logic.batch import INPUT_SCHEMA
from kechuang.qualifications.models import AssessmentResult
from kechuang.qualifications.selectors import (
    assessment_frame,
    enterprise_case,
    evaluation_date_for,
    held_tiers,
)
from kechuang.qualifications.services import STORED_TIERS, assessment_run_create

from .builders import YEAR, small_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return small_region()


def _row(frame, enterprise):
    rows = frame.filter(frame["enterprise_id"] == enterprise.pk).to_dicts()
    assert len(rows) == 1
    return rows[0]


def test_evaluation_date_is_the_day_after_the_fiscal_year():
    assert evaluation_date_for(2024) == dt.date(2025, 1, 1)


def test_frame_has_the_engine_schema_and_exact_units(region):
    frame = assessment_frame(YEAR)
    for name, dtype in INPUT_SCHEMA.items():
        assert frame.schema[name] == dtype, name
    row = _row(frame, region["strong"])
    assert row["application_date"] == dt.date(2025, 1, 1)
    assert row["y3_sales_revenue_fen"] == 1_000_000_000  # 10,000,000.00 yuan
    assert row["y1_rd_expense_hnte_fen"] == 60_000_000
    assert row["y3_net_assets_fen"] == 500_000_000
    assert row["y3_employees_avg_u"] == 98 * 5_544_000 + 5_544_000 // 2  # 98.50 persons exact
    assert row["y3_tech_staff_avg_u"] == 19 * 5_544_000 + 5_544_000 // 4
    assert row["base_employees_total"] == 100 and row["base_tech_staff"] == 20
    assert (row["ip_class1_count"], row["ip_class2_count"], row["ip_class2_unused_count"]) == (
        2,
        3,
        3,
    )
    assert row["hnte_cert_valid"] is True  # issued 2022-12-14, valid on 2025-01-01
    assert row["registered_in_zhejiang"] is True and row["is_resident_enterprise"] is True
    assert row["incident_c4"] is None and row["core_tech_in_supported_fields"] is None  # unknown


@pytest.mark.parametrize(
    "yuan, persons",
    [
        ("-1234.56", "0.01"),
        ("1234567890123.45", "12345.67"),
        pytest.param(
            "9999999999999999.99",
            "99999999.99",
            marks=pytest.mark.skipif(
                connection.vendor != "postgresql",
                reason="SQLite keeps an 18-digit decimal as a floating-point number",
            ),
        ),
    ],
)
def test_frame_units_are_exact_at_the_edges(region, yuan, persons):
    """Yuan → fen and average headcounts → 1/5,544,000 person, exactly, for negative,
    large and (on PostgreSQL) the largest decimals the registry stores."""
    enterprise = region["young"]
    AnnualFigure.objects.filter(enterprise=enterprise, year=YEAR).update(
        total_liabilities=Decimal(yuan),
        total_assets=Decimal("0.00"),
        employees_avg=Decimal(persons),
    )
    row = _row(assessment_frame(YEAR), enterprise)
    assert row["y3_net_assets_fen"] == -int(Decimal(yuan) * 100)
    assert row["y3_employees_avg_u"] == int(Decimal(persons) * 5_544_000)
    assert row["y3_sales_revenue_fen"] == 123_456_789  # the other columns untouched


def test_used_and_expired_ip_and_short_histories(region):
    frame = assessment_frame(YEAR)
    weak = _row(frame, region["weak"])
    assert (weak["ip_class2_count"], weak["ip_class2_unused_count"]) == (1, 0)  # used in 2020
    assert weak["ip_self_developed"] is False
    odd = _row(frame, region["odd"])
    assert odd["ip_class2_count"] == 0  # expired on 2024-06-01
    assert odd["y3_sales_revenue_fen"] == 0
    young = _row(frame, region["young"])
    assert young["y1_sales_revenue_fen"] is None  # 2022: not registered yet → unknown, not zero
    assert young["y2_sales_revenue_fen"] == 0
    assert young["y3_sales_revenue_fen"] == 123_456_789
    empty = _row(frame, region["empty"])
    assert empty["y3_sales_revenue_fen"] is None and empty["registration_date"] is None
    assert empty["hnte_cert_valid"] is False


def test_case_uses_the_same_data_in_wan(region):
    case = enterprise_case(region["strong"], YEAR)
    assert case["application_date"] == "2025-01-01"
    rec = case["fiscal_years"]["2024"]
    assert rec["sales_revenue"] == Decimal("1000")  # 万元, exact Decimal
    assert rec["employees_total"] == 100
    assert len(case["certificates"]) == 1 and case["flags"]["registered_in_zhejiang"] is True


def test_stored_batch_results_agree_with_the_single_face(region):
    run = assessment_run_create(year=YEAR)
    stored = {(r.enterprise_id, r.tier): r for r in AssessmentResult.objects.filter(run=run)}
    assert len(stored) == 5 * len(STORED_TIERS)
    for key in ("strong", "weak", "young", "empty", "odd"):
        enterprise = region[key]
        result = evaluate_case(enterprise_case(enterprise, YEAR))
        for tier, _prefix, _conds in STORED_TIERS:
            single = result["tiers"][tier]
            row = stored[(enterprise.pk, tier)]
            assert row.status == single["status"], (key, tier)
            assert row.conditions == {c["id"]: c["status"] for c in single["conditions"]}, (
                key,
                tier,
            )
            if tier == "high_tech":
                assert [row.score_min, row.score_max] == list(single["score_range"])
                fields = {g["field"] for g in single["gaps"]}
                assert fields == {g["field"] for g in row.gaps}, key
                for g in single["gaps"]:
                    mine = next(x for x in row.gaps if x["field"] == g["field"])
                    assert float(mine["additional"]) == pytest.approx(float(g["additional"])), key


def test_held_tiers_at_year_end(region):
    held = held_tiers(YEAR)
    assert region["strong"].pk in held["high_tech"]
    assert region["weak"].pk not in held.get("high_tech", set())


def test_frame_read_in_slices_equals_the_frame_read_at_once(region, monkeypatch):
    """Without COPY the rows come a slice at a time; slices whose cells are all empty in a
    column (null type) or whole in one slice and fractional in another still join up."""
    from kechuang.imports import bulk

    whole = assessment_frame(YEAR)
    assert whole.height >= 3
    monkeypatch.setattr(bulk, "READ_ROWS", 1)
    sliced = assessment_frame(YEAR)
    assert sliced.schema == whole.schema
    assert sliced.sort("enterprise_id").to_dicts() == whole.sort("enterprise_id").to_dicts()
