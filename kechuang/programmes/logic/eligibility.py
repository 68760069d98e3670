"""Eligibility of an enterprise for a call: a rule set of conditions in the style of the
qualification engine (value, operator, threshold, clause, status, gap), docs/programmes.md#eligibility.

A rule set is plain data (the programme type's configuration):

    {"version": "…", "conditions": [
        {"id": "rd_ratio", "label_zh": "…", "fact": "rd_ratio_pct", "op": ">=",
         "threshold": "3", "unit": "%", "clause": "…", "status": "UNCONFIRMED"}, …]}

`fact` names a value of the facts dictionary the selectors build from the registry and the
qualification results. The thresholds of real county/city measures are unconfirmed: a condition
whose status is not CONFIRMED is shown with 待政策核实.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from kechuang.qualifications.logic.conditions import OPS, all_of

__all__ = ["FACTS", "EXAMPLE_RULESET", "evaluate_eligibility", "ruleset_errors", "PENDING"]

PENDING = "待政策核实"

# The facts a condition may read (what the selectors compute for every enterprise).
FACTS: dict[str, str] = {
    "registered_in_region": "在本地注册的企业",
    "holds_high_tech_or_tech_sme": "有效高新技术企业或当年入库国家科技型中小企业",
    "holds_high_tech": "有效高新技术企业",
    "rd_ratio_pct": "上年度研发费用占营业收入比例（%）",
    "rd_expense_wan": "上年度研发费用（万元）",
    "tech_staff": "上年末科技人员数",
    "ongoing_same_type": "在研同类项目数",
    "overdue_acceptances": "逾期未验收项目数",
    "failed_acceptances": "近年验收不通过项目数",
    "credit_listed": "列入失信名单",
}

# A configurable example, not an official measure (the Ningbo measure 甬科计〔2018〕61号 is
# known by number only; its thresholds are unconfirmed).
EXAMPLE_RULESET: dict[str, Any] = {
    "version": "示例（待政策核实）",
    "conditions": [
        {
            "id": "registered",
            "fact": "registered_in_region",
            "op": "==",
            "threshold": True,
            "label_zh": "在本地注册、具有独立法人资格",
            "clause": "市科技计划项目管理办法（示例条款）",
            "status": "UNCONFIRMED",
        },
        {
            "id": "qualified",
            "fact": "holds_high_tech_or_tech_sme",
            "op": "==",
            "threshold": True,
            "label_zh": "有效高新技术企业或国家科技型中小企业",
            "clause": "年度指南申报条件（示例条款）",
            "status": "UNCONFIRMED",
        },
        {
            "id": "rd_ratio",
            "fact": "rd_ratio_pct",
            "op": ">=",
            "threshold": "3",
            "unit": "%",
            "label_zh": "上年度研发费用占营业收入比例",
            "clause": "年度指南申报条件（示例条款）",
            "status": "UNCONFIRMED",
        },
        {
            "id": "no_ongoing",
            "fact": "ongoing_same_type",
            "op": "==",
            "threshold": 0,
            "label_zh": "无在研同类项目",
            "clause": "市科技计划项目管理办法（示例条款）",
            "status": "UNCONFIRMED",
        },
        {
            "id": "no_overdue",
            "fact": "overdue_acceptances",
            "op": "==",
            "threshold": 0,
            "label_zh": "无逾期未验收项目",
            "clause": "市科技计划项目管理办法（示例条款）",
            "status": "UNCONFIRMED",
        },
        {
            "id": "no_failed",
            "fact": "failed_acceptances",
            "op": "==",
            "threshold": 0,
            "label_zh": "近三年无验收不通过项目",
            "clause": "市科技计划项目管理办法（示例条款）",
            "status": "UNCONFIRMED",
        },
        {
            "id": "credit",
            "fact": "credit_listed",
            "op": "==",
            "threshold": False,
            "label_zh": "未列入失信名单",
            "clause": "年度指南申报条件（示例条款）",
            "status": "UNCONFIRMED",
        },
    ],
}


def _number(value: Any) -> Fraction | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (Fraction, int)):
        return Fraction(value)
    try:
        return Fraction(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def ruleset_errors(ruleset: Any) -> list[str]:
    """Chinese messages for a malformed rule set (empty when it can be evaluated)."""
    if not isinstance(ruleset, dict) or not isinstance(ruleset.get("conditions"), list):
        return ["规则集须包含条件列表"]
    errors = []
    for i, c in enumerate(ruleset["conditions"], start=1):
        if not isinstance(c, dict):
            errors.append(f"第{i}条条件格式不正确")
            continue
        if c.get("fact") not in FACTS:
            errors.append(f"第{i}条条件的取值项不存在")
        if c.get("op") not in OPS:
            errors.append(f"第{i}条条件的比较符不正确")
        threshold = c.get("threshold")
        if not isinstance(threshold, bool) and _number(threshold) is None:
            errors.append(f"第{i}条条件的门槛值不正确")
    return errors


def _gap(value: Any, op: str, threshold: Any) -> Any:
    """How far the value is from passing (numbers only; None when it passes or is unknown)."""
    v, t = _number(value), _number(threshold)
    if v is None or t is None:
        return None
    if op in (">=", ">"):
        return float(t - v) if v < t or (op == ">" and v == t) else None
    if op in ("<=", "<"):
        return float(v - t) if v > t or (op == "<" and v == t) else None
    if op == "==":
        return float(abs(v - t)) if v != t else None
    return None


def evaluate_eligibility(facts: dict[str, Any], ruleset: dict[str, Any]) -> dict[str, Any]:
    """Evaluate every condition: {"status": pass|fail|unknown, "conditions": [...]}.

    Each condition carries its value, operator, threshold, clause, basis status, the gap to
    the threshold and `pending` (待政策核实) when its basis is not confirmed. Unknown data is
    never read as a pass.
    """
    rows = []
    for c in ruleset.get("conditions", []):
        value = facts.get(c["fact"])
        threshold = c["threshold"]
        if isinstance(threshold, bool):
            ok = None if value is None else OPS[c["op"]](bool(value), threshold)
        else:
            v, t = _number(value), _number(threshold)
            ok = None if v is None or t is None else OPS[c["op"]](v, t)
        status = {True: "pass", False: "fail", None: "unknown"}[ok]
        rows.append(
            {
                "id": c["id"],
                "label_zh": c.get("label_zh") or FACTS.get(c["fact"], c["fact"]),
                "fact": c["fact"],
                "value": float(value) if isinstance(value, (Fraction, Decimal)) else value,
                "op": c["op"],
                "threshold": threshold,
                "unit": c.get("unit", ""),
                "clause": c.get("clause", ""),
                "basis": c.get("status", "UNCONFIRMED"),
                "pending": c.get("status", "UNCONFIRMED") != "CONFIRMED",
                "status": status,
                "gap": _gap(value, c["op"], threshold) if ok is False else None,
            }
        )
    overall = all_of(r["status"] == "pass" if r["status"] != "unknown" else None for r in rows)
    return {
        "status": {True: "pass", False: "fail", None: "unknown"}[overall],
        "version": ruleset.get("version", ""),
        "conditions": rows,
    }
