"""What the docx and pdf renderers share: how a table's cells are written."""

from __future__ import annotations

from ..content import Table
from ..logic.phrasing import cell_text

__all__ = ["display_table"]

NUMERIC = {"int", "num", "pct1", "pct2", "wan", "yi"}


def display_table(table: Table) -> tuple[list[str], list[list[str]], list[bool], list[float]]:
    """(columns, rows of cell texts, which columns are numeric, relative column widths).

    The annex of figures has six columns in the workbook; on an A4 page the figure's name and
    how the report states it share one column: no., figure, unit, definition and scope, source.
    """
    if table.key == "figures":
        rows = [[str(r[0]), f"{r[1]}\n（{r[2]}）", r[3], r[4], r[5]] for r in table.rows]
        return (
            ["序号", "指标名称\n（报告中的表述）", "计量单位", "统计口径及范围", "数据来源"],
            rows,
            [False] * 5,
            [0.55, 2.0, 0.6, 3.4, 2.2],
        )
    formats = table.formats or [None] * len(table.columns)
    rows = [[cell_text(v, f) for v, f in zip(r, formats, strict=False)] for r in table.rows]
    numeric = [f in NUMERIC for f in formats]
    widths = table.widths or [1.0 if n else 1.6 for n in numeric]
    return list(table.columns), rows, numeric, widths
