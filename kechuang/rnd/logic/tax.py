"""The corporate income tax at stake in collecting R&D expense properly (研发费用加计扣除).

Additional deduction = extra-deduction rate × R&D expense in the super-deduction scope;
tax saved = additional deduction × CIT rate (25 %, or 15 % for a valid high-tech enterprise,
企业所得税法 第二十八条).

The 100 % extra-deduction rate for all eligible enterprises from 1 January 2023 follows
财政部 税务总局公告2023年第7号 — title seen, rate from general knowledge: UNCONFIRMED
(docs/rnd.md#tax-at-stake). Rates are configuration, not code: the Django side merges
`settings.KECHUANG_RND_TAX_RATES` over DEFAULT_RATES.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["DEFAULT_RATES", "tax_at_stake", "merged_rates"]

DEFAULT_RATES: dict[str, Any] = {
    "extra_deduction_rate": Decimal("1.00"),
    "extra_deduction_basis": "财政部 税务总局公告2023年第7号",
    "extra_deduction_status": "UNCONFIRMED",
    "cit_rate_standard": Decimal("0.25"),
    "cit_rate_high_tech": Decimal("0.15"),
    "cit_basis": "《中华人民共和国企业所得税法》第四条、第二十八条",
}
CENT = Decimal("0.01")


def merged_rates(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """DEFAULT_RATES with configured overrides (numbers become Decimals)."""
    rates = dict(DEFAULT_RATES)
    for key, value in (overrides or {}).items():
        rates[key] = Decimal(str(value)) if isinstance(value, (int, float)) else value
    return rates


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tax_at_stake(
    *,
    rd_deduction_scope: Decimal | None,
    rd_expense_stat: Decimal | None,
    holds_high_tech: bool,
    rates: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the super-deduction is worth now, and what collecting the rest would add (yuan).

    rd_deduction_scope: R&D expense in the super-deduction scope (yuan; None = not reported).
    rd_expense_stat: statistical R&D expense (yuan), the upper reference for what could be
    collected (the statistical scope is the widest of the three).
    Returns the rates used, the current additional deduction and tax saved, the uncollected
    amount (statistical − super-deduction scope, not below 0) and the tax it would save, and the
    tax saved per 10,000 yuan more collected.
    """
    rates = rates or DEFAULT_RATES
    extra = Decimal(rates["extra_deduction_rate"])
    cit = Decimal(rates["cit_rate_high_tech"] if holds_high_tech else rates["cit_rate_standard"])
    claimed = Decimal(rd_deduction_scope or 0)
    reference = Decimal(rd_expense_stat or 0)
    uncollected = max(Decimal(0), reference - claimed)
    return {
        "extra_deduction_rate": extra,
        "cit_rate": cit,
        "basis": rates["extra_deduction_basis"],
        "pending_verification": rates.get("extra_deduction_status") == "UNCONFIRMED",
        "rd_deduction_scope": claimed,
        "additional_deduction": _money(claimed * extra),
        "tax_saved": _money(claimed * extra * cit),
        "uncollected": _money(uncollected),
        "potential_tax_saved": _money(uncollected * extra * cit),
        "tax_saved_per_10k": _money(Decimal(10000) * extra * cit),
    }
