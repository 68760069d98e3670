"""Shared helpers for every xlsx the product writes: formula neutralisation and header styling.

Formula (CSV) injection, OWASP "CSV Injection": a cell whose text begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return may be run as a formula by a spreadsheet program. Every
such string is written as a *text* cell with Excel's "quote prefix" flag — exactly what Excel
stores when a person types ``'=…`` — so it is shown as text, stays text when edited, and reads
back (with openpyxl or python-calamine) as the very same string: an export re-imports unchanged.
Numbers are never touched (``-5`` stays the number -5).
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from django.utils.html import strip_tags
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

__all__ = [
    "FORMULA_TRIGGERS",
    "HEADER_FILL",
    "HEADER_FONT",
    "append_row",
    "header_row",
    "is_formula_like",
    "neutralise_workbook",
    "safe_value",
    "table_workbook",
    "workbook_bytes",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1D4F91")


def is_formula_like(value) -> bool:
    """True for a string a spreadsheet program could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def _as_text(cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def safe_value(ws, value):
    """``value`` for ``ws.append``: formula-like strings become text cells, the rest unchanged.

    Works for normal and write-only worksheets (``append`` accepts cells in both).
    """
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(ws, value=value)
    _as_text(cell)
    return cell


def append_row(ws, values: Iterable) -> None:
    """``ws.append(values)`` with every formula-like string written as text."""
    ws.append([safe_value(ws, v) for v in values])


def header_row(
    ws, headers: Sequence[str], *, widths: Sequence[float] | None = None, freeze: bool = True
) -> None:
    """Append the styled header row (white bold on the bureau blue) and size the columns.

    Without ``widths`` a column is as wide as its header (12 to 40 characters).
    """
    cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        if is_formula_like(header):
            _as_text(cell)
        cells.append(cell)
    for i, header in enumerate(headers, start=1):
        width = widths[i - 1] if widths else max(12, min(40, len(str(header)) * 2 + 2))
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.append(cells)
    if freeze:
        ws.freeze_panes = "A2"


def neutralise_workbook(wb: Workbook) -> None:
    """Turn every formula or formula-like string of the workbook's normal sheets into text.

    (The product writes no formulas; anything that looks like one came from data.) Write-only
    sheets cannot be revisited: write their rows with :func:`append_row`.
    """
    for ws in wb.worksheets:
        if not hasattr(ws, "iter_rows"):
            continue
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f" or is_formula_like(cell.value):
                    if isinstance(cell.value, str):
                        _as_text(cell)


def workbook_bytes(wb: Workbook) -> bytes:
    """The workbook as xlsx bytes, after :func:`neutralise_workbook`."""
    neutralise_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# A cell shown as a grouped number ("55,461.25") or a percentage ("3.46%") on the page.
_NUMBER = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$|^-?\d+(\.\d+)?$")
_PERCENT = re.compile(r"^(-?\d+(\.\d+)?)\s*%$")


def _number_format(places: int, grouping: bool = True) -> str:
    base = "#,##0" if grouping else "0"
    return base + ("." + "0" * places if places else "")


def _shown_value(text: str):
    """(value, number format) for the text a table cell shows: numbers stay numbers with the
    decimals and separators shown, percentages become Excel percentages, the rest is text."""
    text = text.strip()
    if text in ("", "—"):
        return None, None
    match = _PERCENT.match(text)
    if match:
        places = len(match.group(2) or ".") - 1
        return Decimal(match.group(1)) / 100, _number_format(places, False) + "%"
    if _NUMBER.match(text):
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return text, None
        places = len(text.split(".")[1]) if "." in text else 0
        if "," not in text and abs(number) >= 1000:
            # The pages group every figure; an ungrouped long number is a year or a code.
            return text, None
        return number, _number_format(places)
    return text, None


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table_workbook(table, *, title: str, sample: int = 500) -> bytes:
    """The rows of a django-tables2 `table` as the officer sees them on the page: its visible
    columns in screen order under the on-screen headers (units included, e.g. 万元), each value
    as the cell shows it (numbers as numbers with the shown decimals and thousands separators),
    columns as wide as their content, the header frozen. Every row of the table's data is
    written (the export ignores the page's pagination)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    columns = [c for c in table.columns if c.visible]
    headers = [str(c.header) for c in columns]
    widths = [_display_width(h) for h in headers]
    rows: list[list] = []
    for row in table.rows:
        values = []
        for i, column in enumerate(columns):
            text = html.unescape(strip_tags(str(row.get_cell(column.name))))
            if i < len(widths) and len(rows) < sample:
                widths[i] = max(widths[i], _display_width(text))
            values.append(_shown_value(text))
        rows.append(values)
    header_row(ws, headers, widths=[max(8, min(50, w + 2)) for w in widths])
    for values in rows:
        ws.append([safe_value(ws, v) for v, _ in values])
        for cell, (_, fmt) in zip(ws[ws.max_row], values, strict=True):
            if fmt:
                cell.number_format = fmt
    return workbook_bytes(wb)
