"""Whole calendar periods (docs/platforms.md#periods): counted from the start date to the
evaluation date, the anniversary day counting as reached; a month end with no counterpart in
the target month falls on that month's last day."""

from __future__ import annotations

import calendar
from datetime import date

__all__ = ["add_months", "months_completed", "months_begun", "years_completed"]


def add_months(start: date, months: int) -> date:
    """`start` moved by whole months (31 January + 1 month = the last day of February)."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def months_completed(start: date, end: date) -> int:
    """Whole months from `start` reached by `end` (the monthly anniversary counts); 0 if before."""
    if end < start:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months


def months_begun(start: date, end: date) -> int:
    """Months begun from `start` by `end`: the completed months, plus one if `end` lies past the
    last anniversary. "不超过24个月" holds while this is at most 24."""
    done = months_completed(start, end)
    return done + (1 if add_months(start, done) < end else 0)


def years_completed(start: date, end: date) -> int:
    """Whole years from `start` reached by `end` ("满3年": the third anniversary counts)."""
    return months_completed(start, end) // 12
