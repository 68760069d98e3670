"""Saved filters (a campaign's target set) as plain dicts: parsing and describing them.

A saved filter is a JSON-able dict such as {"kind": "zero_rd", "year": 2024, "town": 3,
"contradiction_only": true}. It arrives as form fields (strings) from the zero-R&D list's
"create visit tasks" button, so parsing accepts "true"/"on"/"1" and numeric strings.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FilterSpecError", "KNOWN_KINDS", "normalise_filter_spec"]

KNOWN_KINDS = ("above_scale", "zero_rd")
_TRUE = {"1", "true", "on", "yes"}
_FALSE = {"", "0", "false", "off", "no"}
_INT_FIELDS = ("year", "town")
_BOOL_FIELDS = ("contradiction_only",)


class FilterSpecError(ValueError):
    """Field-level problems of a saved filter: `errors` maps field name → message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def _int(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError
    return int(str(value).strip())


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError


def normalise_filter_spec(raw: Mapping, *, first_year: int = 2000, last_year: int = 2100) -> dict:
    """A clean saved-filter dict from `raw` (a dict or form data); unknown keys are dropped.

    Requires `kind` (one of KNOWN_KINDS) and `year`. Raises FilterSpecError with one message
    per bad field.
    """
    errors: dict[str, str] = {}
    spec: dict = {}
    kind = str(raw.get("kind") or "").strip()
    if kind not in KNOWN_KINDS:
        errors["kind"] = "unknown target kind"
    spec["kind"] = kind
    for name in _INT_FIELDS:
        try:
            value = _int(raw.get(name))
        except ValueError:
            errors[name] = "not a whole number"
            continue
        if value is not None:
            spec[name] = value
    if "year" not in spec and "year" not in errors:
        errors["year"] = "required"
    elif "year" in spec and not first_year <= spec["year"] <= last_year:
        errors["year"] = f"must be between {first_year} and {last_year}"
    for name in _BOOL_FIELDS:
        if name in raw:
            try:
                spec[name] = _bool(raw.get(name))
            except ValueError:
                errors[name] = "not true or false"
    industry = str(raw.get("industry") or "").strip()
    if industry:
        if len(industry) == 2 and industry.isdigit():
            spec["industry"] = industry
        else:
            errors["industry"] = "a 2-digit industry division code"
    if errors:
        raise FilterSpecError(errors)
    if not spec.get("contradiction_only"):
        spec.pop("contradiction_only", None)
    return spec
