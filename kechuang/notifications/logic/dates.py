"""Date arithmetic of the reminder windows (docs/notifications.md#lead-times)."""

from __future__ import annotations

import calendar
import datetime as dt

__all__ = ["add_months", "horizon"]


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` moved by whole calendar months, the day clipped to the month's last day
    (31 August + 6 months = 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def horizon(today: dt.date, lead: int, unit: str) -> dt.date:
    """The last due date reminded of on `today`: a date is in its reminder window from the day
    `lead` months (or days) before it up to the date itself, both inclusive."""
    if unit == "months":
        return add_months(today, lead)
    return today + dt.timedelta(days=lead)
