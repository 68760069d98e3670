"""The enterprise file (一企一档, docs/enterprise-file.md): the registry of its panels and of the
sources of its one timeline.

The enterprises app sits below the modules whose records make up the file (qualifications, R&D,
campaigns, platforms, programmes, cooperation). Each of them registers its panel and its dated
events here from its AppConfig.ready(), so this layer never imports a higher one
(docs/architecture.md#registries).

A panel or timeline source declares the capability a viewer needs to see it; the enterprise
itself has been found inside the viewer's scope before the file is built (404 otherwise), and a
builder reads only that enterprise's rows, through the module's own scoped querysets where the
module narrows them further (an agency member sees only the tasks assigned to them).

Builders run a bounded number of queries whatever the number of linked records
(docs/enterprise-file.md#bounded-queries).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kechuang.core.access import can

__all__ = [
    "FileContext",
    "Panel",
    "TimelineEvent",
    "TimelineSource",
    "PANELS",
    "TIMELINE_SOURCES",
    "register_panel",
    "register_timeline",
    "visible_panels",
    "visible_sources",
    "build_panels",
    "build_timeline",
]


@dataclass
class FileContext:
    """What every builder receives: the enterprise (inside the viewer's scope), the viewer and
    the day the file is read on."""

    enterprise: Any
    user: Any
    today: dt.date = field(default_factory=timezone.localdate)


@dataclass(frozen=True)
class Panel:
    """One panel of the file: `build(ctx)` returns the template's context (None hides it)."""

    key: str
    title: Any
    order: int
    template: str
    build: Callable[[FileContext], dict | None]
    capability: str | None = None  # None: whoever may open the file


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event of one module, shown on the file's timeline."""

    date: dt.date
    module: str
    title: str
    detail: str = ""
    url: str = ""


@dataclass(frozen=True)
class TimelineSource:
    """The dated events one module contributes (`events(ctx)`), under a filter label."""

    module: str
    label: Any
    order: int
    events: Callable[[FileContext], Iterable[TimelineEvent]]
    capability: str | None = None


PANELS: list[Panel] = []
TIMELINE_SOURCES: list[TimelineSource] = []


def register_panel(*panels: Panel) -> None:
    """Add panels (a key registered again replaces the earlier one: ready() may run twice)."""
    for panel in panels:
        PANELS[:] = [p for p in PANELS if p.key != panel.key]
        PANELS.append(panel)
    PANELS.sort(key=lambda p: (p.order, p.key))


def register_timeline(*sources: TimelineSource) -> None:
    for source in sources:
        TIMELINE_SOURCES[:] = [s for s in TIMELINE_SOURCES if s.module != source.module]
        TIMELINE_SOURCES.append(source)
    TIMELINE_SOURCES.sort(key=lambda s: (s.order, s.module))


def _allowed(user: Any, capability: str | None) -> bool:
    return capability is None or can(user, capability)


def visible_panels(user: Any) -> list[Panel]:
    return [p for p in PANELS if _allowed(user, p.capability)]


def visible_sources(user: Any) -> list[TimelineSource]:
    return [s for s in TIMELINE_SOURCES if _allowed(user, s.capability)]


def build_panels(ctx: FileContext) -> list[dict]:
    """The panels the viewer may see, each {key, title, template, data}, in their order."""
    panels = []
    for panel in visible_panels(ctx.user):
        data = panel.build(ctx)
        if data is not None:
            panels.append(
                {"key": panel.key, "title": panel.title, "template": panel.template, "data": data}
            )
    return panels


def build_timeline(
    ctx: FileContext, *, module: str | None = None, limit: int = 200
) -> list[TimelineEvent]:
    """One timeline across the modules the viewer may see, newest first; `module` keeps one."""
    events: list[TimelineEvent] = []
    for source in visible_sources(ctx.user):
        if module and source.module != module:
            continue
        events.extend(source.events(ctx))
    events.sort(key=lambda e: (e.date, e.module, e.title), reverse=True)
    return events[:limit]
