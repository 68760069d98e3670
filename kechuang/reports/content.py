"""The structured content of a report, independent of its file format.

Section builders return a `Section` (paragraphs and tables); every number they put in the text goes
through `ReportContext.cite`, which records the figure with its provenance (definition, unit,
source). `services.report_document` assembles the sections into a
`Document` — a flat list of blocks — which the docx, pdf and xlsx builders render.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Provenance",
    "CitedFigure",
    "Table",
    "Section",
    "ReportContext",
    "Title",
    "Heading",
    "Paragraph",
    "TableBlock",
    "PageBreak",
    "Signature",
    "DateLine",
    "Document",
]


# ------------------------------------------------------------------ figures and provenance


@dataclass(frozen=True)
class Provenance:
    """What a figure means, for the statistical annex.

    label: the figure's name (Chinese); definition: its statistical definition and scope;
    unit: its unit of measurement; source: where the underlying data come from (the issuing
    department or list). link: the records behind it in the platform, for the web pages only —
    never printed in the report.
    """

    label: str
    definition: str
    unit: str
    source: str
    link: str | None = None


@dataclass(frozen=True)
class CitedFigure:
    """One figure as it appears in the report: the value, its text, and its provenance."""

    key: str
    value: Any
    text: str
    provenance: Provenance
    section: str


@dataclass
class Table:
    """A statistical table: shown in annex 1 of the document and as a sheet of the workbook.

    rows hold plain values (numbers stay numbers for the workbook); `formats` gives per column
    how the document writes them: "int", "num" (up to two decimals), "pct1", "pct2", "wan" (yuan →
    万元), "yi" (yuan → 亿元)
    or None for text.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    formats: list[str | None] = field(default_factory=list)
    note: str = ""
    sheet: str = ""
    widths: list[float] = field(default_factory=list)  # relative column widths on the page


@dataclass
class Section:
    """What one registered builder contributes.

    part: "opening" (before the first heading), "progress" (the year's work, numbered 一是/二是…)
    or "plan" (next year's plan, numbered likewise). lead: the lead phrase that follows 一是;
    a section without lead (e.g. the plan's introduction) is not numbered.
    """

    key: str
    part: str
    lead: str = ""
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


class ReportContext:
    """Shared state of one report run: the year, the headline figures (loaded once) and the
    figures cited so far, in order of first use."""

    def __init__(
        self,
        year: int,
        *,
        region_name: str,
        figures: dict,
        previous: dict,
        texts: dict[str, str] | None = None,
    ):
        self.year = year
        self.region_name = region_name
        self.figures = figures
        self.previous = previous
        self.texts = texts or {}  # paragraph key → the bureau's wording (else the shipped one)
        self.cited: list[CitedFigure] = []
        self.section = ""
        self.cache: dict[str, Any] = {}

    def cite(self, key: str, value: Any, text: str, provenance: Provenance) -> str:
        """Record a figure used in the text of the current section and return its text."""
        if not any(c.key == key for c in self.cited):
            self.cited.append(CitedFigure(key, value, text, provenance, self.section))
        return text


# ------------------------------------------------------------------ the assembled document


@dataclass(frozen=True)
class Title:
    """A centred title; `lines` is how it breaks (GB/T 9704: at a whole word)."""

    text: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """level 1: 一、 in 黑体; level 2: （一） in 楷体; level 0: an annex label (附件1)."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # "一是聚焦……。", set in bold before the text


@dataclass(frozen=True)
class TableBlock:
    table: Table


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Signature:
    issuer: str
    date: str


@dataclass(frozen=True)
class DateLine:
    """A centred line under the title, in 楷体: "（数据截至2025年2月10日）"."""

    text: str


@dataclass
class Document:
    """A report ready to render: blocks in reading order, plus what the builders need aside."""

    year: int
    title: str
    blocks: list
    tables: list[Table]
    cited: list[CitedFigure]
    region_name: str
    as_of: object = None  # the date the data stand at (datetime.date)
