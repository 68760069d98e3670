"""The registry of notification kinds. This app sits in the notices layer: it knows no
enterprise, task or programme. Each higher app registers its kinds from its AppConfig.ready()
(through its `reminders.py`), with a generator for the kinds the daily job computes and none
for the kinds an event sends through `services.notify` (docs/notifications.md#kinds).

A generator is `(rule, today) -> iterable of Reminder` computed in bulk (querysets and
`values()`, never one query per row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

__all__ = ["Kind", "Reminder", "KINDS", "register_kind", "get_kind", "LeadUnit"]


class LeadUnit:
    """The unit a kind's lead time is counted in."""

    NONE = ""  # the kind is sent when the event happens
    DAYS = "days"
    MONTHS = "months"


class Reminder(NamedTuple):
    """One notification to compute: its recipients and content. `key` is unique for the thing
    reminded of (e.g. one certificate's expiry date), so a second run adds nothing; `target`
    is an optional (app_label.model, pk) reference to the object."""

    recipient_ids: Iterable[int]
    key: str
    title: str
    body: str
    link: str
    target: tuple[str, int] | None = None


Generator = Callable[[Any, dt.date], Iterable[Reminder | tuple]]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # a lazy translation
    description: Any
    generator: Generator | None = None
    default_lead: int = 0
    lead_unit: str = LeadUnit.NONE
    default_email: bool = False
    order: int = 100


KINDS: dict[str, Kind] = {}


def register_kind(
    code: str,
    label: Any,
    description: Any,
    generator: Generator | None = None,
    *,
    default_lead: int = 0,
    lead_unit: str = LeadUnit.NONE,
    default_email: bool = False,
    order: int = 100,
) -> Kind:
    """Register (or re-register, for reloads) a notification kind."""
    if lead_unit not in (LeadUnit.NONE, LeadUnit.DAYS, LeadUnit.MONTHS):
        raise ValueError(f"unknown lead unit {lead_unit!r}")
    kind = Kind(
        code=code,
        label=label,
        description=description,
        generator=generator,
        default_lead=default_lead,
        lead_unit=lead_unit,
        default_email=default_email,
        order=order,
    )
    KINDS[code] = kind
    return kind


def get_kind(code: str) -> Kind | None:
    return KINDS.get(code)


def ordered_kinds() -> list[Kind]:
    return sorted(KINDS.values(), key=lambda k: (k.order, k.code))
