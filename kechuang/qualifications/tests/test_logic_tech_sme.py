"""National tech-SME rules (docs/qualification-rules.md#national-tech-sme): worked example, band edges, direct routes, gaps."""

from __future__ import annotations

import pytest

from kechuang.qualifications.logic import evaluate_case

from .cases import cond_status, tsme_case


def tsn(case):
    return evaluate_case(case)["tiers"]["tech_sme_national"]


def test_worked_example_1_9():
    t = tsn(tsme_case())
    assert t["status"] == "pass" and t["route"] == "scoring"
    assert t["subscores"] == {"tech_staff": 20, "rd": 50, "ip": 18}
    assert t["score"] == 88


def test_variant_staff_score_zero_fails_despite_68():
    t = tsn(tsme_case(tech=7))
    assert t["score"] == 68 and t["status"] == "fail"
    assert cond_status(t, "C5") == "pass" and cond_status(t, "C5s") == "fail"


def test_variant_b2_beats_b1():
    t = tsn(tsme_case(sales=6000, rd=150, cost=900))
    assert t["subscores"]["rd"] == 20


@pytest.mark.parametrize(
    ("employees", "tech", "points"),
    [
        (100, 30, 20),
        (100, 29, 16),
        (100, 25, 16),
        (100, 20, 12),
        (100, 15, 8),
        (100, 10, 4),
        (100, 9, 0),
        (3, 1, 20),
        (0, 0, 0),
    ],
)
def test_staff_bands(employees, tech, points):
    assert tsn(tsme_case(employees=employees, tech=tech))["subscores"]["tech_staff"] == points


@pytest.mark.parametrize(
    ("rd", "sales", "points"),
    [
        (252, 4200, 50),
        (251.99, 4200, 40),
        (210, 4200, 40),
        (168, 4200, 30),
        (126, 4200, 20),
        (84, 4200, 10),
        (83.99, 4200, 0),
    ],
)
def test_rd_sales_bands(rd, sales, points):
    # cost large so b2 stays low
    assert tsn(tsme_case(rd=rd, sales=sales, cost=100000))["subscores"]["rd"] == points


@pytest.mark.parametrize(
    ("rd", "cost", "points"),
    [(30, 100, 50), (25, 100, 40), (20, 100, 30), (15, 100, 20), (10, 100, 10), (9.99, 100, 0)],
)
def test_rd_cost_bands_with_zero_sales(rd, cost, points):
    """sales == 0 → b1 undefined, b2 only (docs/qualification-rules.md#scoring)."""
    assert tsn(tsme_case(rd=rd, sales=0, cost=cost))["subscores"]["rd"] == points


def test_both_denominators_zero_score_zero():
    assert tsn(tsme_case(rd=5, sales=0, cost=0))["subscores"]["rd"] == 0


@pytest.mark.parametrize(
    ("c1", "c2", "points"),
    [(1, 0, 30), (1, 9, 30), (0, 4, 24), (0, 7, 24), (0, 3, 18), (0, 2, 12), (0, 1, 6), (0, 0, 0)],
)
def test_ip_bands(c1, c2, points):
    assert tsn(tsme_case(class1=c1, class2=c2))["subscores"]["ip"] == points


def test_trademarks_do_not_count():
    case = tsme_case(class2=0)
    case["ip_assets"] = [{"kind": "trademark"}] * 5
    assert tsn(case)["subscores"]["ip"] == 0


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("employees", 500, "pass"),
        ("employees", 501, "fail"),
        ("sales", 20000, "pass"),
        ("sales", 20000.01, "fail"),
        ("assets", 20000, "pass"),
        ("assets", 20000.01, "fail"),
    ],
)
def test_size_limits_inclusive(field, value, status):
    kwargs = {field: value}
    if field == "employees":
        kwargs["tech"] = 150
    cid = {"employees": "C2a", "sales": "C2b", "assets": "C2c"}[field]
    t = tsn(tsme_case(**kwargs))
    assert cond_status(t, cid) == status
    if status == "fail":
        assert t["status"] == "fail"


