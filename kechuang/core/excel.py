"""Shared helpers for every xlsx the product writes: formula neutralisation and header styling.

Formula (CSV) injection, OWASP "CSV Injection": a cell whose text begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return may be run as a formula by a spreadsheet program. Every
such string is written as a *text* cell with Excel's "quote prefix" flag — exactly what Excel
stores when a person types ``'=…`` — so it is shown as text, stays text when edited, and reads
back (with openpyxl or python-calamine) as the very same string: an export re-imports unchanged.
Numbers are never touched (``-5`` stays the number -5).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

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
