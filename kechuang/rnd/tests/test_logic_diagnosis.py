"""Diagnosis findings, recommendations, thresholds and the tax at stake (no database)."""

import unittest
from decimal import Decimal
from fractions import Fraction

from kechuang.rnd.logic import diagnosis as dx
from kechuang.rnd.logic.tax import merged_rates, tax_at_stake
from kechuang.rnd.logic.zero_rd import ZeroRdSpec

W = Decimal(10_000)  # 1 万元


def fig(**kw):
    base = {
        "operating_revenue": 10_000 * W,
        "sales_revenue": 10_000 * W,
        "total_assets": 30_000 * W,
        "total_cost_expense": 9_000 * W,
        "employees": 600,
        "tech_staff": 60,
        "rd_expense_stat": 500 * W,
        "rd_hnte_total": 500 * W,
        "rd_deduction_scope": 450 * W,
        "categories": {"personnel": 250 * W, "direct": 200 * W, "other": 50 * W},
    }
    base.update(kw)
    return base


def facts(year_fig=None, **kw):
    f = {
        "year": 2024,
        "is_above_scale": True,
        "figures": {2022: fig(), 2023: fig(), 2024: year_fig or fig()},
        "invention_patents_granted": 0,
        "holds_high_tech": False,
        "holds_tech_sme": False,
        "peer": None,
    }
    f.update(kw)
    return f


def codes(findings):
    return [f["code"] for f in findings]


# (name, facts, expected codes present, codes absent)
CASES = [
    ("healthy", facts(), [], ["zero_rd_declared", "below_high_tech_threshold"]),
    (
        "zero declared with patents and staff",
        facts(
            fig(
                rd_expense_stat=Decimal(0),
                rd_hnte_total=None,
                rd_deduction_scope=None,
                categories={},
            ),
            invention_patents_granted=3,
        ),
        ["zero_rd_declared", "patents_without_rd", "staff_without_personnel_cost"],
        ["deduction_without_statistical"],
    ),
    (
        "staff without personnel cost",
        facts(fig(categories={"direct": 500 * W})),
        ["staff_without_personnel_cost"],
        ["zero_rd_declared"],
    ),
    (
        "deduction exceeds statistics",
        facts(fig(rd_deduction_scope=600 * W)),
        ["deduction_exceeds_statistical"],
        ["deduction_without_statistical"],
    ),
    (
        "deduction with zero statistics",
        facts(fig(rd_expense_stat=None, rd_deduction_scope=100 * W)),
        ["deduction_without_statistical", "zero_rd_declared"],
        ["deduction_exceeds_statistical"],
    ),
    (
        "below high-tech threshold (not held)",
        facts(fig(rd_hnte_total=100 * W)),
        ["below_high_tech_threshold"],
        ["high_tech_rerecognition_risk"],
    ),
    (
        "valid high-tech fell under the threshold",
        facts(fig(rd_hnte_total=100 * W), holds_high_tech=True),
        ["high_tech_rerecognition_risk"],
        ["below_high_tech_threshold"],
    ),
    (
        "category peers collect is empty",
        facts(
            peer={
                "count": 10,
                "percentile": 60,
                "median_structure": {"design": 0.08, "other": 0.01},
            }
        ),
        ["category_not_collected"],
        ["below_peer_median"],
    ),
    (
        "low percentile",
        facts(peer={"count": 10, "percentile": 10, "median_structure": {}}),
        ["below_peer_median"],
        [],
    ),
]


class FindingsTest(unittest.TestCase):
    def test_cases(self):
        for name, f, present, absent in CASES:
            with self.subTest(name):
                found = codes(dx.diagnose(f))
                for code in present:
                    self.assertIn(code, found)
                for code in absent:
                    self.assertNotIn(code, found)

    def test_most_severe_first(self):
        found = dx.diagnose(facts(fig(rd_hnte_total=100 * W, rd_deduction_scope=600 * W)))
        severities = [dx.SEVERITY_ORDER[f["severity"]] for f in found]
        self.assertEqual(severities, sorted(severities))

    def test_threshold_gap_in_yuan(self):
        # sales 1 亿/yr → 4 % band (5000万 < S ≤ 2亿); 3-yr sales 3 亿, R&D 500+500+100 万
        f = facts(fig(rd_hnte_total=100 * W))
        finding = next(x for x in dx.diagnose(f) if x["code"] == "below_high_tech_threshold")
        self.assertEqual(finding["figures"]["threshold_pct"], 4.0)
        self.assertEqual(
            finding["figures"]["gap"],
            Decimal("12000000.00") - Decimal("11000000.00"),  # 4 % × 3 亿 − 1100 万
        )

    def test_bands_come_from_the_rule_set(self):
        self.assertEqual(dx.high_tech_band(5000 * W), Fraction(5, 100))
        self.assertEqual(dx.high_tech_band(5000 * W + 1), Fraction(4, 100))
        self.assertEqual(dx.high_tech_band(20_001 * W), Fraction(3, 100))

    def test_no_figures(self):
        self.assertEqual(codes(dx.diagnose({"year": 2024, "figures": {}})), ["no_figures"])


