"""Shared field validators: plain text without control characters, plausible dates, decimals
that fit their field.

Names and titles are shown on pages, in exports and in official reports; bidirectional-override
characters (Unicode UAX #9: U+202A–U+202E, U+2066–U+2069) can make a name display as something
else, and other control characters corrupt exports, so both are refused.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

__all__ = [
    "BIDI_CONTROLS",
    "validate_plain_text",
    "validate_single_line",
    "PlausibleDateValidator",
    "validate_plausible_date",
    "earliest_date",
    "latest_date",
    "decimal_places_error",
]

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))

# The earliest date a record of the bureau can carry: the founding of the People's Republic.
DEFAULT_EARLIEST_DATE = dt.date(1949, 10, 1)
DEFAULT_FUTURE_YEARS = 10


def _bad_character(value: str, *, allow_newlines: bool) -> str | None:
    for ch in value:
        if ch in BIDI_CONTROLS:
            return ch
        if allow_newlines and ch in "\n\r\t":
            continue
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch not in "\u200d"):
            return ch
    return None


def _check(value, *, allow_newlines: bool) -> None:
    if not isinstance(value, str) or not value:
        return
    ch = _bad_character(value, allow_newlines=allow_newlines)
    if ch is not None:
        raise ValidationError(
            _("Remove the invisible control character (U+%(code)s) from the text."),
            code="control_character",
            params={"code": f"{ord(ch):04X}"},
        )


def validate_single_line(value) -> None:
    """Names, titles, numbers: no control, format or bidi-override characters, no line breaks."""
    _check(value, allow_newlines=False)


def validate_plain_text(value) -> None:
    """Notes and descriptions: like names, but line breaks and tabs are allowed."""
    _check(value, allow_newlines=True)


def earliest_date() -> dt.date:
    value = getattr(settings, "KECHUANG_EARLIEST_DATE", DEFAULT_EARLIEST_DATE)
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


# Expiry dates lie further ahead: an invention patent runs 20 years from filing (专利法 第四十二条)
# and a legal person's software copyright 50 years from first publication (计算机软件保护条例
# 第十四条), so a term that starts today may end 50 years from now.
EXPIRY_FUTURE_YEARS = 60


def latest_date(today: dt.date | None = None, *, future_years: int | None = None) -> dt.date:
    years = (
        future_years
        if future_years is not None
        else int(getattr(settings, "KECHUANG_MAX_FUTURE_YEARS", DEFAULT_FUTURE_YEARS))
    )
    today = today or dt.date.today()
    try:
        return today.replace(year=today.year + years)
    except ValueError:  # 29 February
        return today.replace(year=today.year + years, day=28)


@deconstructible
class PlausibleDateValidator:
    """A date between 1949-10-01 and 10 years from today (settings KECHUANG_EARLIEST_DATE and
    KECHUANG_MAX_FUTURE_YEARS)."""

    code = "implausible_date"

    def __init__(self, future_years: int | None = None):
        self.future_years = future_years

    def __call__(self, value) -> None:
        if not isinstance(value, dt.date):
            return
        if isinstance(value, dt.datetime):
            value = value.date()
        first, last = earliest_date(), latest_date(future_years=self.future_years)
        if not first <= value <= last:
            raise ValidationError(
                _("The date must be between %(first)s and %(last)s."),
                code=self.code,
                params={"first": first.isoformat(), "last": last.isoformat()},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, PlausibleDateValidator) and other.future_years == self.future_years

    def __hash__(self) -> int:
        return hash((self.code, self.future_years))


validate_plausible_date = PlausibleDateValidator()
# Expiry and validity-end dates (see EXPIRY_FUTURE_YEARS).
validate_plausible_expiry = PlausibleDateValidator(future_years=EXPIRY_FUTURE_YEARS)


def decimal_places_error(value, places: int) -> str | None:
    """A message when `value` has more decimal places than `places` (instead of rounding)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    if not number.is_finite():
        return None
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        return str(_("Enter at most %(places)s decimal places.")) % {"places": places}
    return None
