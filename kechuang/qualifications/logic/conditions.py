"""Three-valued condition helpers shared by every tier (docs/qualification-rules.md#boundary-words,
docs/qualification-rules.md#exact-numbers, docs/qualification-rules.md#unknown-is-not-zero).

A condition result is ``True`` (pass), ``False`` (fail) or ``None`` (unknown: the data that
could decide it is missing).  Combination follows Kleene logic, which is also what Polars
does with nullable booleans, so the single and batch faces agree by construction.

Comparisons are exact: values are :class:`fractions.Fraction` and thresholds come from the
rule set as Fractions, so "exactly 10 %" is exactly 10 % (never round before comparing).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from .rulesets import RuleItem

OPS = {
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
STATUS = {True: "pass", False: "fail", None: "unknown"}


def compare(value: Fraction | int | None, op: str, threshold: Fraction | int) -> bool | None:
    """Exact comparison per the boundary words (docs/qualification-rules.md#boundary-words); unknown value → None."""
    if value is None:
        return None
    return OPS[op](value, threshold)


def ratio(numerator: Fraction | None, denominator: Fraction | None) -> Fraction | None:
    """Exact ratio; None when either side is unknown or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return Fraction(numerator) / Fraction(denominator)


def all_of(values: Iterable[bool | None]) -> bool | None:
    """Kleene AND: False if any False, else None if any None, else True."""
    seen_none = False
    for v in values:
        if v is False:
            return False
        if v is None:
            seen_none = True
    return None if seen_none else True


def any_of(values: Iterable[bool | None]) -> bool | None:
    """Kleene OR: True if any True, else None if any None, else False."""
    seen_none = False
    for v in values:
        if v is True:
            return True
        if v is None:
            seen_none = True
    return None if seen_none else False


def negate(v: bool | None) -> bool | None:
    """Kleene NOT."""
    return None if v is None else not v


def jsonable(value: Any) -> Any:
    """Fractions → float (unrounded float of the exact value) for JSON output."""
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def cond(
    cid: str,
    ok: bool | None | str,
    value: Any,
    op: str,
    threshold: Any,
    item: RuleItem | None,
    label_zh: str | None = None,
    note: str | None = None,
    clause: str | None = None,
) -> dict[str, Any]:
    """One condition record: {id, status, value, op, threshold, clause, label_zh, basis…}."""
    status = ok if isinstance(ok, str) else STATUS[ok]
    out: dict[str, Any] = {
        "id": cid,
        "status": status,
        "value": jsonable(value),
        "op": op,
        "threshold": jsonable(threshold),
        "clause": clause if clause is not None else (item.clause if item else ""),
        "label_zh": label_zh if label_zh is not None else (item.label_zh if item else ""),
        "basis": item.status if item else "CONFIRMED",
    }
    if item is not None and item.pending_verification:
        out["pending_verification"] = True
    if note:
        out["note"] = note
    return out


def tier_status(conditions: list[dict[str, Any]]) -> str:
    """docs/qualification-rules.md#unknown-is-not-zero: fail if any condition fails; else unknown if any unknown; else borderline; else pass."""
    statuses = {c["status"] for c in conditions}
    for s in ("fail", "unknown", "borderline"):
        if s in statuses:
            return s
    return "pass"


def band_points(value: Fraction | None, bands: list[list[Any]]) -> int | None:
    """Top-down ``value >= threshold`` band lookup (first match wins, else 0)."""
    if value is None:
        return None
    for threshold, points in bands:
        if value >= threshold:
            return int(points)
    return 0


def in_band(point: int | None, lo: int, hi: int) -> tuple[int, int]:
    """Expert point inside the deterministic band narrows it; outside it is ignored."""
    if point is not None and lo <= point <= hi:
        return point, point
    return lo, hi
