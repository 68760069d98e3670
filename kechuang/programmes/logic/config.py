"""The programme type's configuration checked as plain data (docs/programmes.md#programme-types):
budget categories, KPI template, eligibility rule set, review scheme, tranche plan and project
terms. The pages and the API both ask `config_errors` before a type is saved; every message is
Chinese and names the row it concerns."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .eligibility import ruleset_errors
from .review import AGGREGATIONS

__all__ = [
    "BOOLEAN_FACTS",
    "TRANCHE_AFTER",
    "STATUSES",
    "config_errors",
    "parse_threshold",
]

# The facts whose condition is yes/no (the others compare numbers).
BOOLEAN_FACTS = frozenset(
    {"registered_in_region", "holds_high_tech_or_tech_sme", "holds_high_tech", "credit_listed"}
)
# When a tranche falls due (docs/programmes.md#funding).
TRANCHE_AFTER = {"signing": "签约后", "mid_term": "中期检查通过后", "acceptance": "验收通过后"}
# The basis of a condition: confirmed against the official text, or a configurable example.
STATUSES = {"UNCONFIRMED": "待政策核实", "CONFIRMED": "已核实"}
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
YES = {"是", "true", "True", "1", "yes"}
NO = {"否", "false", "False", "0", "no"}


def _number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def parse_threshold(fact: str, raw: Any) -> tuple[Any, str]:
    """A condition's threshold from what the bureau typed: 是/否 for a yes/no fact, a number
    otherwise. Returns (value, error message or "")."""
    if fact in BOOLEAN_FACTS:
        if isinstance(raw, bool):
            return raw, ""
        text = str(raw).strip()
        if text in YES:
            return True, ""
        if text in NO:
            return False, ""
        return None, "该条件为是否判断，门槛值请填写“是”或“否”"
    number = _number(raw)
    if number is None:
        return None, "门槛值须为数字"
    return str(number), ""


def _rows(value: Any, name: str, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        errors.setdefault(name, []).append("格式不正确：须为逐行填写的列表")
        return []
    return value


def _categories(value: Any, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        errors.setdefault("budget_categories", []).append("预算科目须为科目名称的列表")
        return
    names = [c.strip() for c in value]
    if any(not c or len(c) > 32 for c in names):
        errors.setdefault("budget_categories", []).append("预算科目名称须为1至32个字")
    if len(set(names)) < len(names):
        errors.setdefault("budget_categories", []).append("预算科目不能重复")


def _kpis(value: Any, measures: set[str], errors: dict[str, list[str]]) -> None:
    for i, k in enumerate(_rows(value, "kpi_template", errors), start=1):
        if not str(k.get("indicator") or "").strip() or not str(k.get("unit") or "").strip():
            errors.setdefault("kpi_template", []).append(f"第{i}项指标须填写指标名称和计量单位")
        if (k.get("measure") or "") not in measures | {""}:
            errors.setdefault("kpi_template", []).append(f"第{i}项指标的登记数据口径不存在")


def _eligibility(value: Any, errors: dict[str, list[str]]) -> None:
    found = ruleset_errors(value)
    if found:
        errors.setdefault("eligibility", []).extend(found)
        return
    ids = [c.get("id") for c in value["conditions"]]
    if any(not i for i in ids) or len(set(ids)) < len(ids):
        errors.setdefault("eligibility", []).append("每条申报条件须有不重复的编号")
    for i, c in enumerate(value["conditions"], start=1):
        if not str(c.get("label_zh") or "").strip():
            errors.setdefault("eligibility", []).append(f"第{i}条条件须填写条件名称")
        if (c.get("fact") in BOOLEAN_FACTS) != isinstance(c.get("threshold"), bool):
            errors.setdefault("eligibility", []).append(
                f"第{i}条条件的门槛值与取值项不符（是否判断填“是”或“否”，其余填数字）"
            )
        if c.get("status", "UNCONFIRMED") not in STATUSES:
            errors.setdefault("eligibility", []).append(f"第{i}条条件的依据状态不正确")


def _scheme(value: Any, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, dict):
        errors.setdefault("review_scheme", []).append("评审方案格式不正确")
        return
    k = value.get("k")
    if not isinstance(k, int) or isinstance(k, bool) or not 1 <= k <= 15:
        errors.setdefault("review_scheme", []).append("每项申报的评审专家人数须为1至15")
    if value.get("aggregation") not in AGGREGATIONS:
        errors.setdefault("review_scheme", []).append(
            "汇总方法须为平均、去掉最高最低后平均或中位数"
        )
    threshold = _number(value.get("dispersion_threshold"))
    if threshold is None or threshold < 0:
        errors.setdefault("review_scheme", []).append("分歧阈值须为不小于0的数字")
    criteria = _rows(value.get("criteria"), "review_scheme", errors)
    if not criteria:
        errors.setdefault("review_scheme", []).append("评审方案至少须有一项评分指标")
        return
    keys = [c.get("key") for c in criteria]
    if any(not isinstance(key, str) or not _KEY.match(key) for key in keys) or len(set(keys)) < len(
        keys
    ):
        errors.setdefault("review_scheme", []).append("每项评分指标须有不重复的编号")
    total = Decimal(0)
    for i, c in enumerate(criteria, start=1):
        weight, top = _number(c.get("weight")), _number(c.get("max"))
        if not str(c.get("label_zh") or "").strip():
            errors.setdefault("review_scheme", []).append(f"第{i}项评分指标须填写名称")
        if weight is None or weight <= 0:
            errors.setdefault("review_scheme", []).append(f"第{i}项评分指标的权重须大于0")
        else:
            total += weight
        if top is None or top <= 0:
            errors.setdefault("review_scheme", []).append(f"第{i}项评分指标的满分须大于0")
    if total and total != 100:
        errors.setdefault("review_scheme", []).append(f"评分指标的权重合计须为100（现为{total}）")


def _tranches(value: Any, errors: dict[str, list[str]]) -> None:
    rows = _rows(value, "tranche_plan", errors)
    total = Decimal(0)
    for i, t in enumerate(rows, start=1):
        share = _number(t.get("share"))
        if not str(t.get("label") or "").strip():
            errors.setdefault("tranche_plan", []).append(f"第{i}笔拨付须填写名称")
        if share is None or share <= 0:
            errors.setdefault("tranche_plan", []).append(f"第{i}笔拨付的比例须大于0")
        else:
            total += share
        if t.get("after") not in TRANCHE_AFTER:
            errors.setdefault("tranche_plan", []).append(f"第{i}笔拨付的拨付时点不正确")
    if rows and total != 100:
        errors.setdefault("tranche_plan", []).append(f"各笔拨付比例合计须为100%（现为{total}%）")


def _terms(value: Any, errors: dict[str, list[str]]) -> None:
    if not isinstance(value, dict):
        errors.setdefault("investment_terms", []).append("项目条款格式不正确")
        return
    months = value.get("duration_months")
    if months is not None and (
        not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120
    ):
        errors.setdefault("investment_terms", []).append("项目实施周期须为1至120个月")


def config_errors(config: dict[str, Any], measures: set[str]) -> dict[str, list[str]]:
    """Chinese messages by configuration field (empty when the configuration can be used).
    `measures` are the registry measures a KPI may name."""
    errors: dict[str, list[str]] = {}
    if "budget_categories" in config:
        _categories(config["budget_categories"], errors)
    if "kpi_template" in config:
        _kpis(config["kpi_template"], measures, errors)
    if "eligibility" in config:
        _eligibility(config["eligibility"], errors)
    if "review_scheme" in config:
        _scheme(config["review_scheme"], errors)
    if "tranche_plan" in config:
        _tranches(config["tranche_plan"], errors)
    if "investment_terms" in config:
        _terms(config["investment_terms"], errors)
    return errors
