"""Grant tranches, 拨改投 investments and KPI attainment (docs/programmes.md#funding).

Every term (tranche shares, buy-back rate, lock-up) is the call's configuration; none is an
official default: no Zhejiang/Ningbo/Cixi 拨改投 rule is confirmed."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import Any

__all__ = [
    "tranche_amounts",
    "tranche_hold_reasons",
    "kpi_attainment",
    "buyback_value",
    "stake_pct",
]

CENT = Decimal("0.01")


def tranche_amounts(total: Decimal, shares: Sequence[Decimal | int | str]) -> list[Decimal]:
    """Split `total` by percentage shares; rounding down to the fen, the last tranche takes the
    remainder so the tranches add up exactly to the total."""
    total = Decimal(total)
    shares = [Decimal(str(s)) for s in shares]
    if not shares:
        return []
    out = [(total * s / 100).quantize(CENT, rounding=ROUND_DOWN) for s in shares[:-1]]
    out.append(total - sum(out, Decimal(0)))
    return out


def tranche_hold_reasons(
    *, overdue_reports: Sequence[str], failed_kpis: Sequence[str]
) -> list[str]:
    """Why a tranche is held: an overdue report or a failed KPI check (Chinese reasons)."""
    reasons = [f"{name}逾期未提交" for name in overdue_reports]
    reasons += [f"考核指标“{name}”未达标" for name in failed_kpis]
    return reasons


def kpi_attainment(
    kpis: Sequence[dict[str, Any]], measured: dict[str, Any]
) -> list[dict[str, Any]]:
    """Each KPI with what was reported and what the registry measures, and whether it is met.

    kpis: indicator, unit, baseline, target, reported, measure (a registry measure key or "").
    The registry's value decides when it exists; otherwise the reported value (with evidence).
    """
    rows = []
    for k in kpis:
        target = Decimal(str(k.get("target") or 0))
        reported = k.get("reported")
        reported = None if reported in (None, "") else Decimal(str(reported))
        key = k.get("measure") or ""
        meas = measured.get(key)
        meas = None if meas is None else Decimal(str(meas))
        basis = meas if meas is not None else reported
        met = None if basis is None else basis >= target
        rows.append(
            {
                **k,
                "reported": reported,
                "measured": meas,
                "met": met,
                "shortfall": (target - basis) if met is False else None,
                "mismatch": meas is not None and reported is not None and reported > meas,
            }
        )
    return rows


def buyback_value(amount: Decimal, annual_rate_pct: Decimal, years: Decimal) -> Decimal:
    """Founders' buy-back at cost plus a simple annual rate (the call's exit terms)."""
    return (Decimal(amount) * (1 + Decimal(annual_rate_pct) / 100 * Decimal(years))).quantize(CENT)


def stake_pct(amount: Decimal, pre_money: Decimal) -> Decimal:
    """Stake bought by `amount` at a pre-money valuation: amount / (pre + amount) × 100."""
    post = Decimal(pre_money) + Decimal(amount)
    return (Decimal(amount) * 100 / post).quantize(Decimal("0.0001")) if post else Decimal(0)
