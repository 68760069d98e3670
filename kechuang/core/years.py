"""The reporting-year window and the default year of every page.

A year is accepted when it lies in the window KECHUANG_FIRST_YEAR (default 2015) … the current
year + 1: the first reporting year of the bureau's statistics up to next year's plans. Pages
default to the latest year with accepted data (years having yearly-figure rows inside the window,
optionally with a minimum count KECHUANG_DEFAULT_YEAR_MIN_ROWS), so one stray row can never move
every dashboard to an empty year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

__all__ = [
    "first_year",
    "last_year",
    "in_window",
    "validate_year",
    "YearWindowValidator",
    "data_years",
    "register_year_counts",
    "default_year",
    "year_choices",
    "selected_year",
]

DEFAULT_FIRST_YEAR = 2015


def first_year() -> int:
    """The first reporting year (setting KECHUANG_FIRST_YEAR, default 2015)."""
    return int(getattr(settings, "KECHUANG_FIRST_YEAR", DEFAULT_FIRST_YEAR))


def last_year(today: dt.date | None = None) -> int:
    """The last accepted year: the current year + 1 (next year's plans and targets)."""
    return (today or dt.date.today()).year + 1


def in_window(year) -> bool:
    return (
        isinstance(year, int) and not isinstance(year, bool) and first_year() <= year <= last_year()
    )


def window_message() -> str:
    return str(_("The year must be between %(first)s and %(last)s.")) % {
        "first": first_year(),
        "last": last_year(),
    }


@deconstructible
class YearWindowValidator:
    """Model/form/serializer validator: the year lies in the reporting-year window."""

    code = "year_window"

    def __call__(self, value) -> None:
        if value is None:
            return
        try:
            year = int(value)
        except (TypeError, ValueError):
            raise ValidationError(window_message(), code=self.code) from None
        if not in_window(year):
            raise ValidationError(window_message(), code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, YearWindowValidator)

    def __hash__(self) -> int:
        return hash(self.code)


validate_year = YearWindowValidator()


# `() -> {year: rows}` for the yearly figures, registered by the app that owns them from its
# AppConfig.ready() (docs/architecture.md#registries); core never imports a domain app.
YEAR_COUNTS: list[Callable[[], dict[int, int]]] = []


def register_year_counts(counter: Callable[[], dict[int, int]]) -> None:
    """Set the function counting yearly-figure rows per year (idempotent)."""
    if counter not in YEAR_COUNTS:
        YEAR_COUNTS.append(counter)


def _count_by_year() -> dict[int, int]:
    counts: dict[int, int] = {}
    for counter in YEAR_COUNTS:
        for year, n in counter().items():
            counts[year] = counts.get(year, 0) + n
    return counts


def data_years(min_count: int | None = None) -> list[int]:
    """Years inside the window with accepted yearly figures, ascending (one grouped query,
    memoised per data version). `min_count` (default KECHUANG_DEFAULT_YEAR_MIN_ROWS, 1) drops
    years with fewer rows."""
    from kechuang.core.datacache import memoised

    if min_count is None:
        min_count = int(getattr(settings, "KECHUANG_DEFAULT_YEAR_MIN_ROWS", 1))
    counts = memoised("years_with_figures", _count_by_year)
    first, last = first_year(), last_year()
    return sorted(y for y, n in counts.items() if first <= y <= last and n >= max(min_count, 1))


def default_year(min_count: int | None = None) -> int:
    """The latest year with accepted data; without any, the last completed calendar year
    (clamped to the window)."""
    years = data_years(min_count)
    if years:
        return years[-1]
    return max(first_year(), min(last_year(), dt.date.today().year - 1))


def year_choices(*, with_data: bool = False, descending: bool = True) -> list[tuple[int, str]]:
    """(year, label) pairs for a select: every year of the window, or only years with data."""
    years = data_years() if with_data else list(range(first_year(), last_year() + 1))
    years = sorted(years, reverse=descending)
    return [(y, str(y)) for y in years]


def parse_year(raw) -> int | None:
    """An in-window year from user input (query string, form value), or None."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        return None
    year = int(text)
    return year if in_window(year) else None


def selected_year(request, years: list[int] | None = None, *, param: str = "year") -> int:
    """The page's year: ?year= when it is a valid in-window year (and one of `years`, when
    given), else the default year. Never raises on bad input."""
    year = parse_year(request.GET.get(param))
    if year is not None and (years is None or year in years):
        return year
    default = default_year()
    if years and default not in years:
        in_win = [y for y in years if in_window(y)]
        if in_win:
            return in_win[-1]
    return default
