"""What the docx and pdf renderers share: how a table's cells are written."""

from __future__ import annotations

from ..content import Table
from ..logic.phrasing import cell_text

__all__ = ["display_table"]

NUMERIC = {"int", "pct1", "pct2", "wan", "yi"}


def display_table(table: Table) -> tuple[list[str], list[list[str]], list[bool], list[float]]:
    """(columns, rows of cell texts, which columns are numeric, relative column widths).

    The figures annex has seven columns in the workbook; on an A4 page they fold into four:
    no., figure (name and how the report states it), definition, how to reproduce it.
    """
    if table.key == "figures":
        rows = [
            [
                str(r[0]),
                f"{r[1]}：{r[2]}（{r[3]}）",
                r[4],
                r[5] + (f"\n记录：{r[6]}" if r[6] else ""),
            ]
            for r in table.rows
        ]
        return (
            ["序号", "指标及报告中的表述", "口径", "复核方法"],
            rows,
            [False] * 4,
            [0.5, 2.6, 3.1, 4.6],
        )
    formats = table.formats or [None] * len(table.columns)
    rows = [[cell_text(v, f) for v, f in zip(r, formats, strict=False)] for r in table.rows]
    numeric = [f in NUMERIC for f in formats]
    widths = table.widths or [1.0 if n else 1.6 for n in numeric]
    return list(table.columns), rows, numeric, widths
