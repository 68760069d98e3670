"""Files out of the R&D pages: the zero-R&D list as xlsx, the diagnosis as a Word report."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from kechuang.core.excel import header_row, workbook_bytes

from .logic.zero_rd import ZeroRdSpec
from .texts import wan_text

__all__ = ["zero_rd_workbook", "diagnosis_docx"]

FLAG_FILL = PatternFill("solid", fgColor="FDE2E1")


def _wan(value) -> float | None:
    return None if value is None else float(round(Decimal(value) / Decimal(10000), 2))


def zero_rd_workbook(rows, spec: ZeroRdSpec) -> bytes:
    """The zero-R&D list (all rows of the filter, not just one page) as an xlsx workbook."""
    wb = Workbook()
    ws = wb.active
    ws.title = f"零申报{spec.year}"
    headers = [
        _("Contradiction"),
        _("Name"),
        _("Credit code"),
        _("Town/street"),
        _("Industry"),
        _("High-tech"),
        _("Tech SME"),
        _("Operating revenue (10,000 yuan)"),
        _("R&D (statistical, 10,000 yuan)"),
        _("R&D (super-deduction, 10,000 yuan)"),
        _("S&T staff"),
    ]
    header_row(ws, headers, widths=[14 if i != 1 else 36 for i in range(len(headers))])
    yes, no = _("Yes"), ""
    for e in rows.iterator(chunk_size=2000):
        ws.append(
            [
                yes if e.is_contradiction else no,
                e.name,
                e.credit_code,
                e.town.name,
                e.industry_code,
                yes if e.holds_high_tech else no,
                yes if e.holds_tech_sme else no,
                _wan(e.fy_operating_revenue),
                _wan(e.fy_rd_expense_stat) or 0,
                _wan(e.fy_rd_deduction_scope),
                e.fy_tech_staff,
            ]
        )
        if e.is_contradiction:
            for cell in ws[ws.max_row]:
                cell.fill = FLAG_FILL
    return workbook_bytes(wb)


def _pct(value, places=2) -> str:
    return "—" if value is None else f"{value:.{places}f}%"


def _table(doc, headers: list[str], rows: list[list[str]]):
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(text)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)
    return table


def diagnosis_docx(d: dict) -> bytes:
    """The diagnosis dict of `enterprise_diagnosis` as a Word document (bytes)."""
    e, year = d["enterprise"], d["year"]
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(10.5)
    title = doc.add_heading(_("R&D investment diagnosis report"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph()
    p.add_run(f"{e.name}（{e.credit_code}）").bold = True
    doc.add_paragraph(
        _("%(town)s · industry %(code)s %(division)s · year %(year)s · generated %(date)s")
        % {
            "town": e.town.name,
            "code": e.industry_code,
            "division": e.industry_division_name,
            "year": year,
            "date": timezone.localdate().isoformat(),
        }
    )

    doc.add_heading(_("Findings"), level=1)
    if not d["findings"]:
        doc.add_paragraph(_("No findings: R&D is collected and declared consistently."))
    for f in d["findings"]:
        para = doc.add_paragraph(style="List Bullet")
        run = para.add_run(f"【{f['severity_label']}】{f['title']}：")
        run.bold = True
        if f["severity"] == "high":
            run.font.color.rgb = RGBColor(0xC0, 0x1F, 0x2F)
        para.add_run(f["detail"])

    doc.add_heading(_("Recommendations"), level=1)
    for r in d["recommendations"]:
        doc.add_paragraph(r["text"], style="List Number")

    doc.add_heading(_("R&D expense and intensity over the years"), level=1)
    _table(
        doc,
        [
            _("Year"),
            _("Operating revenue (10,000 yuan)"),
            _("R&D (statistical)"),
            _("R&D (high-tech scope)"),
            _("R&D (super-deduction)"),
            _("Intensity %"),
        ],
        [
            [
                y,
                wan_text(f["operating_revenue"]),
                wan_text(f["rd_expense_stat"]),
                wan_text(f["rd_hnte_total"]),
                wan_text(f["rd_deduction_scope"]),
                _pct(f["intensity_pct"]),
            ]
            for y, f in sorted(d["figures"].items())
        ],
    )

    peer = d["peer"]
    doc.add_heading(_("Peers in the same industry division"), level=1)
    doc.add_paragraph(
        _(
            "Among %(count)s above-scale peers of division %(division)s in %(year)s, its R&D "
            "intensity ranks at the %(percentile)s percentile (peer median %(median)s)."
        )
        % {
            "count": peer["count"],
            "division": e.industry_division,
            "year": year,
            "percentile": "—" if peer["percentile"] is None else f"{peer['percentile']:.0f}",
            "median": _pct(peer["median_intensity_pct"]),
        }
    )
    _table(
        doc,
        [_("Category"), _("Amount (10,000 yuan)"), _("Share %"), _("Peer median share %")],
        [
            [
                s["label"],
                wan_text(s["amount"]),
                _pct(s["share_pct"], 1),
                _pct(s["peer_share_pct"], 1),
            ]
            for s in d["structure"]
        ],
    )

    tax = d["tax"]
    doc.add_heading(_("The money at stake"), level=1)
    doc.add_paragraph(
        _(
            "Additional deduction = %(extra)s%% extra deduction × R&D (super-deduction scope) "
            "%(base)s = %(deduction)s; at a %(cit)s%% tax rate it saves %(saved)s of corporate "
            "income tax. Every further 10,000 yuan of R&D collected saves %(per10k)s yuan."
        )
        % {
            "extra": f"{tax['extra_deduction_rate'] * 100:.0f}",
            "base": wan_text(tax["rd_deduction_scope"]),
            "deduction": wan_text(tax["additional_deduction"]),
            "cit": f"{tax['cit_rate'] * 100:.0f}",
            "saved": wan_text(tax["tax_saved"]),
            "per10k": f"{tax['tax_saved_per_10k']:,.0f}",
        }
    )
    if tax["uncollected"] > 0:
        doc.add_paragraph(
            _(
                "Statistical R&D exceeds the super-deduction base by %(gap)s; collecting it would "
                "save up to %(saved)s more."
            )
            % {"gap": wan_text(tax["uncollected"]), "saved": wan_text(tax["potential_tax_saved"])}
        )
    note = doc.add_paragraph()
    run = note.add_run(
        _("Rate basis: %(basis)s.") % {"basis": tax["basis"]}
        + (
            " " + _("Pending policy verification (待政策核实).")
            if tax["pending_verification"]
            else ""
        )
    )
    run.italic = True
    run.font.size = Pt(9)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
