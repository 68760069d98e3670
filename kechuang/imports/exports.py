"""Workbooks out: blank templates with an instruction sheet, list exports with the template's
headers (so export → import round-trips), and error reports."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment

from kechuang.core.excel import HEADER_FILL, HEADER_FONT, append_row, header_row, workbook_bytes

from .schemas import SCHEMAS, EntitySchema
from .services import INSTRUCTIONS_SHEET

__all__ = ["template_workbook", "export_workbook", "errors_workbook", "export_rows"]

__all__ += ["HEADER_FILL", "HEADER_FONT"]  # re-exported for older callers
# Column types of an export frame: explicit, so an empty or all-blank column keeps its type.
EXPORT_DTYPES = {
    "bool": pl.Boolean,
    "int": pl.Int64,
    "money": pl.Decimal(18, 2),
    "decimal": pl.Decimal(18, 2),
    "date": pl.Date,
}
KIND_TEXT = {
    "str": "文本",
    "credit_code": "18位统一社会信用代码",
    "town": "镇街道名称",
    "industry": "4位行业代码",
    "int": "整数",
    "decimal": "数值",
    "money": "金额（元，两位小数）",
    "date": "日期 YYYY-MM-DD",
    "bool": "是/否",
    "choice": "选项",
}


def _header_row(ws, headers: list[str]) -> None:
    header_row(ws, headers)


def _save(wb: Workbook) -> bytes:
    """Every workbook leaves through here: formula-like strings are written as text."""
    return workbook_bytes(wb)


def template_workbook(schema: EntitySchema) -> bytes:
    """A blank template: the data sheet with Chinese headers and an instruction sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = schema.sheet
    _header_row(ws, schema.headers)
    info = wb.create_sheet(INSTRUCTIONS_SHEET)
    _header_row(info, ["列名", "必填", "类型", "取值范围 / 说明"])
    for c in schema.columns:
        notes = [c.note] if c.note else []
        if c.choices is not None:
            notes.append(
                "可填："
                + "、".join(f"{label}（{value}）" for value, label in _zh_choices(c.choices))
            )
        low, high = c.bounds()
        if low is not None and c.kind != "money":
            notes.append(f"最小 {low:g}")
        if high is not None and c.kind != "money":
            notes.append(f"最大 {high:g}")
        if c.max_length:
            notes.append(f"最多 {c.max_length} 字")
        info.append(
            [c.header, "是" if c.required else "", KIND_TEXT.get(c.kind, c.kind), "；".join(notes)]
        )
    info.append([])
    info.append(
        [
            "说明",
            "",
            "",
            f"按“{'、'.join(c.header for c in schema.columns if c.field in schema.key)}”匹配已有记录：存在则更新，不存在则新增；导入前先做校验，全部无误才写入，任何一行有错都不写入。",
        ]
    )
    info.append(["", "", "", "金额单位为元，最多两位小数（多于两位为错误，不会四舍五入）；空单元格表示未知。"])
    for col in "ABCD":
        info.column_dimensions[col].width = 30 if col != "D" else 90
    return _save(wb)


def _zh_choices(choices):
    from django.utils import translation

    with translation.override("zh-hans"):
        return [(value, str(label)) for value, label in choices.choices]


def export_rows(schema: EntitySchema, queryset) -> pl.DataFrame:
    """The rows of `queryset` as a frame with the template's columns (one query).

    Choice columns are written as their Chinese labels, booleans as 是/否, towns by name and
    enterprises by credit code, so the file reads naturally and imports back unchanged.
    """
    lookups = []
    for c in schema.columns:
        if c.field == "credit_code" and schema.name != "enterprises":
            lookups.append("enterprise__credit_code")
        elif c.field == "town":
            lookups.append("town__name")
        else:
            lookups.append(c.field)
    rows = list(queryset.order_by().values_list(*lookups))
    dtypes = {c.field: EXPORT_DTYPES.get(c.kind, pl.Utf8) for c in schema.columns}
    frame = pl.DataFrame(rows, schema=dtypes, orient="row")
    exprs = []
    for c in schema.columns:
        if c.kind == "bool":
            exprs.append(
                pl.when(pl.col(c.field))
                .then(pl.lit("是"))
                .when(pl.col(c.field).is_not_null())
                .then(pl.lit("否"))
                .otherwise(None)
                .alias(c.field)
            )
        elif c.kind == "choice":
            exprs.append(
                pl.col(c.field)
                .replace_strict(
                    dict(_zh_choices(c.choices)), default=pl.col(c.field), return_dtype=pl.Utf8
                )
                .alias(c.field)
            )
    return frame.with_columns(exprs) if exprs else frame


def export_workbook(schema: EntitySchema, queryset) -> bytes:
    """An xlsx export of `queryset` with the template's sheet name and headers."""
    frame = export_rows(schema, queryset)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(schema.sheet)
    append_row(ws, schema.headers)
    for row in frame.iter_rows():
        append_row(ws, [float(v) if hasattr(v, "as_tuple") else v for v in row])
    return _save(wb)


def errors_workbook(errors: list[dict]) -> bytes:
    """The error report of an import as a workbook (sheet, row, column, value, message)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Errors")[:31]
    _header_row(ws, [_("Sheet"), _("Row"), _("Column"), _("Value"), _("Problem")])
    for e in errors:
        ws.append([e.get("sheet"), e.get("row"), e.get("column"), e.get("value"), e.get("message")])
    ws.column_dimensions["E"].width = 60
    for row in ws.iter_rows(min_row=2):
        row[4].alignment = Alignment(wrap_text=True)
    return _save(wb)


def schema_names() -> list[str]:
    return list(SCHEMAS)
