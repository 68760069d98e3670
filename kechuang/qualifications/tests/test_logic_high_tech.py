"""High-tech enterprise rules (docs/qualification-rules.md#high-tech-enterprise): case-17, band edges, short histories, IP once, growth."""

from __future__ import annotations

import pytest

from kechuang.qualifications.logic import evaluate_case
from kechuang.qualifications.logic.high_tech import growth

from .cases import case17, cond_status


def ht(case):
    return evaluate_case(case)["tiers"]["high_tech"]


def test_case_17_borderline_66_74():
    out = evaluate_case(case17())
    assert out["rule_set_version"] == "2016+2017"
    h = out["tiers"]["high_tech"]
    assert h["status"] == "borderline" and h["score_range"] == [66, 74]
    assert h["subscores"] == {
        "ip": [24, 25],
        "conversion": [13, 18],
        "rd_mgmt": [15, 15],
        "growth": [14, 16],
    }
    h5 = next(c for c in h["conditions"] if c["id"] == "H5")
    assert h5["value"] == pytest.approx(670 / 9800) and h5["threshold"] == 0.05
    assert cond_status(h, "H5b") == "pass" and cond_status(h, "H6") == "pass"
    t = out["tiers"]["tech_sme_national"]
    assert t["score"] == 84 and t["subscores"] == {"tech_staff": 4, "rd": 50, "ip": 30}
    assert t["route"] == "scoring"  # certificate 2022-12-14 expired on 2025-12-14


def _with_points(conv, growth_na, growth_s, quantity=7):
    c = case17()
    c["expert_inputs"].update(
        {
            "conversion_points": conv,
            "growth_net_assets_points": growth_na,
            "growth_sales_points": growth_s,
            "ip_quantity": quantity,
        }
    )
    return c


def test_score_70_fails_71_passes():
    # IP 6+6+7+5+0 = 24, conversion 15, mgmt 15, growth 8+8 = 16 → 70
    h = ht(_with_points(15, 8, 8))
    assert h["score_range"] == [70, 70] and h["status"] == "fail"
    assert h["gaps"] == [
        {"condition": "H7", "field": "innovation_score", "additional": 1, "unit": "points"}
    ]
    h = ht(_with_points(16, 8, 8))
    assert h["score_range"] == [71, 71] and h["status"] == "pass"


def _y3(**kw):
    c = case17()
    c["fiscal_years"]["2025"].update(kw)
    return c


@pytest.mark.parametrize(
    ("s3", "band"),
    [(4999.99, 0.05), (5000, 0.05), (5000.01, 0.04), (20000, 0.04), (20000.01, 0.03)],
)
def test_h5_band_uses_y3_sales_inclusive(s3, band):
    h5 = next(c for c in ht(_y3(sales_revenue=s3))["conditions"] if c["id"] == "H5")
    assert h5["threshold"] == band


def test_h5_exact_boundary_passes_and_gap():
    # Σsales 9800 → 5 % = 490 exactly
    c = case17()
    for y, rd in (("2023", 150), ("2024", 220), ("2025", 120)):
        c["fiscal_years"][y]["rd_expense_hnte"] = rd
        c["fiscal_years"][y]["rd_expense_hnte_domestic"] = rd
    assert cond_status(ht(c), "H5") == "pass"
    c["fiscal_years"]["2025"]["rd_expense_hnte"] = 119.99
    h = ht(c)
    assert cond_status(h, "H5") == "fail"
    assert {"condition": "H5", "field": "rd_expense_hnte", "additional": 0.01, "unit": "万元"} in h[
        "gaps"
    ]


@pytest.mark.parametrize(("tech", "status"), [(4.217, "pass"), (4.2169, "fail")])
def test_h4_ratio_exactly_ten_percent(tech, status):
    assert cond_status(ht(_y3(tech_staff_avg=tech)), "H4") == status


def test_h4_gap_formula():
    h = ht(_y3(tech_staff_avg=3))
    g = next(g for g in h["gaps"] if g["condition"] == "H4")
    assert g["additional"] == pytest.approx((0.10 * 42.17 - 3) / 0.9)


def test_h4_monthly_average_method():
    # docs/qualification-rules.md#high-tech-worked-example: 40 start Jan–Jun, 44 Jul–Dec; month-end 40 Jan–May, 44 Jun–Dec → 42.17
    staff = [[40, 40]] * 5 + [[40, 44]] + [[44, 44]] * 6
    tech = [[5, 5]] * 5 + [[5, 6]] + [[6, 6]] * 6
    c = case17()
    y = c["fiscal_years"]["2025"]
    del y["employees_avg"], y["tech_staff_avg"]
    y["staff_monthly"], y["tech_staff_monthly"] = staff, tech
    h4 = next(x for x in ht(c)["conditions"] if x["id"] == "H4")
    assert h4["value"] == pytest.approx((133 / 24) / (1012 / 24))


