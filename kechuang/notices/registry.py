"""How owner apps learn what happens to their notice items.

An owner app registers one handler per notice kind from its AppConfig.ready():
``NOTICE_HANDLERS[NoticeKind.PROGRAMME_PROJECTS] = handler``; the handler is called as
``handler(event, item)`` after the change commits, with event one of EVENTS:
- ``item_held``: the item received its first open objection;
- ``item_released``: its last open objection was closed (``item.outcome`` is ``removed`` when an
  objection was upheld);
- ``finalised``: the final list was published (``item.outcome`` confirmed or removed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

__all__ = ["EVENTS", "ITEM_HELD", "ITEM_RELEASED", "FINALISED", "NOTICE_HANDLERS", "notify"]

ITEM_HELD = "item_held"
ITEM_RELEASED = "item_released"
FINALISED = "finalised"
EVENTS = (ITEM_HELD, ITEM_RELEASED, FINALISED)

NOTICE_HANDLERS: dict[str, Callable] = {}


def notify(kind: str, event: str, items) -> None:
    """Call the kind's handler for each item once the current transaction commits."""
    handler = NOTICE_HANDLERS.get(kind)
    if handler is None:
        return
    for item in items:
        transaction.on_commit(lambda i=item: handler(event, i))
