"""The Polars batch agrees with the single-case functions; evaluation scoring, grades and
consequences; the per-head subsidy with its calculation."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import polars as pl

from kechuang.platforms.logic import scoring
from kechuang.platforms.logic.batch import graduate_statuses, incubator_statuses
from kechuang.platforms.logic.enclave import per_head_subsidy
from kechuang.platforms.logic.evaluate import evaluate
from kechuang.platforms.logic.rulesets import rule_set

from .test_evaluate import INCUBATOR

ON = date(2024, 12, 31)


def _cases(n: int) -> list[dict]:
    rng = random.Random(7)
    out = []
    for _ in range(n):
        facts = dict(INCUBATOR)
        for key in (
            "area_m2",
            "incubatees",
            "incubatees_financed",
            "professional_staff",
            "mentors",
            "graduates_cumulative",
            "incubatees_with_patent_applications",
            "fund_wan",
        ):
            facts[key] = max(0, round(facts[key] * rng.choice([0.8, 0.95, 1, 1, 1.05])))
        facts["professional"] = rng.random() < 0.3
        facts["remote_area"] = rng.random() < 0.3
        if rng.random() < 0.15:
            facts["fund_cases"] = None
        facts["operating_since"] = rng.choice(["2021-12-31", "2022-01-01", "2020-05-05"])
        out.append(facts)
    return out


def test_incubator_batch_agrees_with_single_cases():
    cases = _cases(120)
    frame = pl.DataFrame(cases, infer_schema_length=None, strict=False).with_columns(
        pl.col("operating_since").str.to_date(), pl.col("registered_date").str.to_date()
    )
    batch = incubator_statuses(frame, rule_set("incubator"), ON)
    names = {True: "pass", False: "fail", None: "unknown"}
    for facts, row in zip(cases, batch.to_dicts(), strict=True):
        single = evaluate("incubator", facts, ON)
        assert row["status"] == single["status"]
        for c in single["conditions"]:
            assert names[row[c["id"]]] == c["status"], c["id"]


def test_graduate_batch_agrees_and_names_the_criterion():
    frame = pl.DataFrame(
        {
            "high_tech_recognised": [False, True, False, False, None],
            "angel_vc_wan": [500.0, 0.0, 501.0, None, 0.0],
            "revenue_two_years_wan": [1000.0, None, None, 1000.01, None],
            "merged_acquired_or_listed": [False, False, False, False, False],
        }
    )
    out = graduate_statuses(frame, rule_set("graduate"))
    assert out["status"].to_list() == ["fail", "pass", "pass", "pass", "unknown"]
    assert out["criterion"].to_list() == [None, "G1", "G2", "G3", None]


CONFIG = {
    "indicators": [
        {"code": "a", "weight": 50, "rule": "linear", "floor": 0, "target": 10},
        {"code": "b", "weight": 30, "rule": "bands", "bands": [[5, 1], [2, "0.5"]]},
        {"code": "c", "weight": 20, "rule": "yesno"},
    ],
    "weights": {"quantitative": 60, "expert": 30, "management": 10},
    "grades": [["A", 90], ["B", 80], ["C", 60]],
}


def test_scoring_rules_and_grade_bands():
    assert scoring.indicator_share(CONFIG["indicators"][0], 5) == Decimal("0.5")
    assert scoring.indicator_share(CONFIG["indicators"][1], 2) == Decimal("0.5")
    assert scoring.indicator_share(CONFIG["indicators"][1], 1) == 0
    result = scoring.score(CONFIG, {"a": 10, "b": 5, "c": True}, 100, 100, [])
    assert (result["total"], result["grade"], result["consequence"]) == (100, "A", "funding_tier_1")
    # 90 exactly is A (以上 includes it): quantitative 100 × 0.6 + 80 × 0.3 + 60 × 0.1 = 90.
    assert scoring.score(CONFIG, {"a": 10, "b": 5, "c": True}, 80, 60, [])["grade"] == "A"
    assert scoring.score(CONFIG, {"a": 10, "b": 5, "c": True}, 80, 59, [])["grade"] == "B"
    missing = scoring.score(CONFIG, {}, 50, 50, [])
    assert missing["quantitative"] == 0 and missing["grade"] == "D"


def test_two_failures_in_a_row_propose_revocation():
    assert scoring.consequence("D", []) == "warning"
    assert scoring.consequence("D", ["C"]) == "warning"
    assert scoring.consequence("D", ["B", "D"]) == "revocation_proposal"
    assert scoring.consequence("", ["D"]) == ""


def test_per_head_subsidy_shows_its_calculation():
    out = per_head_subsidy(
        rd_staff=10,
        results_registered=3,
        results_total=4,
        per_head_yuan=Decimal(20000),
        cap_yuan=Decimal(150000),
        min_results_share=Decimal("0.75"),
    )
    assert out["amount"] == Decimal(150000) and out["eligible"]
    assert any("10 人 × 20,000.00 元/人" in s for s in out["steps"])
    low = per_head_subsidy(
        rd_staff=10,
        results_registered=2,
        results_total=4,
        per_head_yuan=Decimal(20000),
        cap_yuan=None,
        min_results_share=Decimal("0.75"),
    )
    assert low["amount"] == 0 and low["eligible"] is False
    pending = per_head_subsidy(
        rd_staff=10,
        results_registered=2,
        results_total=4,
        per_head_yuan=None,
        cap_yuan=None,
        min_results_share=None,
    )
    assert pending["amount"] is None and "待政策核实" in pending["steps"][0]
