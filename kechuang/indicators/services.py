"""Writes of the indicator system: peer-region values imported from Excel (all-or-nothing),
exported back with the same headers, and single values and targets entered by staff.

The workbook is read and validated with the import framework's own functions
(`imports.services.read_workbook`, `imports.logic.parse_sheet`, its column specs and messages),
so a peer-values workbook is checked exactly like an enterprise workbook: every cell, with the
spreadsheet row number, in the user's language, and nothing is written if any row is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import polars as pl
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.core.excel import header_row, workbook_bytes
from kechuang.core.permissions import is_staff_role
from kechuang.enterprises.constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR
from kechuang.imports.logic import ROW, parse_sheet
from kechuang.imports.schemas import Column, EntitySchema
from kechuang.imports.services import column_specs, error_message, read_workbook
from kechuang.regions.models import Region

from .models import Indicator, IndicatorSet, IndicatorValue

__all__ = [
    "PEER_VALUES",
    "ValuesImportResult",
    "indicator_values_import",
    "indicator_values_workbook",
]

PEER_VALUES = EntitySchema(
    name="indicator_values",
    sheet="指标数值",
    # Lazy, so the title follows the request's language (EntitySchema.title is read as text).
    title=cast(str, gettext_lazy("Indicator values of regions")),
    model_label="indicators.IndicatorValue",
    key=("region_code", "indicator_code", "year"),
    columns=(
        Column("region_code", "地区代码", required=True, max_length=12, note="6位行政区划代码"),
        Column("region_name", "地区名称", max_length=64, note="仅供阅读，导入时不使用"),
        Column("indicator_code", "指标代码", required=True, max_length=64),
        Column("indicator_name", "指标名称", max_length=128, note="仅供阅读，导入时不使用"),
        Column(
            "year",
            "年度",
            "int",
            required=True,
            min_value=FIRST_REPORTING_YEAR,
            max_value=LAST_REPORTING_YEAR,
        ),
        Column(
            "value", "数值", "decimal", required=True, note="按指标单位填写，取值范围见指标目录"
        ),
    ),
)


@dataclass
class ValuesImportResult:
    """Rows read, values created / updated / unchanged, errors ({row, column, value, message})
    and whether anything was written."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    committed: bool = False


def _error(row: int | None, column: str, value: Any, message: str) -> dict:
    return {"sheet": PEER_VALUES.sheet, "row": row, "column": column, "value": value,
            "message": message}  # fmt: skip


def _raw_frame(path: str | Path) -> tuple[pl.DataFrame | None, list[dict]]:
    """The sheet's raw text columns renamed to fields, or the file-level errors."""
    try:
        sheets = read_workbook(path)
    except ValueError as exc:  # WorkbookRejected carries the limit it broke
        message = getattr(exc, "message", None) or error_message("unreadable", ())
        return None, [_error(None, "", None, message)]
    sheet = next((s for s in sheets if s[0] == PEER_VALUES.sheet), sheets[0] if sheets else None)
    if sheet is None:
        return None, [_error(None, "", None, error_message("empty", ()))]
    _name, headers, raw = sheet
    by_header = {c.header: c.field for c in PEER_VALUES.columns}
    errors = [
        _error(1, h, h, error_message("unknown_column", ()))
        for h in headers
        if h and h not in by_header
    ]
    errors += [
        _error(1, c.header, None, error_message("missing_column", ()))
        for c in PEER_VALUES.columns
        if c.required and c.header not in headers
    ]
    if errors:
        return None, errors
    if not raw.height:
        return None, [_error(None, "", None, error_message("empty", ()))]
    return raw.select([ROW, *[pl.col(h).alias(by_header[h]) for h in headers if h]]), []


