"""The PDF: the same document through an HTML template and WeasyPrint, in the typefaces of the
Word file (GB/T 9704-2012 §7.2–7.5: title 小标宋, body 仿宋, level-1 headings 黑体, level-2
楷体, page numbers 宋体) where the machine has them, under their Chinese names and the names the
fonts install under on Windows and Linux; otherwise Debian's fonts-noto-cjk stands in — Noto
Serif CJK SC for the Song-style faces (小标宋, 仿宋, 楷体, 宋体), Noto Sans CJK SC for 黑体. Which
fonts to install is in docs/reports.md ("Fonts"). Nothing is downloaded. Page layout as the
docx: A4, margins 37/26/35/28 mm, 16 pt body at 28.95 pt line pitch, "— 1 —" page numbers."""

from __future__ import annotations

from django.template.loader import render_to_string

from ..content import (
    DateLine,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Signature,
    TableBlock,
    Title,
)
from .common import display_table
from .docx import FONTS

__all__ = ["render_pdf", "render_html", "FONT_STACKS"]

# Other names the same typefaces install under (Windows, macOS, the FounderType packages).
ALIASES = {
    "方正小标宋简体": ["FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"],
    "仿宋_GB2312": ["FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋"],
    "黑体": ["SimHei", "STHeiti", "华文黑体"],
    "楷体_GB2312": ["KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "华文楷体"],
    "宋体": ["SimSun", "STSong", "华文宋体"],
}
SERIF = ["Noto Serif CJK SC", "Source Han Serif SC", "serif"]
SANS = ["Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"]


def _stack(role: str, fallback: list[str]) -> str:
    name = FONTS[role]
    families = [name, *ALIASES.get(name, []), *fallback]
    return ", ".join(f if f in {"serif", "sans-serif"} else f'"{f}"' for f in families)


FONT_STACKS = {
    "title": _stack("title", SERIF),
    "body": _stack("body", SERIF),
    "h1": _stack("h1", SANS),
    "h2": _stack("h2", SERIF),
    "page_number": _stack("page_number", SERIF),
}


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
        elif isinstance(block, DateLine):
            item = {"kind": "dateline", "text": block.text}
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
        "reports/report_print.html",
        {"document": document, "blocks": _blocks(document), "fonts": FONT_STACKS},
    )


def render_pdf(document: Document) -> tuple[bytes, int]:
    """The report as PDF bytes, with its page count."""
    from weasyprint import HTML

    rendered = HTML(string=render_html(document)).render()
    return rendered.write_pdf(), len(rendered.pages)
