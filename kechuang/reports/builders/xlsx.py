"""The statistical tables as a workbook: one sheet per table of the report (ladder, R&D by
town, institutions by level, rankings and targets when the indicators app provides them) and
the figures annex. Numbers stay numbers (money in 万元, percentages as numbers of percent), with
the header styling of the import/export workbooks."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from kechuang.core.excel import HEADER_FILL, HEADER_FONT, workbook_bytes

from ..content import Document, Table, TableBlock

__all__ = ["render_xlsx"]

NUMBER_FORMATS = {"int": "0", "pct1": "0.0", "pct2": "0.00", "wan": "#,##0.0", "yi": "0.00"}
INVALID_SHEET_CHARS = str.maketrans({c: "_" for c in "[]:*?/\\"})


def _value(value, fmt):
    if value is None or value == "":
        return None
    if fmt == "wan":
        return float(round(Decimal(str(value)) / Decimal(10**4), 2))
    if fmt == "yi":
        return float(round(Decimal(str(value)) / Decimal(10**8), 4))
    if isinstance(value, Decimal):
        return float(value)
    return value


def _sheet(wb: Workbook, table: Table, used: set[str]) -> None:
    name = (table.sheet or table.title).translate(INVALID_SHEET_CHARS)[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    ws = wb.create_sheet(name)
    ws.append([table.title])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(table.columns)
    for i in range(1, len(table.columns) + 1):
        cell = ws.cell(row=2, column=i)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    formats = table.formats or [None] * len(table.columns)
    for row in table.rows:
        ws.append([_value(v, f) for v, f in zip(row, formats, strict=False)])
        r = ws.max_row
        for i, fmt in enumerate(formats, start=1):
            if fmt in NUMBER_FORMATS:
                ws.cell(row=r, column=i).number_format = NUMBER_FORMATS[fmt]
            elif table.key == "figures":
                ws.cell(row=r, column=i).alignment = Alignment(wrap_text=True, vertical="top")
    if table.note:
        ws.append([])
        ws.append([f"注：{table.note}"])
    for i, column in enumerate(table.columns, start=1):
        longest = max([len(str(column))] + [len(str(r[i - 1] or "")) for r in table.rows[:200]])
        ws.column_dimensions[get_column_letter(i)].width = max(10, min(60, longest * 1.8 + 2))
    ws.freeze_panes = "B3"


def render_xlsx(document: Document) -> bytes:
    """The report's tables as an .xlsx workbook (bytes)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for block in document.blocks:
        if isinstance(block, TableBlock):
            _sheet(wb, block.table, used)
    wb.properties.title = f"{document.title}（统计表）"
    return workbook_bytes(wb)
