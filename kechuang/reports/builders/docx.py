"""The Word file, laid out as a Chinese official document (GB/T 9704-2012 党政机关公文格式).

- A4; type area 156 × 225 mm: top margin 37 mm, left 28 mm, right 26 mm, bottom 35 mm (GB/T 9704 §5.2.1);
- body 3号仿宋_GB2312 (16 pt), 22 lines of 28 characters (§5.2.2): a document grid of lines and
  characters (line pitch 28.95 pt, character pitch 156 mm ÷ 28) and exact 28.95 pt line spacing;
- title 2号方正小标宋简体 (22 pt), centred (§7.2.3);
- level-1 headings 黑体 "一、", level-2 楷体_GB2312 "（一）" (§7.3.3), indented two characters;
- page numbers 4号 (14 pt) 宋体 Arabic numerals with an em dash each side, "— 1 —", centred in the
  footer, about 7 mm below the type area (GB/T 9704 §7.5).

East Asian font names go into w:rFonts/@w:eastAsia (python-docx's `font.name` only sets the
Latin slots), and the theme-font attributes of the built-in styles are removed, since Word
prefers them over explicit names.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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

__all__ = ["render_docx", "FONTS", "LINE_PITCH_PT", "CHAR_SPACE"]

FONTS = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "h1": "黑体",
    "h2": "楷体_GB2312",
    "page_number": "宋体",
    "latin": "Times New Roman",
}
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
PAGE_NUMBER_PT = 14  # 4号
TABLE_PT = 10.5  # 5号
LINE_PITCH_PT = 28.95  # 225 mm ÷ 22 lines
# Character pitch 156 mm ÷ 28 = 15.79 pt, i.e. 0.207 pt less than the 16 pt body font; Word
# stores the difference in 1/4096 pt.
CHAR_SPACE = -849
TYPE_AREA_MM = (156, 225)
# The elements of w:pPr that follow w:snapToGrid (ECMA-376 CT_PPr sequence).
PPR_AFTER_SNAP = tuple(
    f"w:{tag}"
    for tag in (
        "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
        "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)


# ------------------------------------------------------------------ low-level helpers


def _set_run_fonts(rpr_parent, east_asia: str, latin: str | None = None) -> None:
    """Set the Latin and East Asian font names of a style or run (removing theme fonts)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.lower().endswith("theme"):  # asciiTheme, eastAsiaTheme, cstheme, …
            del fonts.attrib[attr]
    latin = latin or east_asia
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)


def _style(doc, name: str, *, base=None, east_asia: str, size: float, paragraph: bool = True):
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        from docx.enum.style import WD_STYLE_TYPE

        style = styles.add_style(
            name, WD_STYLE_TYPE.PARAGRAPH if paragraph else WD_STYLE_TYPE.CHARACTER
        )
        if base is not None:
            style.base_style = base
    font = style.font
    font.size = Pt(size)
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    _set_run_fonts(style.element, east_asia, FONTS["latin"])
    return style


def _paragraph_format(style, *, indent_chars: int = 0, align=None, line_pt=LINE_PITCH_PT):
    pf = style.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line_pt)
    pf.first_line_indent = Pt(BODY_PT * indent_chars) if indent_chars else Pt(0)
    pf.left_indent = Pt(0)
    if align is not None:
        pf.alignment = align
    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    if ind is not None and indent_chars:
        # In characters too, so the indent follows the character grid (two characters).
        ind.set(qn("w:firstLineChars"), str(100 * indent_chars))


def _no_grid(p_pr) -> None:
    """Do not snap to the document grid (tables and the footer use their own spacing)."""
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    # Schema order matters to Word: snapToGrid comes before spacing, ind, jc, …
    p_pr.insert_element_before(snap, *PPR_AFTER_SNAP)


def _page_number_field(paragraph) -> None:
    """ "— PAGE —": a PAGE field between em dashes."""

    def run(text=None):
        r = paragraph.add_run(text)
        r.font.size = Pt(PAGE_NUMBER_PT)
        _set_run_fonts(r._r, FONTS["page_number"], FONTS["page_number"])
        return r

    run("— ")
    begin = run()._r
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "begin")
    begin.append(fld)
    instr_run = run()._r
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run.append(instr)
    sep = run()._r
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "separate")
    sep.append(fld)
    run("1")
    end = run()._r
    fld = OxmlElement("w:fldChar")
    fld.set(qn("w:fldCharType"), "end")
    end.append(fld)
    run(" —")


# ------------------------------------------------------------------ document set-up


