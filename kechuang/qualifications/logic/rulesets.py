"""Versioned rule-set data: every threshold and band with its clause, status and start date.

The numbers live in ``logic/rulesets/*.json`` (one file per rule-set version); this module
loads them as exact rationals (decimal strings become :class:`fractions.Fraction`) and picks
the rule set in force on an evaluation date.

Status values (spec, preamble):

* ``CONFIRMED`` – checked against the official text;
* ``SECONDARY`` – only third-party material quotes it;
* ``UNCONFIRMED`` – inferred or provisional; the UI must show 待政策核实
  ("pending policy verification") next to anything that depends on it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

RULESET_DIR = Path(__file__).with_name("rulesets")
PENDING_LABEL_ZH = "待政策核实"
STATUSES = ("CONFIRMED", "SECONDARY", "UNCONFIRMED")
_DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")


def _exact(value: Any) -> Any:
    """Turn decimal strings (recursively) into Fractions; leave everything else alone."""
    if isinstance(value, str) and _DECIMAL_RE.match(value):
        return Fraction(value)
    if isinstance(value, list):
        return [_exact(v) for v in value]
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class RuleItem:
    """One configurable rule value with its provenance."""

    key: str
    value: Any
    unit: str
    op: str
    clause: str
    status: str
    effective_from: date
    label_zh: str

    @property
    def pending_verification(self) -> bool:
        """True when the UI must show 待政策核实 (status UNCONFIRMED)."""
        return self.status == "UNCONFIRMED"


@dataclass(frozen=True)
class RuleSet:
    """A versioned set of rule items (``version`` is echoed as ``rule_set_version``)."""

    version: str
    effective_from: date
    items: dict[str, RuleItem] = field(repr=False)
    notes: tuple[str, ...] = ()

    def __getitem__(self, key: str) -> RuleItem:
        return self.items[key]

    def v(self, key: str) -> Any:
        """The (exact) value of item ``key``."""
        return self.items[key].value

    def unconfirmed(self) -> list[str]:
        """Keys of every UNCONFIRMED item (shown as 待政策核实)."""
        return sorted(k for k, it in self.items.items() if it.status == "UNCONFIRMED")

    def describe(self, key: str) -> dict[str, Any]:
        """Plain-JSON description of one item for the UI."""
        it = self.items[key]
        return {
            "key": key,
            "status": it.status,
            "clause": it.clause,
            "label_zh": it.label_zh,
            "pending_verification": it.pending_verification,
            "effective_from": it.effective_from.isoformat(),
        }


def _parse(data: dict[str, Any]) -> RuleSet:
    items = {}
    for key, raw in data["items"].items():
        if raw["status"] not in STATUSES:
            raise ValueError(f"rule item {key}: bad status {raw['status']!r}")
        items[key] = RuleItem(
            key=key,
            value=_exact(raw["value"]),
            unit=raw.get("unit", ""),
            op=raw.get("op", ""),
            clause=raw["clause"],
            status=raw["status"],
            effective_from=date.fromisoformat(raw["effective_from"]),
            label_zh=raw.get("label_zh", ""),
        )
    return RuleSet(
        version=data["version"],
        effective_from=date.fromisoformat(data["effective_from"]),
        items=items,
        notes=tuple(data.get("notes", ())),
    )


@lru_cache(maxsize=1)
def load_rulesets() -> tuple[RuleSet, ...]:
    """All rule sets shipped in ``logic/rulesets/``, oldest first."""
    sets = [
        _parse(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(RULESET_DIR.glob("*.json"))
    ]
    return tuple(sorted(sets, key=lambda rs: rs.effective_from))


def get_ruleset(on: date | None = None) -> RuleSet:
    """The rule set in force on ``on`` (latest ``effective_from <= on``); newest if ``on`` is None."""
    sets = load_rulesets()
    if on is None:
        return sets[-1]
    eligible = [rs for rs in sets if rs.effective_from <= on]
    if not eligible:
        raise LookupError(f"no rule set in force on {on.isoformat()}")
    return eligible[-1]
