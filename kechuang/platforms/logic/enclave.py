"""The enclaves' per-head subsidy (补人头, docs/platforms.md#enclaves): R&D staff × the amount
per person, up to a cap per enterprise, for residents whose share of results registered at home
reaches the configured minimum. Every parameter is the bureau's configuration; a missing one
leaves the subsidy uncomputed (待政策核实)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .rulesets import PENDING_LABEL_ZH

__all__ = ["per_head_subsidy"]


def _fmt(value) -> str:
    return f"{Decimal(value):,.2f}"


def per_head_subsidy(
    *,
    rd_staff: int | None,
    results_registered: int | None,
    results_total: int | None,
    per_head_yuan: Decimal | None,
    cap_yuan: Decimal | None,
    min_results_share: Decimal | None,
) -> dict:
    """{"amount": Decimal | None, "eligible": bool | None, "steps": [text, …]}."""
    if per_head_yuan is None:
        return {"amount": None, "eligible": None, "steps": [f"补助标准{PENDING_LABEL_ZH}"]}
    if rd_staff is None:
        return {"amount": None, "eligible": None, "steps": ["缺少飞地研发人员数"]}
    steps = []
    eligible = True
    if min_results_share is not None:
        if results_total:
            share = Fraction(results_registered or 0, results_total)
            eligible = share >= Fraction(str(min_results_share))
            steps.append(
                f"成果回归比例 {results_registered or 0}/{results_total} = {float(share):.2%}，"
                f"要求不低于 {float(min_results_share):.2%}：{'符合' if eligible else '不符合'}"
            )
        else:
            eligible = False
            steps.append("飞地无成果，成果回归比例无法达到要求：不符合")
    if not eligible:
        return {"amount": Decimal(0), "eligible": False, "steps": steps}
    amount = Decimal(rd_staff) * Decimal(per_head_yuan)
    steps.append(f"{rd_staff} 人 × {_fmt(per_head_yuan)} 元/人 = {_fmt(amount)} 元")
    if cap_yuan is not None and amount > cap_yuan:
        amount = Decimal(cap_yuan)
        steps.append(f"超过每家企业上限 {_fmt(cap_yuan)} 元，按上限计")
    return {"amount": amount, "eligible": True, "steps": steps}
