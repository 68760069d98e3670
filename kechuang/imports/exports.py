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

__all__ = [
    "template_workbook",
    "export_workbook",
    "export_by_name",
    "errors_workbook",
    "export_rows",
]

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
    "ref": "名称（须已登记）",
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
    info.append(
        [
            "",
            "",
            "",
            "金额单位为元，最多两位小数（多于两位为错误，不会四舍五入）；空单元格表示未知。",
        ]
    )
    for col in "ABCD":
        info.column_dimensions[col].width = 30 if col != "D" else 90
    _example_block(info, schema)
    _validations(ws, info, schema)
    return _save(wb)


# Lists behind the drop-downs: hidden columns of the instruction sheet, which the importer
# never reads (an extra sheet would be read as data).
LIST_COLUMNS = {"town": "H", "bool": "I", "division": "J"}
DATA_ROWS = 10000  # rows of the data sheet that carry the drop-downs


def _example_value(c):
    if c.example:
        return c.example
    if c.kind == "credit_code":
        return "91330282MA2XXXXXXX"
    if c.kind == "town":
        from kechuang.regions.models import Town

        town = Town.objects.order_by("sort_order", "code").values_list("name", flat=True).first()
        return town or "某某镇"
    if c.kind == "industry":
        return "3411"
    if c.kind == "int":
        low, high = c.bounds()
        return int(high - 1) if c.year_window else int(low or 0) + 10
    if c.kind in ("money", "decimal"):
        return "1234567.89" if c.kind == "money" else "12.5"
    if c.kind == "date":
        return "2024-06-30"
    if c.kind == "bool":
        return "是"
    if c.kind == "choice" and c.choices is not None:
        return _zh_choices(c.choices)[0][1]
    return "（示例）"


def _example_block(info, schema: EntitySchema) -> None:
    """An example row, on the instruction sheet (never imported), under the data sheet's headers."""
    info.append([])
    info.append(["示例（仅供参考，不会导入；请在“" + schema.sheet + "”工作表填写）"])
    start = info.max_row + 1
    for offset, c in enumerate(schema.columns):
        info.cell(row=start + offset, column=1, value=c.header)
        info.cell(row=start + offset, column=4, value=_example_value(c))


def _validations(ws, info, schema: EntitySchema) -> None:
    """Drop-downs on the data sheet: towns and 是/否 from lists, choice columns from their
    labels; the industry code must be 4 digits of a GB/T 4754-2017 division."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from kechuang.enterprises.logic.industry import DIVISIONS
    from kechuang.regions.models import Town

    lists = {
        "town": list(Town.objects.order_by("sort_order", "code").values_list("name", flat=True)),
        "bool": ["是", "否"],
        "division": sorted(DIVISIONS),
    }
    heads = {"town": "镇街道", "bool": "是/否", "division": "行业大类代码"}
    for key, col in LIST_COLUMNS.items():
        info[f"{col}1"] = heads[key]
        for i, value in enumerate(lists[key], start=2):
            info[f"{col}{i}"] = value
        info.column_dimensions[col].hidden = True
    # The division names next to their codes (visible for reference).
    info["K1"] = "行业大类名称"
    for i, code in enumerate(lists["division"], start=2):
        info[f"K{i}"] = DIVISIONS[code]
    info.column_dimensions["K"].hidden = True

    def ref(key):
        col = LIST_COLUMNS[key]
        return f"'{INSTRUCTIONS_SHEET}'!${col}$2:${col}${max(2, len(lists[key]) + 1)}"

    for j, c in enumerate(schema.columns, start=1):
        letter = get_column_letter(j)
        cells = f"{letter}2:{letter}{DATA_ROWS + 1}"
        if c.kind == "town" and lists["town"]:
            dv = DataValidation(type="list", formula1=ref("town"), allow_blank=not c.required)
        elif c.kind == "bool":
            dv = DataValidation(type="list", formula1=ref("bool"), allow_blank=True)
        elif c.kind == "choice" and c.choices is not None:
            labels = [label for _, label in _zh_choices(c.choices)]
            joined = ",".join(labels)
            if len(joined) > 250 or '"' in joined:
                continue
            dv = DataValidation(type="list", formula1=f'"{joined}"', allow_blank=True)
        elif c.kind == "industry":
            first = f"{letter}2"
            dv = DataValidation(
                type="custom",
                formula1=f"AND(LEN({first})=4,ISNUMBER(MATCH(LEFT({first},2),{ref('division')},0)))",
                allow_blank=not c.required,
            )
            dv.error = "行业代码应为 GB/T 4754-2017 四位代码，前两位为行业大类"
            dv.prompt = "四位行业代码，如 3411；大类见“填写说明”"
            dv.showInputMessage = True
        else:
            continue
        dv.errorTitle = c.header
        dv.error = dv.error or "请从下拉列表中选择"
        dv.showErrorMessage = True
        ws.add_data_validation(dv)
        dv.add(cells)


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
        elif c.ref is not None:
            lookups.append(f"{c.ref.attname.removesuffix('_id')}__{c.ref.lookup}")
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


def export_by_name(name: str, queryset) -> tuple[bytes, str]:
    """`export_workbook` for the entity `name`, and its sheet name (core.lists' exporter)."""
    schema = SCHEMAS[name]
    return export_workbook(schema, queryset), schema.sheet


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