class TechSmeGainTest(unittest.TestCase):
    def test_small_enterprise_gains_points(self):
        small = fig(
            employees=100,
            sales_revenue=5_000 * W,
            total_assets=5_000 * W,
            total_cost_expense=4_800 * W,
            rd_deduction_scope=120 * W,  # 2.4 % of sales → 10 points; 3 % → 20 points
        )
        gain = dx.tech_sme_rd_gain(small)
        self.assertEqual(gain["points"], 10)
        self.assertEqual(gain["next_points"], 20)
        self.assertEqual(gain["additional"], Decimal("300000.00"))
        self.assertIn("tech_sme_score_gain", codes(dx.diagnose(facts(small))))

    def test_too_large_is_out_of_scope(self):
        self.assertIsNone(dx.tech_sme_rd_gain(fig()))


class RecommendTest(unittest.TestCase):
    def test_rules_not_free_text(self):
        findings = [{"code": "zero_rd_declared"}, {"code": "patents_without_rd"}]
        recs = dx.recommend(findings)
        self.assertEqual(
            recs[0],
            {"code": "visit_zero_rd", "because": ["zero_rd_declared", "patents_without_rd"]},
        )
        self.assertEqual(len({r["code"] for r in recs}), len(recs))

    def test_every_finding_has_a_rule(self):
        for code in dx.RECOMMENDATION_RULES:
            self.assertTrue(dx.RECOMMENDATION_RULES[code])


class TaxTest(unittest.TestCase):
    def test_standard_and_high_tech_rates(self):
        t = tax_at_stake(
            rd_deduction_scope=Decimal(1_000_000),
            rd_expense_stat=Decimal(1_500_000),
            holds_high_tech=False,
        )
        self.assertEqual(t["additional_deduction"], Decimal("1000000.00"))
        self.assertEqual(t["tax_saved"], Decimal("250000.00"))
        self.assertEqual(t["uncollected"], Decimal("500000.00"))
        self.assertEqual(t["potential_tax_saved"], Decimal("125000.00"))
        self.assertTrue(t["pending_verification"])
        ht = tax_at_stake(
            rd_deduction_scope=Decimal(1_000_000), rd_expense_stat=None, holds_high_tech=True
        )
        self.assertEqual(ht["tax_saved"], Decimal("150000.00"))
        self.assertEqual(ht["uncollected"], Decimal("0.00"))

    def test_rates_are_configuration(self):
        rates = merged_rates({"extra_deduction_rate": 0.75})
        t = tax_at_stake(
            rd_deduction_scope=Decimal(100),
            rd_expense_stat=None,
            holds_high_tech=False,
            rates=rates,
        )
        self.assertEqual(t["additional_deduction"], Decimal("75.00"))


class ZeroRdSpecTest(unittest.TestCase):
    def test_round_trip(self):
        spec = ZeroRdSpec.from_dict(
            {"kind": "zero_rd", "year": "2024", "town": "3", "contradiction_only": "true"}
        )
        self.assertEqual(
            spec.to_dict(),
            {
                "kind": "zero_rd",
                "year": 2024,
                "town": 3,
                "industry": None,
                "contradiction_only": True,
            },
        )

    def test_rejects_bad_input(self):
        for bad in [
            {},
            {"year": "x"},
            {"year": 2024, "kind": "other"},
            {"year": 2024, "industry": "3"},
            {"year": 2024, "colour": 1},
        ]:
            with self.subTest(bad), self.assertRaises(ValueError):
                ZeroRdSpec.from_dict(bad)
