"""Unified social credit code (统一社会信用代码) check, GB 32100-2015.

The code has 18 characters from a 31-character alphabet (digits and upper-case letters without
I, O, Z, S, V). Characters 1-2 are the registration authority and organisation category,
3-8 the administrative division code (digits), 9-17 the organisation code, and 18 a check
character computed from the first 17 (GB 32100-2015 §4.5, weights 3^i mod 31).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18

__all__ = ["ALPHABET", "check_character", "validate_credit_code", "CreditCodeError"]


class CreditCodeError(ValueError):
    """A credit code is malformed. `code` names the problem; `expected` is set for a bad check."""

    def __init__(self, code: str, expected: str | None = None):
        super().__init__(code)
        self.code = code
        self.expected = expected


def check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a credit code.

    Raises CreditCodeError("charset") if a character is outside the alphabet.
    """
    try:
        total = sum(VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    except (KeyError, ValueError) as exc:
        raise CreditCodeError("charset") from exc
    return ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Normalise (strip, upper-case) and validate a credit code; return the normalised code.

    Raises CreditCodeError with code "length", "charset", "division" or "check" (then
    `expected` holds the correct check character).
    """
    code = (value or "").strip().upper()
    if len(code) != LENGTH:
        raise CreditCodeError("length")
    if any(ch not in VALUE for ch in code):
        raise CreditCodeError("charset")
    if not code[2:8].isdigit():
        raise CreditCodeError("division")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError("check", expected)
    return code