def test_direct_route_with_valid_certificate_even_at_58():
    case = tsme_case(tech=10, employees=100, rd=84, class2=0, class1=0, sales=4200, cost=100000)
    case["fiscal_years"]["2025"]["rd_expense_deduction_scope"] = 84
    base = tsn(case)
    assert base["status"] == "fail"
    case["certificates"] = [{"kind": "high_tech", "issue_date": "2024-12-01"}]
    t = tsn(case)
    assert t["status"] == "pass" and t["route"] == "direct:high_tech_certificate"
    assert t["gaps"] == []


@pytest.mark.parametrize(
    ("flag", "reason"),
    [
        ("national_st_award_top3_within_5y", "national_award"),
        ("has_recognised_provincial_or_ministerial_rd_institution", "rd_institution"),
        ("led_standard_within_5y", "led_standard"),
    ],
)
def test_direct_routes_order(flag, reason):
    case = tsme_case(tech=0)
    case["flags"][flag] = True
    t = tsn(case)
    assert t["status"] == "pass" and t["route"] == f"direct:{reason}"


def test_direct_route_still_needs_size_limits():
    case = tsme_case(employees=600, tech=200)
    case["flags"]["led_standard_within_5y"] = True
    t = tsn(case)
    assert t["status"] == "fail" and t["route"] == "scoring"


def test_incidents_and_credit_c4():
    case = tsme_case(incidents=[{"date": "2025-02-01", "kind": "research_misconduct"}])
    assert cond_status(tsn(case), "C4") == "fail"
    case = tsme_case(incidents=[{"date": "2023-12-31", "kind": "major_safety"}])
    assert cond_status(tsn(case), "C4") == "pass"  # before the previous year
    case = tsme_case(
        credit_flags={"abnormal_operation_list": True, "serious_dishonesty_list": False}
    )
    assert tsn(case)["status"] == "fail"


def test_unknown_when_data_missing():
    case = tsme_case()
    del case["fiscal_years"]["2025"]["tech_staff"]
    t = tsn(case)
    assert t["status"] == "unknown"
    assert cond_status(t, "C5s") == "unknown"
    assert t["score"] is None and t["score_range"] == [68, 88]


def test_missing_data_does_not_hide_a_fail():
    case = tsme_case(employees=501, tech=200)
    del case["fiscal_years"]["2025"]["total_assets"]
    assert tsn(case)["status"] == "fail"


def test_missing_direct_flag_makes_failing_score_unknown():
    case = tsme_case(tech=0)
    del case["flags"]["led_standard_within_5y"]
    assert tsn(case)["status"] == "unknown"


def test_gap_cheapest_band_moves_reach_60():
    # staff 20 + rd 10 (2.4 %) + ip 6 = 36 → needs moves
    t = tsn(tsme_case(rd=100, cost=100000, class2=1))
    assert t["status"] == "fail"
    gaps = {g["field"]: g for g in t["gaps"]}
    assert gaps and all(g["condition"] == "C5" for g in t["gaps"])
    # 36 points; +24 needed. Default weights: one Class I item (8 万) beats R&D to 5 % (110 万)
    assert set(gaps) == {"ip_class1_count"} and gaps["ip_class1_count"]["additional"] == 1


def test_gap_rd_when_ip_already_top():
    # staff 4 + rd 0 + ip 30 = 34 → cheapest: staff? no — R&D to 6 % of 4200 (252 - 10 = 242 万)
    # vs staff: 4→20 needs 30 % (+... persons); the engine picks the cheapest under the weights
    t = tsn(tsme_case(tech=10, employees=100, rd=10, cost=100000, class1=1))
    assert t["status"] == "fail" and t["gaps"]
    from kechuang.qualifications.logic.gaps import cost_weights_fen

    assert cost_weights_fen.__doc__


def test_gap_for_staff_score_zero():
    t = tsn(tsme_case(tech=7))
    g = {g["field"]: g["additional"] for g in t["gaps"]}
    # (7 + x)/(80 + x) >= 0.10 → x >= 1/0.9 → 2 persons (hiring raises the headcount)
    assert g == {"tech_staff": 2}


def test_base_year_is_year_before_application():
    case = tsme_case(year=2024)
    case["application_date"] = "2026-03-01"  # base year 2025 has no data
    assert tsn(case)["status"] == "unknown"
