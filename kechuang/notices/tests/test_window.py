"""Window counting: calendar days, statutory holidays, adjusted working Saturdays, fallback."""

import datetime as dt
from zoneinfo import ZoneInfo

from kechuang.notices.logic.window import last_day, window_days
from kechuang.notices.services import window_end

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_calendar_days_count_the_first_day():
    # The Torch Centre notice: 2020-12-29 to 2021-01-05, eight calendar days.
    assert last_day(dt.date(2020, 12, 29), 8, False)[0] == dt.date(2021, 1, 5)


def test_working_days_skip_national_day_holiday():
    # 2024-09-30 (Mon) is a working day; 10-01..10-07 holiday; 10-08 working again.
    assert last_day(dt.date(2024, 9, 30), 2, True)[0] == dt.date(2024, 10, 8)


def test_adjusted_working_saturday_counts():
    # 2024-10-12 (Saturday) was an adjusted working day (调休) after National Day.
    assert last_day(dt.date(2024, 10, 11), 2, True)[0] == dt.date(2024, 10, 12)
    # An ordinary Saturday does not count: 2024-10-19.
    assert last_day(dt.date(2024, 10, 18), 2, True)[0] == dt.date(2024, 10, 21)


def test_working_days_starting_on_a_holiday():
    assert last_day(dt.date(2024, 10, 1), 1, True)[0] == dt.date(2024, 10, 8)


def test_fallback_outside_the_calendar_records_the_days():
    window = window_days(dt.date(2035, 1, 5), 3, True)  # Friday
    assert window.last == dt.date(2035, 1, 9)
    assert window.fallback and all(d.year == 2035 for d in window.uncovered)
    assert not window_days(dt.date(2024, 3, 1), 3, True).fallback


def test_window_end_is_local_midnight_after_the_last_day():
    start = dt.datetime(2020, 12, 29, 9, 30, tzinfo=SHANGHAI)
    end = window_end(start, 8, False)
    assert end == dt.datetime(2021, 1, 6, 0, 0, tzinfo=SHANGHAI)
    # A start given in UTC late in the day is already the next local day.
    utc_start = dt.datetime(2020, 12, 28, 17, 0, tzinfo=dt.UTC)  # 01:00 on 29 December
    assert window_end(utc_start, 8, False) == end
