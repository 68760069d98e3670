"""Table-driven tests of every confirmed recognition condition at its boundary (以上 / 不低于 /
不少于 / 满 include the number, 超过 is strict, 不超过 includes it), the professional variant, the
remote-area relaxation, unknowns, gaps and rule-set versions (docs/platforms.md)."""

from __future__ import annotations

from datetime import date

import pytest

from kechuang.platforms.logic.evaluate import evaluate, evaluate_case
from kechuang.platforms.logic.rulesets import rule_set, with_thresholds

ON = date(2024, 12, 31)
INCUBATOR = {
    "legal_person": True,
    "registered_date": "2021-12-31",
    "operating_since": "2021-12-31",
    "statistics_years_filed": 2,
    "professional": False,
    "area_m2": 10000,
    "incubatee_area_m2": 7500,
    "fund_wan": 500,
    "incubatees": 50,
    "incubatees_financed": 5,
    "fund_cases": 3,
    "staff": 10,
    "professional_staff": 8,
    "mentors": 5,
    "incubatees_with_patent_applications": 25,
    "incubatees_with_valid_ip": 0,
    "graduates_cumulative": 20,
    "same_industry_incubatees": 38,
    "has_shared_technical_platform": True,
    "remote_area": False,
}
MAKER = {
    "direction_clear": True,
    "operating_since": "2023-06-30",
    "legal_person_or_dedicated_body": True,
    "service_area_m2": 500,
    "desks": 0,
    "desk_and_public_area_m2": 375,
    "total_area_m2": 500,
    "resident_teams_year": 20,
    "new_firms_year": 10,
    "financed_year": 0,
    "typical_cases_year": 3,
    "fulltime_staff": 3,
    "mentors": 3,
    "events_year": 10,
    "statistics_filed": True,
}


def statuses(result):
    return {c["id"]: c["status"] for c in result["conditions"]}


def test_every_threshold_exactly_met_passes():
    assert evaluate("incubator", INCUBATOR, ON)["status"] == "pass"
    assert evaluate("maker_space", MAKER, date(2024, 12, 30))["status"] == "pass"


@pytest.mark.parametrize(
    ("changes", "condition"),
    [
        ({"legal_person": False}, "I1"),
        ({"operating_since": "2022-01-01"}, "I1"),  # one day short of 满3年
        ({"registered_date": "2022-01-01"}, "I1"),  # registered later than operating
        ({"statistics_years_filed": 1}, "I1"),
        ({"area_m2": 9999.99, "incubatee_area_m2": 7499.99}, "I2"),
        ({"incubatee_area_m2": 7499.99}, "I2"),  # 75%以上: 74.9999 % fails
        ({"fund_wan": 499.99}, "I3"),
        ({"incubatees_financed": 4}, "I3"),  # 4/50 = 8 % < 10 %
        ({"fund_cases": 2}, "I3"),
        ({"professional_staff": 7}, "I4"),  # 70 % < 80 %, also 10 × 7 ≥ 50 still holds
        ({"mentors": 4}, "I4"),  # 10 × 4 < 50
        ({"incubatees_with_patent_applications": 24}, "I5"),  # 48 % and no valid-IP route
        ({"incubatees": 49, "incubatees_financed": 5}, "I6"),
        ({"area_m2": 16667, "incubatee_area_m2": 12600}, "I6"),  # 50 per 16,667 m² < 3 per 1,000
        ({"graduates_cumulative": 19}, "I7"),
    ],
)
def test_one_below_the_boundary_fails_that_condition(changes, condition):
    result = evaluate("incubator", {**INCUBATOR, **changes}, ON)
    assert statuses(result)[condition] == "fail"
    assert result["status"] == "fail"
    others = {k: v for k, v in statuses(result).items() if k != condition}
    assert set(others.values()) == {"pass"}, others


def test_operating_anniversary_counts_as_reached():
    assert statuses(evaluate("incubator", INCUBATOR, date(2024, 12, 31)))["I1"] == "pass"
    assert statuses(evaluate("incubator", INCUBATOR, date(2024, 12, 30)))["I1"] == "fail"


def test_valid_ip_route_of_i5():
    facts = {**INCUBATOR, "incubatees_with_patent_applications": 0, "incubatees_with_valid_ip": 15}
    assert statuses(evaluate("incubator", facts, ON))["I5"] == "pass"  # 30 % 不低于30%
    facts["incubatees_with_valid_ip"] = 14
    assert statuses(evaluate("incubator", facts, ON))["I5"] == "fail"


