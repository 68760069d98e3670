"""Technical contract registration (技术合同认定登记): types, the technical transaction amount and
the decision time limit (docs/cooperation.md#technical-contract-registration).

- 民法典 第八百四十三条: a technical contract establishes rights and obligations of technology
  development, transfer, licence, consultancy or service.
- 技术合同认定登记管理办法 (国科发政字〔2000〕063号) 第六条: the seller side applies; 第七条: a
  written contract; 第十二条/第十三条: the office decides within 30 days of acceptance; registered
  contracts get a registration certificate, others are marked 未予登记 with the reason.
- 技术合同认定规则 (国科发政字〔2001〕253号): the technical transaction amount is the contract total
  minus non-technical costs (equipment, instruments, parts and raw materials bought for the
  contract); the direct cost of a reasonable quantity of the deliverable is not deducted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

__all__ = [
    "STATISTICAL_TYPE",
    "SELLER_ROLE",
    "AmountError",
    "technical_amount",
    "decision_limit_days",
    "decision_deadline",
    "is_overdue",
    "days_taken",
]

# Civil Code type → the four types of the 2000 rules' statistics: licences were counted with
# transfers (专利实施许可 under 技术转让), training and intermediary with technical service.
STATISTICAL_TYPE: dict[str, str] = {
    "dev_commissioned": "development",
    "dev_cooperative": "development",
    "transfer": "transfer",
    "licence": "transfer",
    "consultancy": "consultancy",
    "service": "service",
    "training": "service",
    "intermediary": "service",
}

# Who applies (the seller side, 国科发政字〔2000〕063号 第六条) for each type.
SELLER_ROLE: dict[str, str] = {
    "dev_commissioned": "研究开发人",
    "dev_cooperative": "研究开发人",
    "transfer": "让与人",
    "licence": "许可人",
    "consultancy": "受托人",
    "service": "受托人",
    "training": "培训人",
    "intermediary": "中介人",
}


class AmountError(ValueError):
    """The amounts do not add up; `field` names the offending input."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def technical_amount(total: Decimal, non_technical: Decimal) -> Decimal:
    """技术交易额 = contract total − non-technical costs (never negative, never above the total)."""
    if total is None or total <= 0:
        raise AmountError("total_amount", "total must be positive")
    if non_technical is None or non_technical < 0:
        raise AmountError("non_technical_costs", "deductions cannot be negative")
    if non_technical > total:
        raise AmountError("non_technical_costs", "deductions exceed the total")
    return total - non_technical


def decision_limit_days(total: Decimal, *, days: int, large_days: int, threshold: Decimal) -> int:
    """The time limit for one contract: `large_days` from the large-contract threshold up."""
    return large_days if total is not None and total >= threshold else days


def decision_deadline(
    accepted_on: dt.date,
    limit: int,
    *,
    working_days: bool = False,
    is_workday: Callable[[dt.date], bool] | None = None,
) -> dt.date:
    """The last day of the decision period: `limit` days after acceptance (calendar days under
    the 2000 rules; working days when configured, counting only days `is_workday` accepts)."""
    if not working_days:
        return accepted_on + dt.timedelta(days=limit)
    check = is_workday or (lambda d: d.weekday() < 5)
    day, counted = accepted_on, 0
    while counted < limit:
        day += dt.timedelta(days=1)
        if check(day):
            counted += 1
    return day


def is_overdue(deadline: dt.date, today: dt.date, decided_on: dt.date | None = None) -> bool:
    """Overdue once the deadline has passed without a decision (day 30 is on time, day 31 late);
    a decision taken after the deadline is overdue too."""
    if decided_on is not None:
        return decided_on > deadline
    return today > deadline


def days_taken(accepted_on: dt.date, end: dt.date) -> int:
    return (end - accepted_on).days
