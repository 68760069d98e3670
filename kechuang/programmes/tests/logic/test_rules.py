from decimal import Decimal
from fractions import Fraction

import pytest

from kechuang.programmes.logic.eligibility import (
    EXAMPLE_RULESET,
    evaluate_eligibility,
    ruleset_errors,
)
from kechuang.programmes.logic.formal import formal_checks, kpi_errors
from kechuang.programmes.logic.funding import (
    buyback_value,
    kpi_attainment,
    stake_pct,
    tranche_amounts,
    tranche_hold_reasons,
)
from kechuang.programmes.logic.workflow import (
    APPLICATION_TRANSITIONS,
    TABLES,
    TransitionError,
    allowed_actions,
    find_transition,
)

GOOD = {
    "registered_in_region": True,
    "holds_high_tech_or_tech_sme": True,
    "rd_ratio_pct": Fraction(4),
    "ongoing_same_type": 0,
    "overdue_acceptances": 0,
    "failed_acceptances": 0,
    "credit_listed": False,
}


def test_eligibility_explained_with_gap_and_pending_mark():
    result = evaluate_eligibility(GOOD, EXAMPLE_RULESET)
    assert result["status"] == "pass"
    assert all(c["pending"] for c in result["conditions"])  # 待政策核实
    low = evaluate_eligibility({**GOOD, "rd_ratio_pct": Fraction(5, 2)}, EXAMPLE_RULESET)
    rd = next(c for c in low["conditions"] if c["id"] == "rd_ratio")
    assert low["status"] == "fail" and rd["status"] == "fail" and rd["gap"] == pytest.approx(0.5)
    assert rd["clause"] and rd["threshold"] == "3"


def test_eligibility_exactly_at_threshold_and_unknown():
    at = evaluate_eligibility({**GOOD, "rd_ratio_pct": Fraction(3)}, EXAMPLE_RULESET)
    assert at["status"] == "pass"
    unknown = evaluate_eligibility({**GOOD, "rd_ratio_pct": None}, EXAMPLE_RULESET)
    assert unknown["status"] == "unknown"
    failed = evaluate_eligibility({**GOOD, "failed_acceptances": 1}, EXAMPLE_RULESET)
    assert failed["status"] == "fail"


def test_ruleset_errors():
    assert ruleset_errors(EXAMPLE_RULESET) == []
    assert ruleset_errors({"conditions": [{"fact": "nope", "op": "~", "threshold": "x"}]})
    assert ruleset_errors("bad")


def test_transitions_table():
    assert find_transition("application", "submit", "draft").target == "submitted"
    assert find_transition("application", "resubmit", "returned").target == "submitted"
    with pytest.raises(TransitionError):
        find_transition("application", "submit", "submitted")
    with pytest.raises(TransitionError):
        find_transition("application", "fly", "draft")
    assert {t.action for t in allowed_actions("application", "submitted")} == {
        "withdraw",
        "return",
        "reject",
        "pass_check",
    }
    # every target is reachable only through the table; applicant steps need programmes.apply
    assert {
        t.capability for t in APPLICATION_TRANSITIONS if t.action in ("submit", "withdraw")
    } == {"programmes.apply"}
    assert set(TABLES) == {"call", "application", "project"}


def _app(**kw):
    base = {
        "title": "电池管理系统",
        "summary": "摘要",
        "objectives": "目标",
        "kpis": [
            {
                "indicator": "发明专利申请",
                "unit": "件",
                "baseline": 0,
                "target": 3,
                "evidence": "受理通知书",
            }
        ],
        "budget": [{"category": "设备费", "own": "600000", "requested": "400000"}],
        "team": [{"name": "张三"}],
        "schedule": [{"period": "2025", "task": "研发"}],
        "total": "1000000",
    }
    base.update(kw)
    return base


CONFIG = {
    "cap": Decimal("500000"),
    "own_share_min": Decimal("50"),
    "categories": ["设备费", "材料费"],
}


def test_formal_checks_pass_and_fail():
    rows = {r["id"]: r for r in formal_checks(_app(), CONFIG, eligibility_status="pass")}
    assert all(r["status"] == "pass" for r in rows.values()), rows
    bad = _app(
        summary="",
        budget=[{"category": "差旅费", "own": "100000", "requested": "600000"}],
        total="800000",
    )
    rows = {
        r["id"]: r
        for r in formal_checks(
            bad, CONFIG, eligibility_status="fail", other_titles=[("KC1", "电池管理系统")]
        )
    }
    assert rows["eligibility"]["status"] == "fail"
    assert "项目摘要" in rows["completeness"]["detail"]
    detail = rows["budget"]["detail"]
    assert "不符" in detail and "上限" in detail and "自筹" in detail and "差旅费" in detail
    assert rows["overlap"]["status"] == "fail"


def test_kpi_errors():
    assert kpi_errors(
        [{"indicator": "x", "unit": "件", "baseline": 2, "target": 1, "evidence": "y"}]
    )
    assert kpi_errors(
        [{"indicator": "x", "unit": "件", "baseline": "a", "target": 1, "evidence": ""}]
    )
    assert not kpi_errors(
        [{"indicator": "x", "unit": "件", "baseline": 0, "target": 1, "evidence": "y"}]
    )


def test_tranches_add_up_exactly():
    amounts = tranche_amounts(Decimal("1000000.01"), [30, 40, 30])
    assert sum(amounts) == Decimal("1000000.01")
    assert amounts[0] == Decimal("300000.00")
    assert tranche_amounts(Decimal(1), []) == []


def test_hold_reasons_and_kpis():
    assert tranche_hold_reasons(overdue_reports=["中期检查"], failed_kpis=["专利"]) == [
        "中期检查逾期未提交",
        "考核指标“专利”未达标",
    ]
    rows = kpi_attainment(
        [
            {"indicator": "专利", "target": 3, "reported": 4, "measure": "invention_patents_filed"},
            {"indicator": "收入", "target": 100, "reported": 120, "measure": ""},
            {"indicator": "人员", "target": 10, "reported": "", "measure": ""},
        ],
        {"invention_patents_filed": 2},
    )
    assert rows[0]["met"] is False and rows[0]["shortfall"] == 1 and rows[0]["mismatch"]
    assert rows[1]["met"] is True
    assert rows[2]["met"] is None


def test_investment_terms():
    assert stake_pct(Decimal(2_000_000), Decimal(18_000_000)) == Decimal("10.0000")
    assert buyback_value(Decimal(1_000_000), Decimal(6), Decimal(2)) == Decimal("1120000.00")
