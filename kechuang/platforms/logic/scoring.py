"""Performance-evaluation scoring (docs/platforms.md#evaluation).

A scheme (configuration) lists indicators with a dimension, a weight and a scoring rule —
``linear`` between a floor and a target, ``bands`` (top-down, first threshold reached), or
``yesno`` — and gives the weights of the quantitative, expert and local-management scores and
the grade bands (A 优秀 / B 良好 / C 合格 / D 不合格, the practice of 国科火字〔2019〕239号; the
limits are configuration). All scores are out of 100; comparisons are exact.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

__all__ = [
    "indicator_share",
    "quantitative_score",
    "total_score",
    "grade_for",
    "consequence",
    "score",
]

GRADES = ("A", "B", "C", "D")


def _f(value: Any) -> Fraction | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Fraction(int(value))
    return Fraction(str(value))


def _n(value: Any) -> Fraction:
    """A configured number (weight, floor, target, limit): absent counts as 0."""
    return _f(value) or Fraction(0)


def indicator_share(rule: dict, value: Any) -> Fraction | None:
    """The share (0…1) of an indicator's weight that `value` earns; None when unknown."""
    kind = rule.get("rule", "linear")
    if kind == "yesno":
        return None if value is None else Fraction(1 if value else 0)
    v = _f(value)
    if v is None:
        return None
    if kind == "bands":
        for threshold, share in rule["bands"]:
            if v >= _n(threshold):
                return _n(share)
        return Fraction(0)
    floor, target = _n(rule.get("floor", 0)), _n(rule["target"])
    if v >= target:
        return Fraction(1)
    if v <= floor:
        return Fraction(0)
    return (v - floor) / (target - floor)


def quantitative_score(indicators: list[dict], values: dict) -> tuple[Fraction | None, list[dict]]:
    """Weighted score out of 100 and each indicator's points; an unknown value scores 0 and is
    listed as such (a report that lacks a figure does not earn its points)."""
    total_weight = sum((_n(i["weight"]) for i in indicators), Fraction(0))
    if not indicators or total_weight == 0:
        return None, []
    points = Fraction(0)
    detail = []
    for item in indicators:
        share = indicator_share(item, values.get(item["code"]))
        earned = (share or Fraction(0)) * _n(item["weight"]) * 100 / total_weight
        points += earned
        detail.append(
            {
                "code": item["code"],
                "label": item.get("label", item["code"]),
                "dimension": item.get("dimension", ""),
                "value": values.get(item["code"]),
                "points": float(round(earned, 2)),
                "max": float(round(_n(item["weight"]) * 100 / total_weight, 2)),
                "known": share is not None,
            }
        )
    return points, detail


def total_score(weights: dict, quantitative, expert, management) -> Fraction | None:
    """Weighted total of the three scores (weights normalised); None while one is missing."""
    parts = {"quantitative": quantitative, "expert": expert, "management": management}
    total_weight = sum((_n(weights.get(k, 0)) for k in parts), Fraction(0))
    if total_weight == 0:
        return None
    total = Fraction(0)
    for key, value in parts.items():
        weight = _n(weights.get(key, 0))
        if weight == 0:
            continue
        if value is None:
            return None
        total += weight * _n(value)
    return total / total_weight


def grade_for(total, bands: list) -> str:
    """The first grade whose lower limit the total reaches (以上 includes it), else D."""
    if total is None:
        return ""
    t = _n(total)
    for grade, limit in bands:
        if t >= _n(limit):
            return grade
    return "D"


def consequence(grade: str, previous_grades: list[str], tiers: dict | None = None) -> str:
    """Funding tier by grade; D is a warning; D in two consecutive evaluations proposes
    revocation (two consecutive failures revoke the status: 国科发区〔2018〕300号 第十四条)."""
    if not grade:
        return ""
    if grade == "D":
        return "revocation_proposal" if previous_grades[-1:] == ["D"] else "warning"
    return (tiers or {"A": "funding_tier_1", "B": "funding_tier_2", "C": "funding_tier_3"}).get(
        grade, ""
    )


def score(config: dict, values: dict, expert, management, previous_grades: list[str]) -> dict:
    """One platform's evaluation under a scheme configuration."""
    quantitative, detail = quantitative_score(config.get("indicators", []), values)
    total = total_score(config.get("weights", {}), quantitative, expert, management)
    grade = grade_for(total, config.get("grades", []))
    return {
        "quantitative": quantitative,
        "total": total,
        "grade": grade,
        "consequence": consequence(grade, previous_grades, config.get("tiers")),
        "detail": detail,
    }
