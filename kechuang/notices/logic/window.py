"""Notice windows in calendar days or working days (docs/notices.md#counting-the-window).

Pure Python. The first day of the window is the day of publication (the Torch Centre notice of
2020-12-29 ran eight calendar days: 29 December to 5 January counting the first); with
working days, the days counted are the working days from that date on. Working days follow the
State Council's yearly holiday arrangement as the `chinese_calendar` package records it:
statutory holidays are skipped and adjusted working days (调休, e.g. a Saturday) count. For a
year the package does not cover, Monday–Friday is used and a note says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import chinese_calendar

__all__ = ["WindowDays", "last_day", "is_workday", "window_days"]

FALLBACK = "fallback"


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, known to the holiday calendar)."""
    try:
        return bool(chinese_calendar.is_workday(day)), True
    except NotImplementedError:
        return day.weekday() < 5, False


def last_day(
    start: dt.date,
    days: int,
    working_days: bool,
    workday: Callable[[dt.date], tuple[bool, bool]] = is_workday,
) -> tuple[dt.date, list[dt.date]]:
    """The last day of a window of `days` days beginning on `start`, and the days of the
    window that the holiday calendar did not cover (counted Monday–Friday)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    if not working_days:
        return start + dt.timedelta(days=days - 1), []
    uncovered: list[dt.date] = []
    day = start
    counted = 0
    while True:
        working, known = workday(day)
        if not known:
            uncovered.append(day)
        if working:
            counted += 1
            if counted == days:
                return day, uncovered
        day += dt.timedelta(days=1)


@dataclass(frozen=True)
class WindowDays:
    first: dt.date
    last: dt.date
    uncovered: list[dt.date] = field(default_factory=list)

    @property
    def fallback(self) -> bool:
        return bool(self.uncovered)


def window_days(start: dt.date, days: int, working_days: bool) -> WindowDays:
    last, uncovered = last_day(start, days, working_days)
    return WindowDays(first=start, last=last, uncovered=uncovered)