def _validate(raw: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    typed, cell_errors = parse_sheet(raw, column_specs(PEER_VALUES), key=PEER_VALUES.key)
    # The import framework rounds decimal cells to 2 places; indicator values keep every digit
    # the workbook carries (docs/indicators.md#storage), so the value is read again from its text.
    exact = raw.select(
        ROW,
        pl.col("value")
        .str.replace_all(",", "")
        .str.replace_all("，", "")
        .str.strip_chars()
        .cast(pl.Float64, strict=False)
        .alias("_exact"),
    )
    typed = (
        typed.join(exact, on=ROW, how="left")
        .with_columns(pl.coalesce("_exact", "value").alias("value"))
        .drop("_exact")
    )
    errors = [
        _error(e.row, e.column, e.value, error_message(e.message_id, e.params)) for e in cell_errors
    ]
    regions = set(Region.objects.values_list("code", flat=True))
    indicators = {i.code: i for i in Indicator.objects.all()}
    headers = {c.field: c.header for c in PEER_VALUES.columns}
    for row, region, code, value in typed.select(
        ROW, "region_code", "indicator_code", "value"
    ).iter_rows():
        if region is not None and region not in regions:
            errors.append(
                _error(row, headers["region_code"], region, _("No region with this code."))
            )
        indicator = indicators.get(code) if code is not None else None
        if code is not None and indicator is None:
            errors.append(
                _error(
                    row,
                    headers["indicator_code"],
                    code,
                    _("No indicator with this code in the catalogue."),
                )
            )
        # the valid range is the indicator's own (docs/indicators.md#storage): a count is never
        # negative, a growth rate may be
        if indicator is not None and indicator.min_value is not None and value is not None:
            if value < indicator.min_value:
                errors.append(
                    _error(row, headers["value"], str(value),
                           error_message("below_min", (indicator.min_value,)))
                )  # fmt: skip
        if indicator is not None and indicator.max_value is not None and value is not None:
            if value > float(indicator.max_value):
                errors.append(
                    _error(row, headers["value"], str(value),
                           error_message("above_max", (float(indicator.max_value),)))
                )  # fmt: skip
    errors.sort(key=lambda e: (e["row"] or 0, e["column"]))
    return typed, errors


def indicator_values_import(
    path: str | Path, *, user: Any, dry_run: bool = False, language: str | None = None
) -> ValuesImportResult:
    """Import a workbook of region × indicator × year values: validate every cell, then upsert
    all rows in one transaction, or write nothing if any row has an error (or on a dry run).

    Raises PermissionDenied unless the user is bureau staff.
    """
    if not is_staff_role(user):
        raise PermissionDenied
    result = ValuesImportResult()
    with translation.override(language or translation.get_language()):
        raw, errors = _raw_frame(path)
        if raw is None:
            result.errors = errors
            return result
        result.rows = raw.height
        typed, errors = _validate(raw)
        result.errors = errors
        if errors:
            return result
    regions = dict(Region.objects.values_list("code", "id"))
    indicators = dict(Indicator.objects.values_list("code", "id"))
    rows = {
        (indicators[code], regions[region], year): (float(value), row)
        for row, region, code, year, value in typed.select(
            ROW, "region_code", "indicator_code", "year", "value"
        ).iter_rows()
    }  # fmt: skip
    existing = {
        (v.indicator_id, v.region_id, v.year): v
        for v in IndicatorValue.objects.filter(
            year__in={k[2] for k in rows}, indicator_id__in={k[0] for k in rows}
        )
    }
    to_create, to_update = [], []
    for (indicator_id, region_id, year), (value, row) in rows.items():
        current = existing.get((indicator_id, region_id, year))
        if current is None:
            to_create.append(
                IndicatorValue(indicator_id=indicator_id, region_id=region_id, year=year,
                               value=value, source="import", source_row=row, updated_by=user)
            )  # fmt: skip
        elif current.value != value:
            current.value, current.source, current.source_row = value, "import", row
            current.updated_by = user
            to_update.append(current)
        else:
            result.unchanged += 1
    result.created, result.updated = len(to_create), len(to_update)
    if dry_run:
        return result
    with transaction.atomic():
        reason = _("Imported peer-region indicator values")
        bulk_create_with_history(to_create, IndicatorValue, batch_size=2000,
                                 default_user=user, default_change_reason=reason)  # fmt: skip
        bulk_update_with_history(
            to_update, IndicatorValue, ["value", "source", "source_row", "updated_by"],
            batch_size=2000, default_user=user, default_change_reason=reason,
        )  # fmt: skip
    result.committed = True
    return result


def indicator_values_workbook(
    *, year: int | None = None, indicator_set: IndicatorSet | None = None, blank: bool = False
) -> bytes:
    """The values (optionally of one year / one set's indicators) as a workbook with the
    import template's headers, so export → edit → import round-trips; `blank` gives the
    empty template."""
    wb = Workbook()
    ws = wb.active
    ws.title = PEER_VALUES.sheet
    header_row(ws, PEER_VALUES.headers, widths=(10, 14, 30, 40, 8, 14))
    qs = IndicatorValue.objects.select_related("indicator", "region").order_by(
        "indicator__sort_order", "year", "region__code"
    )
    if year is not None:
        qs = qs.filter(year=year)
    if indicator_set is not None:
        qs = qs.filter(indicator__in=indicator_set.indicators.all())
    if blank:
        qs = qs.none()
    for v in qs.iterator(chunk_size=2000):
        ws.append([v.region.code, v.region.name, v.indicator.code, v.indicator.name_zh, v.year,
                   float(v.value)])  # fmt: skip
    return workbook_bytes(wb)
