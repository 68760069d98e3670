"""The report section registry: domain apps contribute sections to the annual report, in order.

An app registers a builder in its AppConfig.ready() (or a module imported from it):

    register_section(300, "programmes", programmes_section)

A builder is `builder(year, ctx) -> Section | None`; it reads figures through selectors, writes
every number through `ctx.cite(...)` (so the appendix lists it with its provenance) and returns
None when it has nothing to say for the year.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .content import ReportContext, Section

__all__ = ["SectionEntry", "register_section", "registered_sections"]

Builder = Callable[[int, ReportContext], Section | None]


@dataclass(frozen=True)
class SectionEntry:
    order: int
    key: str
    builder: Builder


_SECTIONS: dict[str, SectionEntry] = {}


def register_section(order: int, key: str, builder: Builder) -> None:
    """Register (or replace, by key) a section builder; sections run in ascending `order`."""
    _SECTIONS[key] = SectionEntry(order, key, builder)


def registered_sections() -> list[SectionEntry]:
    """The registered sections in report order (order, then key)."""
    return sorted(_SECTIONS.values(), key=lambda e: (e.order, e.key))
