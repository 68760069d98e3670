"""Writing the annual report: assemble the registered sections into a document, render it as
docx, pdf or xlsx, and store generated files (`report_create`)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone, translation

from kechuang.dashboard.selectors import headline_figures

from .content import (
    CitedFigure,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    ReportContext,
    Signature,
    Table,
    TableBlock,
    Title,
)
from .logic.phrasing import (
    chinese_date,
    heading_ordinal,
    shi_ordinal,
    sub_ordinal,
    title_lines,
)
from .models import Report, ReportFormat
from .registry import registered_sections

__all__ = ["Rendered", "report_document", "report_render", "report_generate", "report_create"]

CONTENT_TYPES = {
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.PDF: "application/pdf",
    ReportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Rendered:
    """A rendered file: its bytes and, where the renderer knows it, its page count."""

    content: bytes
    pages: int | None = None


def _region_name() -> str:
    from kechuang.regions.selectors import home_region

    region = home_region()
    return region.name if region else ""


def report_title(year: int, region_name: str) -> str:
    return f"{region_name}科技局{year}年工作总结和{year + 1}年工作计划"


def report_filename(year: int, fmt: str, region_name: str) -> str:
    suffix = "统计表" if fmt == ReportFormat.XLSX else ""
    return f"{report_title(year, region_name)}{suffix}.{fmt}"


def report_document(year: int, *, date: dt.date | None = None) -> Document:
    """Run every registered section for `year` and assemble the document.

    Layout (like the seed): title; opening paragraphs; 一、{year}年工作进展 with the progress
    sections numbered 一是/二是…; 二、{year+1}年工作计划 likewise; issuer and date; annex 1 with
    the statistical tables, numbered （一）…; annex 2 listing every cited figure with its
    definition and how to reproduce it.
    """
    region = _region_name()
    figures = headline_figures(year)
    previous = headline_figures(year - 1)
    ctx = ReportContext(year, region_name=region, figures=figures, previous=previous)
    built = []
    with translation.override("zh-hans"):
        for entry in registered_sections():
            ctx.section = entry.key
            section = entry.builder(year, ctx)
            if section is not None:
                built.append(section)

    title = report_title(year, region)
    blocks: list = [Title(title, tuple(title_lines(title)))]
    where = {}  # section key → where it sits in the text, for the figures annex
    for section in (s for s in built if s.part == "opening"):
        where[section.key] = "导语"
        blocks += [Paragraph(p) for p in section.paragraphs]
    for n, (part, heading) in enumerate(
        (("progress", f"{year}年工作进展"), ("plan", f"{year + 1}年工作计划")), start=1
    ):
        sections = [s for s in built if s.part == part]
        if not sections:
            continue
        blocks.append(Heading(1, f"{heading_ordinal(n)}{heading}"))
        i = 0
        for section in sections:
            lead = ""
            where[section.key] = heading_ordinal(n).rstrip("、")
            if section.lead:
                i += 1
                lead = f"{shi_ordinal(i)}{section.lead}。"
                where[section.key] += f"·{shi_ordinal(i)}"
            for k, text in enumerate(section.paragraphs):
                blocks.append(Paragraph(text, lead=lead if k == 0 else ""))
    today = date or timezone.localdate()
    blocks.append(
        Signature(f"{region}科学技术局", chinese_date(today.year, today.month, today.day))
    )

    tables = [t for s in built for t in s.tables]
    if tables:
        blocks += [PageBreak(), Heading(0, "附件1"), Title(f"{year}年主要统计表")]
        for n, table in enumerate(tables, start=1):
            blocks += [Heading(2, f"{sub_ordinal(n)}{table.title}"), TableBlock(table)]
    blocks += [PageBreak(), Heading(0, f"附件{2 if tables else 1}"), Title("数据来源与口径说明")]
    blocks.append(
        Paragraph(
            "本报告中的数字均由平台按下列口径从业务记录实时计算生成，未经人工录入。"
            "每项数字可用所列命令或筛选条件复核，链接为平台中对应记录列表的地址。"
        )
    )
    blocks.append(TableBlock(figures_table(ctx.cited, where)))
    return Document(
        year=year,
        title=title,
        blocks=blocks,
        tables=tables,
        cited=list(ctx.cited),
        region_name=region,
    )


def figures_table(cited: list[CitedFigure], where: dict[str, str]) -> Table:
    """The annex of figures: every number of the report, where it appears, its definition and
    how to reproduce it (generated from the provenance the sections recorded)."""
    rows = [
        [
            n,
            f.provenance.label,
            f.text,
            where.get(f.section, f.section),
            f.provenance.definition,
            f.provenance.query,
            f.provenance.link or "",
        ]
        for n, f in enumerate(cited, start=1)
    ]
    return Table(
        key="figures",
        title="数据来源与口径说明",
        columns=["序号", "指标", "报告中的表述", "位置", "口径", "复核方法", "记录链接"],
        rows=rows,
        formats=["int", None, None, None, None, None, None],
        sheet="数据口径",
    )


def report_render(document: Document, fmt: str) -> Rendered:
    """Render an assembled document as `fmt` ("docx", "pdf" or "xlsx")."""
    if fmt == ReportFormat.DOCX:
        from .builders.docx import render_docx

        return Rendered(render_docx(document))
    if fmt == ReportFormat.PDF:
        from .builders.pdf import render_pdf

        content, pages = render_pdf(document)
        return Rendered(content, pages)
    if fmt == ReportFormat.XLSX:
        from .builders.xlsx import render_xlsx

        return Rendered(render_xlsx(document))
    raise ValueError(f"unknown report format {fmt!r}")


def report_generate(year: int, fmt: str) -> bytes:
    """The annual report of `year` as the bytes of a `fmt` file."""
    return report_render(report_document(year), fmt).content


@transaction.atomic
def report_create(*, year: int, fmt: str, user=None) -> Report:
    """Generate the report of `year` as `fmt` and store it (with who generated it, when, and
    how long it took). Returns the stored Report."""
    if fmt not in ReportFormat.values:
        raise ValueError(f"unknown report format {fmt!r}")
    started = time.perf_counter()
    document = report_document(year)
    rendered = report_render(document, fmt)
    duration_ms = round(1000 * (time.perf_counter() - started))
    return Report.objects.create(
        year=year,
        format=fmt,
        filename=report_filename(year, fmt, document.region_name),
        content=rendered.content,
        size=len(rendered.content),
        pages=rendered.pages,
        figures=len(document.cited),
        duration_ms=duration_ms,
        generated_by=user if user is not None and user.is_authenticated else None,
    )