def test_professional_variant_replaces_i6_i7_and_adds_i8():
    facts = {
        **INCUBATOR,
        "professional": True,
        "incubatees": 30,
        "area_m2": 15000,
        "incubatee_area_m2": 11250,
        "incubatees_financed": 3,
        "incubatees_with_patent_applications": 15,
        "graduates_cumulative": 15,
        "same_industry_incubatees": 23,
        "mentors": 3,
        "professional_staff": 8,
    }
    result = evaluate("incubator", facts, ON)
    assert result["variant"] == "professional"
    assert statuses(result) == dict.fromkeys([f"I{i}" for i in range(1, 9)], "pass")
    assert (
        statuses(evaluate("incubator", {**facts, "same_industry_incubatees": 22}, ON))["I8"]
        == "fail"
    )
    assert (
        statuses(evaluate("incubator", {**facts, "has_shared_technical_platform": False}, ON))["I8"]
        == "fail"
    )
    assert (
        statuses(evaluate("incubator", {**facts, "graduates_cumulative": 14}, ON))["I7"] == "fail"
    )
    assert (
        statuses(evaluate("incubator", {**facts, "area_m2": 15001}, ON))["I6"] == "fail"
    )  # 2 per 1,000
    assert "I8" not in statuses(evaluate("incubator", INCUBATOR, ON))


def test_remote_area_relaxes_thresholds_by_a_fifth():
    facts = {
        **INCUBATOR,
        "area_m2": 8000,
        "incubatee_area_m2": 6000,
        "fund_wan": 400,
        "incubatees": 40,
        "incubatees_financed": 4,
        "graduates_cumulative": 16,
        "incubatees_with_patent_applications": 16,
        "mentors": 4,
    }
    assert evaluate("incubator", facts, ON)["status"] == "fail"
    assert evaluate("incubator", {**facts, "remote_area": True}, ON)["status"] == "pass"
    assert (
        evaluate("incubator", {**facts, "remote_area": True, "graduates_cumulative": 15}, ON)[
            "status"
        ]
        == "fail"
    )


def test_gaps_are_the_smallest_additions():
    facts = {
        **INCUBATOR,
        "area_m2": 9000,
        "incubatee_area_m2": 6000,
        "professional_staff": 7,
        "mentors": 4,
        "incubatees_financed": 4,
    }
    gaps = {
        (g["condition"], g["field"]): g["additional"]
        for g in evaluate("incubator", facts, ON)["gaps"]
    }
    assert gaps[("I2", "area_m2")] == 1000
    assert gaps[("I2", "incubatee_area_m2")] == 750  # 75 % of 9,000 − 6,000
    assert gaps[("I4", "professional_staff")] == 5  # (7 + 5) / (10 + 5) = 80 %
    assert gaps[("I4", "mentors")] == 1
    assert gaps[("I3", "incubatees_financed")] == 1


def test_absent_fact_is_unknown_never_zero():
    facts = {k: v for k, v in INCUBATOR.items() if k != "fund_wan"}
    result = evaluate("incubator", facts, ON)
    assert statuses(result)["I3"] == "unknown"
    assert result["status"] == "unknown"
    assert "fund_wan" in next(c for c in result["conditions"] if c["id"] == "I3")["reason"]
    # A known failure wins over an unknown.
    assert evaluate("incubator", {**facts, "graduates_cumulative": 1}, ON)["status"] == "fail"


@pytest.mark.parametrize(
    ("changes", "condition", "status"),
    [
        ({"direction_clear": False}, "M1", "fail"),
        ({"legal_person_or_dedicated_body": False}, "M2", "fail"),
        ({"operating_since": "2023-07-01"}, "M3", "fail"),  # 17 months and 30 days
        ({"service_area_m2": 499, "desks": 30}, "M4", "pass"),  # desks route
        ({"service_area_m2": 499, "desks": 29}, "M4", "fail"),
        ({"desk_and_public_area_m2": 374.99}, "M4", "fail"),
        ({"resident_teams_year": 19}, "M5", "fail"),
        ({"new_firms_year": 9, "financed_year": 5}, "M6", "pass"),
        ({"new_firms_year": 9, "financed_year": 4}, "M6", "fail"),
        ({"typical_cases_year": 2}, "M7", "fail"),
        ({"fulltime_staff": 2}, "M8", "fail"),
        ({"mentors": 2}, "M8", "fail"),
        ({"events_year": 9}, "M9", "fail"),
        ({"statistics_filed": False}, "M10", "fail"),
        ({"statistics_filed": None}, "M10", "unknown"),
    ],
)
def test_maker_space_conditions(changes, condition, status):
    result = evaluate("maker_space", {**MAKER, **changes}, date(2024, 12, 30))
    assert statuses(result)[condition] == status
    assert [c["id"] for c in result["conditions"]] == [f"M{i}" for i in range(1, 11)]