def _defaults(doc) -> None:
    """Document defaults = the body text (3号仿宋, Chinese): Word derives the character grid's
    pitch from the default font size, and theme fonts would otherwise leak into new styles."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_pr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = r_pr.find(qn("w:rFonts"))
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs"):
        fonts.set(qn(f"w:{slot}"), FONTS["latin"])
    fonts.set(qn("w:eastAsia"), FONTS["body"])
    for tag in ("w:sz", "w:szCs"):
        r_pr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    r_pr.find(qn("w:lang")).set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's top sits about 7 mm below the type area (35 − 7 − one 14 pt line).
    section.footer_distance = Mm(23)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))

    _defaults(doc)
    normal = _style(doc, "Normal", east_asia=FONTS["body"], size=BODY_PT)
    _paragraph_format(normal, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    normal.element.get_or_add_rPr().append(lang)

    title = _style(doc, "Title", east_asia=FONTS["title"], size=TITLE_PT)
    _paragraph_format(title, align=WD_ALIGN_PARAGRAPH.CENTER, line_pt=36)
    title.paragraph_format.space_after = Pt(LINE_PITCH_PT)
    # The built-in Title has a bottom border and character spacing; an official title has none.
    p_pr = title.element.get_or_add_pPr()
    for tag in ("w:pBdr", "w:contextualSpacing"):
        for el in p_pr.findall(qn(tag)):
            p_pr.remove(el)
    r_pr = title.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern"):
        for el in r_pr.findall(qn(tag)):
            r_pr.remove(el)

    for name, font in (("Heading 1", FONTS["h1"]), ("Heading 2", FONTS["h2"])):
        style = _style(doc, name, east_asia=font, size=BODY_PT)
        _paragraph_format(style, indent_chars=2, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        style.paragraph_format.keep_with_next = True

    annex = _style(
        doc, "Annex Label", base=doc.styles["Normal"], east_asia=FONTS["h1"], size=BODY_PT
    )
    _paragraph_format(annex, align=WD_ALIGN_PARAGRAPH.LEFT)

    date_line = _style(
        doc, "Date Line", base=doc.styles["Normal"], east_asia=FONTS["h2"], size=BODY_PT
    )
    _paragraph_format(date_line, align=WD_ALIGN_PARAGRAPH.CENTER)
    date_line.paragraph_format.space_after = Pt(LINE_PITCH_PT)

    table_text = _style(
        doc, "Table Text", base=doc.styles["Normal"], east_asia=FONTS["body"], size=TABLE_PT
    )
    _paragraph_format(table_text, align=WD_ALIGN_PARAGRAPH.LEFT, line_pt=TABLE_PT * 1.5)
    _no_grid(table_text.element.get_or_add_pPr())

    footer = section.footer
    paragraph = footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = Pt(0)
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    _no_grid(paragraph._p.get_or_add_pPr())
    _page_number_field(paragraph)


# ------------------------------------------------------------------ blocks


def _table(doc, block: TableBlock) -> None:
    columns, rows, numeric, widths = display_table(block.table)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(widths)
    width_mm = [TYPE_AREA_MM[0] * w / total for w in widths]

    def fill(cells, texts, header=False):
        for i, (cell, text) in enumerate(zip(cells, texts, strict=True)):
            cell.width = Mm(width_mm[i])
            paragraph = cell.paragraphs[0]
            paragraph.style = doc.styles["Table Text"]
            if header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif numeric[i]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            lines = str(text).split("\n")
            for k, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = header
                if k < len(lines) - 1:
                    run.add_break()

    table.autofit = False
    fill(table.rows[0].cells, columns, header=True)
    header = OxmlElement("w:tblHeader")  # repeat the header row on each page
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    for row in rows:
        fill(table.add_row().cells, row)
    if block.table.note:
        note = doc.add_paragraph(f"注：{block.table.note}", style="Table Text")
        note.paragraph_format.space_after = Pt(6)


def render_docx(document: Document) -> bytes:
    """The report as a .docx file (bytes)."""
    doc = new_docx()
    _setup(doc)
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):  # the template's empty first paragraph
        body.remove(p)
    core = doc.core_properties
    core.title, core.author, core.language = (
        document.title,
        f"{document.region_name}科学技术局",
        "zh-CN",
    )
    blocks = document.blocks
    for n, block in enumerate(blocks):
        if isinstance(block, Title):
            paragraph = doc.add_paragraph(style="Title")
            if n + 1 < len(blocks) and isinstance(blocks[n + 1], DateLine):
                paragraph.paragraph_format.space_after = Pt(0)
            lines = block.lines or (block.text,)
            for k, line in enumerate(lines):
                run = paragraph.add_run(line)
                if k < len(lines) - 1:
                    run.add_break()
        elif isinstance(block, DateLine):
            doc.add_paragraph(block.text, style="Date Line")
        elif isinstance(block, Heading):
            style = {0: "Annex Label", 1: "Heading 1", 2: "Heading 2"}[block.level]
            doc.add_paragraph(block.text, style=style)
        elif isinstance(block, Paragraph):
            paragraph = doc.add_paragraph(style="Normal")
            if block.lead:
                paragraph.add_run(block.lead).bold = True
            paragraph.add_run(block.text)
        elif isinstance(block, TableBlock):
            _table(doc, block)
        elif isinstance(block, Signature):
            doc.add_paragraph(style="Normal")
            doc.add_paragraph(style="Normal")
            for text in (block.issuer, block.date):
                p = doc.add_paragraph(text, style="Normal")
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.right_indent = Pt(BODY_PT * 4)  # 成文日期右空四字
        elif isinstance(block, PageBreak):
            doc.add_paragraph(style="Normal").add_run().add_break(WD_BREAK.PAGE)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
