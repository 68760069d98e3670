"""A stored index result as a workbook: results (every aggregate's score and rank), the
methodology in words, and the stages (imputed and treated values, regions screened out)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from openpyxl import Workbook

from kechuang.core.excel import append_row, header_row, workbook_bytes

from .index import methodology_rows, run_stages, run_table
from .logic.methodology import parse
from .models import IndexRun

__all__ = ["run_workbook"]


def run_workbook(run_: IndexRun) -> bytes:
    table = run_table(run_)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Results")
    head = [_("Region code"), _("Region"), _("Index"), _("Rank")]
    for c in table["columns"]:
        head += [c["name"], _("%(name)s rank") % {"name": c["name"]}]
    header_row(ws, head)
    for r in table["rows"]:
        row = [
            r["region"].code,
            r["region"].name,
            r["scores"].get("Index"),
            r["ranks"].get("Index"),
        ]
        for score, rank in r["cells"]:
            row += [score, rank]
        append_row(ws, row)
    ws = wb.create_sheet(_("Methodology"))
    header_row(ws, [_("Step"), _("Setting")], widths=(24, 90))
    for label, text in methodology_rows(parse(run_.methodology)):
        append_row(ws, [label, text])
    append_row(ws, [_("Version"), run_.methodology_version])
    stages = run_stages(run_)
    ws = wb.create_sheet(_("Imputed values"))
    header_row(ws, [_("Region"), _("Indicator"), _("Imputed value")], widths=(16, 40, 16))
    for s in stages["imputed"]:
        append_row(ws, [s["region"], s["indicator"], s["value"]])
    ws = wb.create_sheet(_("Treated values"))
    header_row(ws, [_("Region"), _("Indicator"), _("Treatment"), _("Treated value")],
               widths=(16, 40, 20, 16))  # fmt: skip
    for s in stages["treated"]:
        append_row(ws, [s["region"], s["indicator"], str(s["how"]), s["value"]])
    ws = wb.create_sheet(_("Regions screened out"))
    header_row(ws, [_("Region")], widths=(20,))
    for name in stages["screened"]:
        append_row(ws, [name])
    return workbook_bytes(wb)
