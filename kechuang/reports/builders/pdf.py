"""The PDF: the same document through an HTML template and WeasyPrint, in the CJK fonts of
Debian's fonts-noto-cjk (no downloads). The official fonts come first in each font list, so a
machine that has them (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312) uses them; otherwise Noto Serif
CJK SC stands in for 小标宋/仿宋/楷体 and Noto Sans CJK SC for 黑体. Page layout as the docx:
A4, margins 37/26/35/28 mm, 16 pt body at 28.95 pt line pitch, "— 1 —" page numbers."""

from __future__ import annotations

from django.template.loader import render_to_string

from ..content import Document, Heading, PageBreak, Paragraph, Signature, TableBlock, Title
from .common import display_table

__all__ = ["render_pdf", "render_html"]


def _blocks(document: Document) -> list[dict]:
    out: list[dict] = []
    page_break = False
    for block in document.blocks:
        item: dict
        if isinstance(block, Title):
            item = {"kind": "title", "text": block.text, "lines": block.lines or (block.text,)}
        elif isinstance(block, Heading):
            item = {"kind": f"h{block.level}", "text": block.text}
        elif isinstance(block, Paragraph):
            item = {"kind": "p", "text": block.text, "lead": block.lead}
        elif isinstance(block, Signature):
            item = {"kind": "signature", "issuer": block.issuer, "date": block.date}
        elif isinstance(block, TableBlock):
            columns, rows, numeric, widths = display_table(block.table)
            total = sum(widths)
            item = {
                "kind": "table",
                "key": block.table.key,
                "columns": [
                    {"text": c, "numeric": n, "width": round(100 * w / total, 1)}
                    for c, n, w in zip(columns, numeric, widths, strict=True)
                ],
                "rows": [
                    [{"text": t, "numeric": n} for t, n in zip(r, numeric, strict=True)]
                    for r in rows
                ],
                "note": block.table.note,
            }
        elif isinstance(block, PageBreak):
            page_break = True
            continue
        else:
            continue
        item["page_break"] = page_break
        page_break = False
        out.append(item)
    return out


def render_html(document: Document) -> str:
    """The report as a standalone HTML page (the PDF's source; also viewable in a browser)."""
    return render_to_string(
        "reports/report_print.html", {"document": document, "blocks": _blocks(document)}
    )


def render_pdf(document: Document) -> tuple[bytes, int]:
    """The report as PDF bytes, with its page count."""
    from weasyprint import HTML

    rendered = HTML(string=render_html(document)).render()
    return rendered.write_pdf(), len(rendered.pages)
