"""The saved filter of a zero-R&D list (零申报): a small, documented dict that a campaign stores
to regenerate its target set.

    {"kind": "zero_rd", "year": 2024, "town": 7, "industry": "34", "contradiction_only": true}

* kind — always "zero_rd" (other saved-filter kinds may follow);
* year — the statistical year whose declarations are examined;
* town — a town id, or null for every town the user may see;
* industry — a GB/T 4754-2017 division (2 digits), or null;
* contradiction_only — only enterprises holding a valid high-tech certificate or a tech-SME
  registration yet declaring zero R&D.

`kechuang.rnd.selectors.zero_rd_enterprises(spec, user)` turns it into the (user-scoped)
enterprises.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ZeroRdSpec", "ZERO_RD_KIND"]

ZERO_RD_KIND = "zero_rd"
_TRUE = {True, "true", "True", "1", "on", "yes"}


@dataclass(frozen=True)
class ZeroRdSpec:
    """A parsed zero-R&D saved filter (see the module docstring)."""

    year: int
    town: int | None = None
    industry: str | None = None
    contradiction_only: bool = False
    kind: str = ZERO_RD_KIND

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ZeroRdSpec:
        """Parse and validate; raises ValueError with a readable message."""
        if not isinstance(data, dict):
            raise ValueError("a filter spec is a JSON object")
        kind = data.get("kind", ZERO_RD_KIND)
        if kind != ZERO_RD_KIND:
            raise ValueError(f"unknown filter kind {kind!r}")
        unknown = set(data) - {"kind", "year", "town", "industry", "contradiction_only"}
        if unknown:
            raise ValueError(f"unknown filter keys: {', '.join(sorted(unknown))}")
        try:
            year = int(data["year"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError("year is required (a calendar year)") from exc
        if not 2000 <= year <= 2100:
            raise ValueError("year out of range")
        town = data.get("town")
        if town in ("", None):
            town = None
        else:
            try:
                town = int(town)
            except (TypeError, ValueError) as exc:
                raise ValueError("town is a town id") from exc
            if not 1 <= town <= 2**63 - 1:  # a database id (64-bit integer)
                raise ValueError("town is a town id")
        industry = data.get("industry") or None
        if industry is not None and not (
            isinstance(industry, str) and len(industry) == 2 and industry.isdigit()
        ):
            raise ValueError("industry is a 2-digit division code")
        return cls(
            year=year,
            town=town,
            industry=industry,
            contradiction_only=data.get("contradiction_only", False) in _TRUE,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-safe dict stored with a campaign (key order as documented)."""
        d = asdict(self)
        return {k: d[k] for k in ("kind", "year", "town", "industry", "contradiction_only")}
