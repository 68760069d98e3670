"""Configuration of the cooperation app, read from settings with the defaults of the rules in
force (docs/cooperation.md#technical-contract-registration)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings

from kechuang.notices.logic.window import is_workday

__all__ = [
    "decision_days",
    "large_contract_days",
    "large_contract_threshold",
    "decision_in_working_days",
    "demand_open_days",
    "MATCH_TOP",
    "workday_checker",
]

# Ranked suppliers kept per demand (and demands per achievement).
MATCH_TOP = 10


def decision_days() -> int:
    """国科发政字〔2000〕063号: the office decides within 30 days of accepting the application."""
    return int(getattr(settings, "KECHUANG_TECH_CONTRACT_DECISION_DAYS", 30))


def large_contract_days() -> int:
    """The limit for contracts from the threshold up (the 2024 draft's 30; equal by default)."""
    return int(getattr(settings, "KECHUANG_TECH_CONTRACT_LARGE_DAYS", decision_days()))


def large_contract_threshold() -> Decimal:
    return Decimal(str(getattr(settings, "KECHUANG_TECH_CONTRACT_LARGE_YUAN", 5_000_000)))


def decision_in_working_days() -> bool:
    """False under the 2000 rules (calendar days); the 2024 draft counts working days."""
    return bool(getattr(settings, "KECHUANG_TECH_CONTRACT_WORKING_DAYS", False))


def demand_open_days() -> int:
    """How long a technology demand stays open before it expires unless renewed."""
    return int(getattr(settings, "KECHUANG_DEMAND_OPEN_DAYS", 180))


def workday_checker() -> Callable[[dt.date], bool] | None:
    """China's working days (statutory holidays and adjusted weekends) where the holiday calendar
    knows the year, weekdays otherwise: the public notices' own rule (docs/notices.md)."""
    return lambda day: is_workday(day)[0]
