"""The reminder window's date arithmetic (docs/notifications.md#lead-times)."""

import datetime as dt

import pytest

from kechuang.notifications.logic.dates import add_months, horizon


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2026, 12, 1), 6, dt.date(2027, 6, 1)),
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),
        (dt.date(2027, 8, 31), 6, dt.date(2028, 2, 29)),
        (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
        (dt.date(2026, 1, 15), -1, dt.date(2025, 12, 15)),
        (dt.date(2026, 1, 15), 0, dt.date(2026, 1, 15)),
    ],
)
def test_add_months_clips_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


def test_horizon_by_unit():
    today = dt.date(2026, 12, 1)
    assert horizon(today, 6, "months") == dt.date(2027, 6, 1)
    assert horizon(today, 7, "days") == dt.date(2026, 12, 8)
    assert horizon(today, 0, "") == today
