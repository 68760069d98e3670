"""The demo region's 2024 annual report: every seed figure the platform covers appears in it,
computed (docs/demo.md#seed-figures); the Word file follows GB/T 9704-2012; the PDF has a sensible page
count; the workbook holds the statistical tables; the appendix lists every figure with a link
that opens the records behind it."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from openpyxl import load_workbook

from kechuang.reports.builders.docx import CHAR_SPACE, FONTS
from kechuang.reports.services import report_document, report_render

YEAR = 2024
# Seed figures the platform covers (seed 2024 §一), as the shipped wording states them.
SEED_PHRASES = [
    "备案国家科技型中小企业953家",
    "入库浙江省科技型中小企业502家",
    "认定市级高新技术培育企业150家",
    "第一批认定高新技术企业319家",
    "有效高新技术企业994家",
    "省企业研究院2家",
    "省高新技术企业研发中心23家",
    "宁波市重点企业研究院3家",
    "市企业研发中心58家",
    "累计1438家",
    "近80%",
    "有研发支出的1345家",
    "占比74.2%",
    "研发费用84.2亿元",
    "同比增长10%",
    "研发投入强度3.36%",
]
# Developer text that must never reach a report file: code identifiers and any Latin word,
# addresses, command lines, the software's name, notes about missing data or regeneration.
DEVELOPER_TEXT = re.compile(r"[A-Za-z]{2,}|https?:|kechuang|--|尚未报送|重新生成|模块|命令|链接")
RANK_PHRASES = {
    "innovation_index_rank_province": "科技创新指数跃居全省第7",
    "innovation_index_rank_ningbo": "连续三年居宁波第1",
    "transformation_index_rank_province": "全省第11",
    "transformation_index_rank_ningbo": "宁波第2",
}


@pytest.fixture(scope="module")
def report(demo, django_db_blocker):
    """The 2024 document and its three files, generated once for the module."""
    with django_db_blocker.unblock():
        document = report_document(YEAR)
        files = {fmt: report_render(document, fmt) for fmt in ("docx", "pdf", "xlsx")}
    return document, files


@pytest.fixture(scope="module")
def docx(report):
    return open_docx(io.BytesIO(report[1]["docx"].content))


def _body_text(doc) -> str:
    return "\n".join(p.text for p in doc.paragraphs)


def _east_asia(style_or_run_element) -> str | None:
    fonts = style_or_run_element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


# ------------------------------------------------------------------ figures


def test_report_states_each_seed_figure(docx):
    text = _body_text(docx)
    missing = [p for p in SEED_PHRASES if p not in text]
    assert not missing, missing


def test_report_states_the_ranks_when_the_indicators_engine_provides_them(report, docx):
    document = report[0]
    text = _body_text(docx)
    from kechuang.dashboard.selectors import headline_figures

    # Only the ranks the engine computes are stated (the figures were loaded with the report).
    cited = {c.key for c in document.cited}
    available = [k for k in RANK_PHRASES if k in cited]
    # The indicators engine is installed: the demo's ranks must be computed and stated.
    assert available == list(RANK_PHRASES), available
    for key in available:
        assert RANK_PHRASES[key] in text, key
    assert headline_figures  # the same source as `kechuang stats`


def test_numbers_in_the_body_are_all_cited(report, docx):
    """Every number in the body text (outside the title, headings, years and dates) is the text
    of a cited figure, so the appendix covers all of them."""
    document = report[0]
    cited_numbers = set()
    for c in document.cited:
        cited_numbers.update(re.findall(r"\d+(?:\.\d+)?", c.text))
    body = []
    for p in docx.paragraphs:
        if p.style.name == "Annex Label":
            break  # the annexes: tables and their notes
        if p.style.name in {"Title", "Heading 1", "Date Line"}:
            continue
        body.append(p.text)
    text = re.sub(r"\d{4}年(?:\d{1,2}月\d{1,2}日)?(?:末|度)?", "", "\n".join(body))
    text = text.replace("6+2", "")  # the name of the bureau's indicator system
    stray = [
        text[max(0, m.start() - 12) : m.end() + 6]
        for m in re.finditer(r"\d+(?:\.\d+)?", text)
        if m.group() not in cited_numbers
    ]
    assert not stray, f"numbers without provenance: {stray}"


def test_annex_explains_every_cited_figure(report, docx):
    document = report[0]
    assert len(document.cited) >= len(SEED_PHRASES)
    annex = docx.tables[-1]
    header = [c.text for c in annex.rows[0].cells]
    assert header == [
        "序号",
        "指标名称\n（报告中的表述）",
        "计量单位",
        "统计口径及范围",
        "数据来源",
    ]
    assert len(annex.rows) == 1 + len(document.cited)
    for figure, row in zip(document.cited, annex.rows[1:], strict=True):
        cells = [c.text for c in row.cells]
        assert figure.provenance.label in cells[1] and f"（{figure.text}）" in cells[1]
        assert cells[2] == figure.provenance.unit and cells[3] == figure.provenance.definition
        assert cells[4] == figure.provenance.source
    units = {c.key: c.provenance.unit for c in document.cited}
    assert units["rd_expense_above_scale_yuan"] == "亿元" and units["rd_intensity_pct"] == "%"
    # The links stay in the data for the web pages, never in the files.
    links = {c.key: c.provenance.link for c in document.cited}
    assert (
        links["high_tech_valid_end_of_year"]
        == "/enterprises/qualifications/?kind=high_tech&valid_on=2024-12-31"
    )
    assert links["above_scale_with_rd"] == "/enterprises/?year=2024&above_scale=true&has_rd=true"


def _docx_strings(doc) -> list[str]:
    strings = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        strings += [cell.text for row in table.rows for cell in row.cells]
    return strings


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_no_file_carries_developer_text(report, docx, tmp_path):
    files = report[1]
    texts = {
        "docx": "\n".join(_docx_strings(docx)),
        "pdf": _pdf_text(files["pdf"].content, tmp_path),
    }
    book = load_workbook(io.BytesIO(files["xlsx"].content))
    texts["xlsx"] = "\n".join(
        str(v)
        for ws in book
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    ) + "\n".join(book.sheetnames)
    for fmt, text in texts.items():
        assert "994" in text, fmt  # the text was read at all
        found = sorted({m.group() for m in DEVELOPER_TEXT.finditer(text)})
        assert not found, (fmt, found)
        assert "3.46%（" not in text, fmt  # a figure followed by a note about its data


def test_report_is_dated_with_the_data_date_not_the_generation_date(demo, db):
    """The date under the title, in the signature and in the annex is the latest day on which
    the data the report counts were accepted, stated as such."""
    import datetime as dt

    from django.utils import timezone

    from kechuang.enterprises.models import AnnualFigure, FigureSubmission, Qualification
    from kechuang.imports.models import ImportBatch
    from kechuang.platforms.models import RDInstitution
    from kechuang.reports.content import DateLine, Signature

    accepted = timezone.make_aware(dt.datetime(2025, 2, 10, 16, 30))
    for model in (AnnualFigure, Qualification, RDInstitution):
        model.objects.update(updated_at=accepted - dt.timedelta(days=3))
    AnnualFigure.objects.filter(
        year=YEAR, pk=AnnualFigure.objects.filter(year=YEAR).first().pk
    ).update(updated_at=accepted)
    ImportBatch.objects.update(finished_at=accepted - dt.timedelta(days=5))
    FigureSubmission.objects.update(reviewed_at=accepted - dt.timedelta(days=1))
    document = report_document(YEAR)
    assert document.as_of == dt.date(2025, 2, 10)
    lines = [b.text for b in document.blocks if isinstance(b, DateLine)]
    assert lines == ["（数据截至2025年2月10日）"]
    signature = next(b for b in document.blocks if isinstance(b, Signature))
    assert signature.date == "2025年2月10日"
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" not in signature.date


def test_appendix_links_open_the_records_behind_each_figure(report, client, db):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="staff"))
    # One link per kind of list and filter (the other links differ only in values).
    kinds = {}
    for c in report[0].cited:
        if c.provenance.link:
            path, _, query = c.provenance.link.partition("?")
            names = tuple(sorted(p.split("=")[0] for p in query.split("&") if p))
            kinds.setdefault((path, names), c.provenance.link)
    links = sorted(kinds.values())
    assert len(links) >= 5
    for link in links:
        assert client.get(link).status_code == 200, link


# ------------------------------------------------------------------ the Word file (GB/T 9704)


def test_docx_page_setup_is_gb_t_9704(docx):
    section = docx.sections[0]
    mm = {
        name: getattr(section, name).mm
        for name in (
            "page_width",
            "page_height",
            "top_margin",
            "bottom_margin",
            "left_margin",
            "right_margin",
        )
    }
    expected = {
        "page_width": 210,
        "page_height": 297,
        "top_margin": 37,
        "bottom_margin": 35,
        "left_margin": 28,
        "right_margin": 26,
    }
    for name, value in expected.items():
        assert mm[name] == pytest.approx(value, abs=0.1), name
    # Type area 156 × 225 mm, 22 lines of 28 characters.
    assert mm["page_width"] - mm["left_margin"] - mm["right_margin"] == pytest.approx(156, abs=0.2)
    assert mm["page_height"] - mm["top_margin"] - mm["bottom_margin"] == pytest.approx(225, abs=0.2)
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert int(grid.get(qn("w:linePitch"))) == 579  # 28.95 pt
    assert int(grid.get(qn("w:charSpace"))) == CHAR_SPACE
    # The grid's character pitch is relative to the default font size: 3号 (16 pt).
    defaults = docx.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:sz")).get(qn("w:val")) == "32"


def test_docx_styles_use_the_official_fonts_and_sizes(docx):
    styles = docx.styles
    normal = styles["Normal"]
    assert _east_asia(normal.element) == "仿宋_GB2312"
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95, abs=0.05)
    assert normal.paragraph_format.first_line_indent.pt == 32  # two characters
    title = styles["Title"]
    assert _east_asia(title.element) == "方正小标宋简体"
    assert title.font.size.pt == 22
    assert _east_asia(styles["Heading 1"].element) == "黑体"
    assert _east_asia(styles["Heading 2"].element) == "楷体_GB2312"
    for name in ("Heading 1", "Heading 2"):
        assert styles[name].font.size.pt == 16
        fonts = styles[name].element.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert not [a for a in fonts.attrib if a.lower().endswith("theme")], "theme fonts win"


def test_docx_structure_follows_the_seed(docx):
    paragraphs = docx.paragraphs
    assert paragraphs[0].style.name == "Title"
    # Broken at a whole word (GB/T 9704 §7.3.2).
    assert paragraphs[0].text == "慈溪市科技局2024年工作总结和\n2025年工作计划"
    h1 = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert h1 == ["一、2024年工作进展", "二、2025年工作计划"]
    h2 = [p.text for p in paragraphs if p.style.name == "Heading 2"]
    assert h2 and all(
        t.startswith(f"（{n}）") for t, n in zip(h2, "一二三四五六七八九", strict=False)
    )
    # The opening paragraph comes before the first heading; numbered leads are bold.
    first_h1 = next(i for i, p in enumerate(paragraphs) if p.style.name == "Heading 1")
    assert paragraphs[1].style.name == "Date Line" and paragraphs[1].text.startswith("（数据截至")
    assert first_h1 >= 3 and "994家" in paragraphs[2].text
    leads = [p for p in paragraphs if p.text.startswith(("一是", "二是", "三是"))]
    assert [p.text[:2] for p in leads[:2]] == ["一是", "二是"]
    assert all(p.runs[0].bold for p in leads)
    annex_labels = [p.text for p in paragraphs if p.style.name == "Annex Label"]
    assert annex_labels == ["附件1", "附件2"]


def test_docx_footer_has_a_centred_page_field_between_dashes(docx):
    footer = docx.sections[0].footer.paragraphs[0]
    assert footer.alignment == 1  # centre
    xml = footer._p.xml
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    for run in footer.runs:
        assert run.font.size.pt == 14
        assert _east_asia(run._r) == FONTS["page_number"]


# ------------------------------------------------------------------ PDF and workbook


def test_pdf_is_a_paged_a4_document(report):
    pdf = report[1]["pdf"]
    assert pdf.content.startswith(b"%PDF-")
    assert 4 <= pdf.pages <= 20
    from weasyprint import HTML

    from kechuang.reports.builders.pdf import render_html

    pages = HTML(string=render_html(report[0])).render().pages
    assert len(pages) == pdf.pages
    assert (round(pages[0].width * 25.4 / 96), round(pages[0].height * 25.4 / 96)) == (210, 297)


def test_pdf_uses_the_word_files_typefaces_then_debians_cjk_fonts(report, tmp_path):
    """Each font list of the PDF starts with the typeface the Word file names (GB/T 9704:
    小标宋 title, 仿宋 body, 黑体 and 楷体 headings, 宋体 page numbers) and ends with Noto CJK."""
    from kechuang.reports.builders.pdf import render_html

    html = render_html(report[0])
    styles = {
        "title": r"\.title \{[^}]*font-family: ([^;]+);",
        "body": r"body \{[^}]*font-family: ([^;]+);",
        "h1": r"\.h1 \{[^}]*font-family: ([^;]+);",
        "h2": r"\.h2 \{[^}]*font-family: ([^;]+);",
        "page_number": r"@bottom-center \{[^}]*font-family: ([^;]+);",
    }
    for role, pattern in styles.items():
        families = [f.strip().strip('"') for f in re.search(pattern, html).group(1).split(",")]
        assert families[0] == FONTS[role], role
        fallback = "Noto Sans CJK SC" if role == "h1" else "Noto Serif CJK SC"
        assert fallback in families, role
    assert '"— " counter(page) " —"' in html
    # On this machine (Debian, fonts-noto-cjk) the fallbacks are what the PDF embeds.
    path = tmp_path / "report.pdf"
    path.write_bytes(report[1]["pdf"].content)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True)
    assert "Noto-Serif-CJK-SC" in fonts.stdout and "Noto-Sans-CJK-SC" in fonts.stdout


def test_workbook_holds_the_statistical_tables(report):
    book = load_workbook(io.BytesIO(report[1]["xlsx"].content))
    for sheet in ("企业梯队", "研发投入（分镇街道）", "研发机构（分级别）", "指标解释"):
        assert sheet in book.sheetnames, sheet
    ladder = {row[0]: row[1] for row in book["企业梯队"].iter_rows(min_row=3, values_only=True)}
    assert ladder["有效高新技术企业"] == 994
    assert ladder["备案国家科技型中小企业"] == 953
    towns = list(book["研发投入（分镇街道）"].iter_rows(min_row=3, values_only=True))
    total = next(r for r in towns if r[0] == "合计")
    assert total[1:3] == (1813, 1345)
    assert round(total[4] / 10000, 1) == 84.2  # 万元 → 亿元
    institutions = {
        r[0]: r[1] for r in book["研发机构（分级别）"].iter_rows(min_row=3, values_only=True)
    }
    assert institutions["省企业研究院"] == 2 and institutions["市企业研发中心"] == 58
    assert institutions["累计（年末）"] == 1438
    if "排名" in book.sheetnames:
        ranks = {r[0]: r[1] for r in book["排名"].iter_rows(min_row=3, values_only=True)}
        assert ranks["科技创新指数"] == 7
