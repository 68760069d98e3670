"""Transition tables of technology demands and brokering records (docs/cooperation.md#workflows).

Every move is looked up in a table: a move that is not in the table is refused. The values are
the stored choice values of `choices.DemandStatus` and `choices.BrokeringStage`.
"""

from __future__ import annotations

import datetime as dt

__all__ = [
    "DEMAND_TRANSITIONS",
    "BROKERING_TRANSITIONS",
    "BROKERING_ORDER",
    "can_move",
    "demand_status_after_brokering",
    "expiry_date",
    "is_expired",
]

# Demand: open → matched → in negotiation → contracted → closed; open/matched/negotiating may be
# closed by hand or expire; an expired or closed demand is reopened only by renewal.
DEMAND_TRANSITIONS: dict[str, frozenset[str]] = {
    "open": frozenset({"matched", "closed", "expired"}),
    "matched": frozenset({"negotiating", "open", "closed", "expired"}),
    "negotiating": frozenset({"contracted", "matched", "closed", "expired"}),
    "contracted": frozenset({"closed"}),
    "closed": frozenset({"open"}),  # renewal
    "expired": frozenset({"open"}),  # renewal
}

# Brokering: candidate → contacted → meeting (one or more) → negotiation → technical contract;
# closed with a reason from any open stage. "contracted" is reached only when a technical
# contract that came from the record is registered.
BROKERING_TRANSITIONS: dict[str, frozenset[str]] = {
    "candidate": frozenset({"contacted", "closed"}),
    "contacted": frozenset({"meeting", "closed"}),
    "meeting": frozenset({"meeting", "negotiation", "closed"}),
    "negotiation": frozenset({"contracted", "closed"}),
    "contracted": frozenset(),
    "closed": frozenset(),
}
BROKERING_ORDER = ("candidate", "contacted", "meeting", "negotiation", "contracted")
BROKERING_MANUAL_TARGETS = frozenset({"contacted", "meeting", "negotiation", "closed"})


def can_move(table: dict[str, frozenset[str]], current: str, target: str) -> bool:
    return target in table.get(current, frozenset())


def demand_status_after_brokering(current: str, stages: list[str]) -> str:
    """The demand's status implied by its brokering records: matched once a supplier is named,
    in negotiation once a record negotiates, contracted once one is contracted. A closed or
    expired demand keeps its status; a demand never moves back because a record closed."""
    if current in {"closed", "expired", "contracted"}:
        return current
    rank = {"open": 0, "matched": 1, "negotiating": 2, "contracted": 3}
    implied = "open"
    if stages:
        implied = "matched"
    if any(s == "negotiation" for s in stages):
        implied = "negotiating"
    if any(s == "contracted" for s in stages):
        implied = "contracted"
    return implied if rank[implied] > rank.get(current, 0) else current


def expiry_date(start: dt.date, days: int) -> dt.date:
    """A demand is open for `days` days from posting or renewal (the day itself counted)."""
    return start + dt.timedelta(days=days)


def is_expired(expires_on: dt.date | None, today: dt.date) -> bool:
    """Expired the day after `expires_on` (the expiry day itself is still open)."""
    return expires_on is not None and today > expires_on