@pytest.mark.parametrize(
    ("facts", "on", "expected"),
    [
        (
            {"founded_date": "2022-01-31", "entry_date": "2024-01-31"},
            ON,
            {"E3": "pass"},
        ),  # exactly 24
        ({"founded_date": "2022-01-31", "entry_date": "2024-02-01"}, ON, {"E3": "fail"}),
        ({"founded_date": "2022-02-28", "entry_date": "2020-02-29"}, ON, {"E3": "pass"}),
        ({"entry_date": "2020-12-31"}, date(2024, 12, 31), {"E4": "pass"}),  # exactly 48 months
        ({"entry_date": "2020-12-31"}, date(2025, 1, 1), {"E4": "fail"}),
        ({"entry_date": "2020-12-31", "exit_date": "2023-06-30"}, date(2026, 1, 1), {"E4": "pass"}),
        ({"meets_tech_sme": False}, ON, {"E1": "fail"}),
        ({"registered_on_site": False}, ON, {"E2": "fail"}),
        ({}, ON, {"E3": "unknown", "E4": "unknown"}),
    ],
)
def test_incubatee_conditions(facts, on, expected):
    base = {"meets_tech_sme": True, "registered_on_site": True}
    result = evaluate("incubatee", {**base, **facts}, on)
    for cid, status in expected.items():
        assert statuses(result)[cid] == status, cid


@pytest.mark.parametrize(
    ("facts", "status", "criterion"),
    [
        ({"high_tech_recognised": True}, "pass", "G1"),
        ({"angel_vc_wan": 500}, "fail", None),  # 超过500万元 is strict
        ({"angel_vc_wan": 500.01}, "pass", "G2"),
        ({"revenue_wan_by_year": {"2023": 500, "2024": 500}}, "fail", None),
        ({"revenue_wan_by_year": {"2022": 400, "2023": 600.01}}, "pass", "G3"),
        # Not consecutive: the missing year leaves G3 undecided.
        ({"revenue_wan_by_year": {"2021": 900, "2023": 900}}, "unknown", None),
        ({"merged_acquired_or_listed": True}, "pass", "G4"),
        ({"angel_vc_wan": 900, "high_tech_recognised": True}, "pass", "G1"),
    ],
)
def test_graduation_criteria(facts, status, criterion):
    base = {
        "high_tech_recognised": False,
        "angel_vc_wan": 0,
        "revenue_wan_by_year": {"2023": 0, "2024": 0},
        "merged_acquired_or_listed": False,
    }
    result = evaluate("graduate", {**base, **facts}, ON)
    assert (result["status"], result["criterion"]) == (status, criterion)


def test_graduation_unknown_when_undecided():
    assert evaluate("graduate", {"high_tech_recognised": False}, ON)["status"] == "unknown"


def test_rule_set_version_change_changes_the_result():
    base = rule_set("incubator", "zhejiang-provincial")
    facts = {
        **INCUBATOR,
        "area_m2": 6000,
        "incubatee_area_m2": 4500,
        "incubatees": 30,
        "incubatees_financed": 3,
        "incubatees_with_patent_applications": 15,
        "mentors": 3,
        "graduates_cumulative": 10,
    }
    pending = evaluate("incubator", facts, ON, base)
    assert pending["status"] == "unknown" and pending["pending_verification"]
    assert {c.get("reason") for c in pending["conditions"] if c["status"] == "unknown"} == {
        "待政策核实"
    }
    filled = {k: v for k, v in rule_set("incubator").thresholds.items()}
    filled.update(area_m2=5000, incubatees=30, graduates_cumulative=10)
    v1 = with_thresholds(base, version="zj-2025", status="SECONDARY", **filled)
    assert evaluate("incubator", facts, ON, v1)["status"] == "pass"
    v2 = with_thresholds(v1, version="zj-2026", status="SECONDARY", area_m2=8000)
    assert evaluate("incubator", facts, ON, v2)["status"] == "fail"


def test_offline_case_shape_and_errors():
    out = evaluate_case(
        {"id": "x", "kind": "incubator", "evaluation_date": "2024-12-31", "facts": INCUBATOR}
    )
    assert out["id"] == "x" and out["variant"] == "comprehensive"
    assert {"id", "status", "value", "op", "threshold", "clause"} <= set(out["conditions"][0])
    for bad in (
        {"kind": "incubator", "facts": {}},
        {"kind": "rocket", "evaluation_date": "2024-01-01"},
        {"kind": "incubator", "evaluation_date": "2024-01-01", "facts": {"area_m2": "lots"}},
        {"kind": "incubator", "evaluation_date": "2024-01-01", "facts": {"area_m2": -1}},
        {
            "kind": "incubator",
            "evaluation_date": "2024-01-01",
            "regime": "national-2017",
            "facts": {},
        },
    ):
        with pytest.raises(ValueError):
            evaluate_case(bad)
