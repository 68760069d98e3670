"""One way to show a figure, on pages and in charts: yuan → 万元 / 亿元, percentages, counts.

Every figure a page or chart shows passes through `round_half_up` (四舍五入, the rounding of
statistical tables), so a table cell and the chart bar of the same figure always agree: a
table once truncated 554 609 999 yuan to 55460 万元 while its chart rounded it to 55461.
Displayed text uses "," as thousands separator and "." as decimal point in every language.
Charts take the rounded number as a float (`chart_value`, `chart_wan`, `chart_yi`).

Round only for display, never before comparing or adding figures.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "DASH",
    "WAN",
    "YI",
    "round_half_up",
    "yuan_to_wan",
    "yuan_to_yi",
    "format_number",
    "format_wan",
    "format_yi",
    "format_pct",
    "chart_value",
    "chart_wan",
    "chart_yi",
]

DASH = "—"
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _decimal(value) -> Decimal | None:
    """`value` (int, float, Decimal or numeric string) as a Decimal; None when it is not a
    finite number (None, "", NaN, text)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = repr(value)  # the shortest text that reads back as this float
    try:
        d = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() else None


def round_half_up(value, places: int = 0) -> Decimal | None:
    """`value` rounded to `places` decimals, halves away from zero (2.345 → 2.35,
    −0.5 → −1); None when `value` is not a number."""
    d = _decimal(value)
    if d is None:
        return None
    result = d.quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP)
    return result + 0 if result else Decimal(0).quantize(result)  # no "−0"


def yuan_to_wan(value, places: int = 2) -> Decimal | None:
    """Yuan → 万元, rounded half up to `places` decimals."""
    d = _decimal(value)
    return None if d is None else round_half_up(d / WAN, places)


def yuan_to_yi(value, places: int = 2) -> Decimal | None:
    """Yuan → 亿元, rounded half up to `places` decimals."""
    d = _decimal(value)
    return None if d is None else round_half_up(d / YI, places)


def format_number(value, places: int | None = 0, *, grouping: bool = True) -> str:
    """`value` as text with thousands separators ("1,234.50"), rounded half up to `places`
    decimals (None: as many as the value has). "—" when there is no number."""
    d = _decimal(value)
    if d is None:
        return DASH
    if places is not None:
        d = round_half_up(d, places)
    elif d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    text = f"{d:,f}" if grouping else f"{d:f}"
    return text if text not in ("-0", "-0.0", "-0.00") else text[1:]


def format_wan(value, places: int = 2) -> str:
    """Yuan shown in 万元 ("55,461"), rounded half up."""
    return format_number(yuan_to_wan(value, places), places)


def format_yi(value, places: int = 2) -> str:
    """Yuan shown in 亿元 ("8.42"), rounded half up."""
    return format_number(yuan_to_yi(value, places), places)


def format_pct(value, places: int = 1) -> str:
    """A number of percent (3.36 means 3.36 %) shown with `places` decimals, without the sign."""
    return format_number(value, places)


def chart_value(value, places: int = 0) -> float | None:
    """The number a chart plots for `value`: the same rounding as the page shows."""
    d = round_half_up(value, places)
    return None if d is None else float(d)


def chart_wan(yuan, places: int = 0) -> float | None:
    """Yuan → 万元 for a chart, rounded like `format_wan`."""
    d = yuan_to_wan(yuan, places)
    return None if d is None else float(d)


def chart_yi(yuan, places: int = 2) -> float | None:
    """Yuan → 亿元 for a chart, rounded like `format_yi`."""
    d = yuan_to_yi(yuan, places)
    return None if d is None else float(d)