@pytest.mark.parametrize(("hti", "status"), [(2640, "pass"), (2639.99, "fail")])
def test_h6_uses_total_income(hti, status):
    assert cond_status(ht(_y3(hightech_income=hti)), "H6") == status


def test_h5b_domestic_share():
    c = case17()
    for y in c["fiscal_years"].values():
        y["rd_expense_hnte_domestic"] = y["rd_expense_hnte"] * 0.5
    h = ht(c)
    assert cond_status(h, "H5b") == "fail"
    assert any(g["condition"] == "H5b" for g in h["gaps"])


@pytest.mark.parametrize(("reg", "status"), [("2025-05-01", "pass"), ("2025-05-02", "fail")])
def test_h1_365_days(reg, status):
    # 2025-05-01 → 2026-05-01 is 365 days
    assert cond_status(ht(case17(registration_date=reg)), "H1") == status


def test_fewer_than_three_years_sums_operated_years_only():
    c = case17(registration_date="2024-03-01")
    c["fiscal_years"]["2023"] = {"sales_revenue": 1, "rd_expense_hnte": 0}  # not operated: ignored
    h = ht(c)
    h5 = next(x for x in h["conditions"] if x["id"] == "H5")
    assert h5["value"] == pytest.approx(520 / 7400)
    assert any("short-history" in w for w in h.get("warnings", []))


def test_registered_less_than_a_year_fails_h1():
    assert ht(case17(registration_date="2025-12-01"))["status"] == "fail"


def test_class2_ip_used_once():
    ip = [
        {
            "kind": "utility_model",
            "acquisition": "self_developed",
            "used_in_hnte_application_year": 2023,
        }
    ]
    c = case17(ip_assets=ip)
    h = ht(c)
    assert cond_status(h, "H2") == "fail"
    assert {
        "condition": "H2",
        "field": "ip_class2_unused_count",
        "additional": 1,
        "unit": "items",
    } in h["gaps"]
    # the tech-SME rules have no such restriction
    assert evaluate_case(c)["tiers"]["tech_sme_national"]["subscores"]["ip"] == 6


def test_class1_not_restricted_by_use_once():
    ip = [{"kind": "invention_patent", "used_in_hnte_application_year": 2023}]
    assert cond_status(ht(case17(ip_assets=ip)), "H2") == "pass"


def test_h8_rolling_365_days():
    inc = [{"date": "2025-05-01", "kind": "major_safety"}]
    assert cond_status(ht(case17(incidents=inc)), "H8") == "fail"
    inc = [{"date": "2025-04-30", "kind": "major_safety"}]
    assert cond_status(ht(case17(incidents=inc)), "H8") == "pass"


def test_missing_data_unknown():
    c = case17()
    del c["flags"]["core_tech_in_supported_fields"]
    h = ht(c)
    assert h["status"] == "unknown" and cond_status(h, "H3") == "unknown"


def test_zero_denominator_is_unknown_with_note():
    c = case17()
    for y in c["fiscal_years"].values():
        y["sales_revenue"] = 0
    h5 = next(x for x in ht(c)["conditions"] if x["id"] == "H5")
    assert h5["status"] == "unknown" and "zero denominator" in h5["note"]


@pytest.mark.parametrize(
    ("values", "kind", "rate"),
    [
        ([1000, 1300, 1800], "rate", (1.3 + 1800 / 1300) / 2 - 1),
        ([0, 1000, 1500], "rate", 0.5),  # year-1 zero → two-year formula
        ([-5, 1000, 1500], "rate", 0.5),  # negative year-1 treated like zero
        ([1000, 0, 1500], "zero", None),  # year-2 zero → 0 points
        ([1000, 1500], "rate", 0.5),  # two operated years
        ([1000], "zero", None),
    ],
)
def test_growth_special_rules(values, kind, rate):
    from fractions import Fraction

    k, g = growth([Fraction(v) for v in values])
    assert k == kind
    if rate is not None:
        assert float(g) == pytest.approx(rate)


def test_negative_growth_scores_zero_and_five_percent_warning():
    c = case17()
    sales = {"2023": 1000, "2024": 1050, "2025": 1102.5}  # exactly 5 % each year
    for y, s in sales.items():
        c["fiscal_years"][y]["sales_revenue"] = s
    h = ht(c)
    assert any("exactly 5%" in w for w in h["warnings"])
    c["fiscal_years"]["2025"]["sales_revenue"] = 900
    c["fiscal_years"]["2024"]["sales_revenue"] = 950
    assert ht(c)["subscores"]["growth"][0] == 14 - 7  # net assets B (7) + sales 0
