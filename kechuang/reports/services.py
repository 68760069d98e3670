"""Writing the annual report: assemble the registered sections into a document, render it as
docx, pdf or xlsx, and store generated files (`report_create`)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import translation
from simple_history.utils import bulk_create_with_history

from kechuang.dashboard.selectors import headline_figures

from .content import (
    CitedFigure,
    DateLine,
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
from .models import Report, ReportFormat, ReportParagraph
from .paragraphs import PARAGRAPHS, paragraph_spec, placeholder_problems
from .registry import registered_sections
from .selectors import data_as_of, paragraph_texts

__all__ = [
    "Rendered",
    "report_document",
    "report_render",
    "report_generate",
    "report_create",
    "report_paragraph_save",
    "report_paragraphs_seed",
    "report_paragraph_preview",
]

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


def report_document(
    year: int, *, as_of: dt.date | None = None, texts: dict[str, str] | None = None
) -> Document:
    """Run every registered section for `year` and assemble the document.

    Layout: title and the date the data stand at; opening paragraphs; 一、{year}年工作进展 with
    the progress sections numbered 一是/二是…; 二、{year+1}年工作计划 likewise; issuer and the
    data date; annex 1 with the statistical tables, numbered （一）…; the last annex explains
    every figure (definition and scope, unit, source). `texts` overrides the stored wording
    (the preview of an edit).
    """
    region = _region_name()
    figures = headline_figures(year)
    previous = headline_figures(year - 1)
    stored = paragraph_texts()
    if texts:
        stored.update(texts)
    ctx = ReportContext(year, region_name=region, figures=figures, previous=previous, texts=stored)
    built = []
    with translation.override("zh-hans"):
        for entry in registered_sections():
            ctx.section = entry.key
            section = entry.builder(year, ctx)
            if section is not None:
                built.append(section)

    as_of = as_of or data_as_of(year)
    as_of_text = chinese_date(as_of.year, as_of.month, as_of.day)
    title = report_title(year, region)
    blocks: list = [Title(title, tuple(title_lines(title))), DateLine(f"（数据截至{as_of_text}）")]
    for section in (s for s in built if s.part == "opening"):
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
            if section.lead:
                i += 1
                lead = f"{shi_ordinal(i)}{section.lead}。"
            for k, text in enumerate(section.paragraphs):
                blocks.append(Paragraph(text, lead=lead if k == 0 else ""))
    blocks.append(Signature(f"{region}科学技术局", as_of_text))

    tables = [t for s in built for t in s.tables]
    if tables:
        blocks += [PageBreak(), Heading(0, "附件1"), Title(f"{year}年主要统计表")]
        for n, table in enumerate(tables, start=1):
            blocks += [Heading(2, f"{sub_ordinal(n)}{table.title}"), TableBlock(table)]
    blocks += [PageBreak(), Heading(0, f"附件{2 if tables else 1}"), Title("主要统计指标解释")]
    scope = f"{region}行政区域内登记注册的企业和机构" if region else "本地区登记注册的企业和机构"
    blocks.append(
        Paragraph(
            f"本报告数据截至{as_of_text}。统计范围为{scope}；"
            "除另有说明外，企业数按年度计，金额按当年价格计算。"
            "报告正文引用的各项指标，其统计口径、计量单位和数据来源见下表。"
        )
    )
    blocks.append(TableBlock(figures_table(ctx.cited)))
    return Document(
        year=year,
        title=title,
        blocks=blocks,
        tables=tables,
        cited=list(ctx.cited),
        region_name=region,
        as_of=as_of,
    )


def figures_table(cited: list[CitedFigure]) -> Table:
    """The annex of figures: every figure the report states, with its definition and scope,
    unit and source."""
    rows = [
        [
            n,
            f.provenance.label,
            f.text,
            f.provenance.unit,
            f.provenance.definition,
            f.provenance.source,
        ]
        for n, f in enumerate(cited, start=1)
    ]
    return Table(
        key="figures",
        title="主要统计指标解释",
        columns=["序号", "指标名称", "报告中的表述", "计量单位", "统计口径及范围", "数据来源"],
        rows=rows,
        formats=["int", None, None, None, None, None],
        sheet="指标解释",
        widths=[0.45, 1.6, 1.2, 0.6, 3.2, 2.0],
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
def report_create(*, year: int, fmt: str, user: Any = None) -> Report:
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


class ParagraphError(ValueError):
    """A paragraph's wording that cannot be saved; `message` says why, in Chinese."""


@transaction.atomic
def report_paragraph_save(*, key: str, text: str, user: Any = None) -> ReportParagraph:
    """Save the bureau's wording of paragraph `key` as a new version (history keeps who saved
    which version when). Unknown placeholders are refused (the form shows them first)."""
    spec = paragraph_spec(key)
    if spec is None:
        raise ParagraphError(key)
    text = text.strip()
    unknown, stray = placeholder_problems(text)
    if unknown or stray or not text:
        raise ParagraphError(key)
    paragraph = ReportParagraph.objects.select_for_update().filter(key=key).first()
    if paragraph is None:
        paragraph = ReportParagraph(key=key, text=text, version=1)
    elif paragraph.text == text:
        return paragraph
    else:
        paragraph.text = text
        paragraph.version += 1
    paragraph.updated_by = user if user is not None and user.is_authenticated else None
    paragraph._history_user = paragraph.updated_by  # type: ignore[attr-defined]
    paragraph.full_clean()
    paragraph.save()
    return paragraph


def report_paragraphs_seed() -> int:
    """Store the shipped wording of every paragraph that has no row yet (on first use of the
    edit page), as version 1 with its history record. Returns how many were created."""
    existing = set(ReportParagraph.objects.values_list("key", flat=True))
    missing = [
        ReportParagraph(key=spec.key, text=spec.default, version=1)
        for spec in PARAGRAPHS
        if spec.key not in existing
    ]
    if missing:
        bulk_create_with_history(missing, ReportParagraph, ignore_conflicts=True)
    return len(missing)


def report_paragraph_preview(*, key: str, text: str, year: int) -> str:
    """Paragraph `key` in the wording `text` as the report of `year` would print it (nothing is
    saved)."""
    figures = headline_figures(year)
    previous = headline_figures(year - 1)
    ctx = ReportContext(
        year, region_name=_region_name(), figures=figures, previous=previous, texts={key: text}
    )
    from .sections import paragraph_text

    with translation.override("zh-hans"):
        return paragraph_text(ctx, key)
