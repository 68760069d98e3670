"""Import service: read a workbook, validate every cell, plan the changes, commit all-or-nothing.

The path is: read (python-calamine) → parse and validate (imports.logic, Polars) → plan against
the database (one query per entity) → write in one transaction with history (simple-history's
bulk helpers). The demo generator calls `import_frames` with frames it builds, so generated data
goes through the same checks and writes as an uploaded file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastexcel
import polars as pl
from django.apps import apps
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.core.hooks import data_changed
from kechuang.core.validators import EXPIRY_FUTURE_YEARS, earliest_date, latest_date
from kechuang.enterprises.constants import HIGH_TECH_VALIDITY_YEARS
from kechuang.enterprises.logic.credit_code import CreditCodeError, validate_credit_code
from kechuang.enterprises.logic.industry import IndustryCodeError, validate_industry_code
from kechuang.regions.selectors import home_towns

from .guard import Limits, WorkbookRejected, check_workbook, too_large_message
from .logic import ROW, SCOPE_SEPARATOR, CellError, ColumnSpec, parse_sheet
from .models import ImportBatch, ImportStatus
from .recovery import enqueue_batch_run
from .schemas import SCHEMAS, EntitySchema, Ref, schema_for_headers

__all__ = [
    "ImportResult",
    "SheetResult",
    "import_file",
    "import_frames",
    "read_workbook",
    "INSTRUCTIONS_SHEET",
]

INSTRUCTIONS_SHEET = "填写说明"
# Entities that others reference are imported first: the registry's order (SCHEMAS), which
# starts with these.
ORDER = ["enterprises", "annual_figures", "ip_assets", "qualifications", "institutions"]


def _import_order(name: str) -> int:
    names = list(SCHEMAS)
    return names.index(name) if name in names else len(names)


BATCH_SIZE = 2000
ANALYZE_MIN_ROWS = 1000  # refresh PostgreSQL statistics after imports at least this large


@dataclass
class SheetResult:
    entity: str
    sheet: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[dict] = field(default_factory=list)
    # The first PREVIEW_CHANGES updated rows: sheet row, key and each changed column (before → after).
    changes: list[dict] = field(default_factory=list)


@dataclass
class ImportResult:
    """The outcome of an import: per-sheet counts and every error, in the user's language."""

    sheets: list[SheetResult] = field(default_factory=list)
    committed: bool = False
    file_errors: list[dict] = field(default_factory=list)

    @property
    def errors(self) -> list[dict]:
        return [
            _clip_error(e) for e in self.file_errors + [e for s in self.sheets for e in s.errors]
        ]

    def summary(self) -> dict:
        return {
            "rows": sum(s.rows for s in self.sheets),
            "created": sum(s.created for s in self.sheets),
            "updated": sum(s.updated for s in self.sheets),
            "unchanged": sum(s.unchanged for s in self.sheets),
            "errors": len(self.errors),
            "sheets": [
                {
                    "entity": s.entity,
                    "sheet": s.sheet,
                    "rows": s.rows,
                    "created": s.created,
                    "updated": s.updated,
                    "unchanged": s.unchanged,
                    "errors": len(s.errors),
                    "changes": s.changes,
                }
                for s in self.sheets
            ],
        }


# ------------------------------------------------------------------ messages


def error_message(message_id: str, params: tuple, extra: Any = None) -> str:
    """The user-facing text of a cell error, in the active language.

    extra: a schema's own messages ({id: text with %(other)s and %(value)s}).
    """
    p = list(params)
    own = dict(extra or ())
    if message_id in own:
        values = {"other": p[0] if p else "", "value": p[1] if len(p) > 1 else ""}
        return str(own[message_id]) % values
    messages = {
        "required": lambda: _("This column is required."),
        "not_number": lambda: _("Not a number."),
        "not_integer": lambda: _("Must be a whole number."),
        "below_min": lambda: _("Must be at least %(min)s.") % {"min": _fmt(p[0])},
        "above_max": lambda: _("Must be at most %(max)s.") % {"max": _fmt(p[0])},
        "not_date": lambda: _("Not a date; write it as 2024-03-31."),
        "too_many_decimals": lambda: (
            _("At most %(n)s decimal places (yuan and fen).") % {"n": p[0]}
        ),
        "date_too_early": lambda: (
            _("A date before %(date)s is not plausible.") % {"date": p[0].isoformat()}
        ),
        "date_too_late": lambda: (
            _("A date after %(date)s is not plausible.") % {"date": p[0].isoformat()}
        ),
        "not_bool": lambda: _("Write 是 (yes) or 否 (no)."),
        "unknown_choice": lambda: _("Unknown value; allowed: %(allowed)s.") % {"allowed": p[0]},
        "unknown_town": lambda: _("Not a town or street of this region."),
        "too_long": lambda: _("At most %(n)s characters.") % {"n": p[0]},
        "credit_length": lambda: _("A unified social credit code has 18 characters."),
        "credit_charset": lambda: _(
            "The code may contain only digits and the letters A-Y except I, O, S, V, Z."
        ),
        "credit_division": lambda: _(
            "Characters 3-8 must be the digits of an administrative division code."
        ),
        "credit_check": lambda: (
            _("Wrong check character: for this code it should be “%(expected)s”.")
            % {"expected": p[0]}
        ),
        "industry_format": lambda: _("An industry code (GB/T 4754-2017) has 4 digits."),
        "industry_division": lambda: _("No such industry division in GB/T 4754-2017."),
        "unknown_enterprise": lambda: _(
            "No enterprise with this credit code; import it in the enterprise sheet first."
        ),
        "unknown_reference": lambda: (
            _("No %(what)s of this name; register it first or add it to its sheet.")
            % {"what": p[0]}
        ),
        "duplicate": lambda: _("Duplicate of row %(row)s in this sheet.") % {"row": p[0]},
        "tech_staff_gt_staff": lambda: (
            _("S&T staff exceed staff (%(other)s = %(value)s).") % {"other": p[0], "value": p[1]}
        ),
        "domestic_gt_total": lambda: (
            _("Domestic R&D exceeds total R&D (%(other)s = %(value)s).")
            % {"other": p[0], "value": p[1]}
        ),
        "main_gt_sales": lambda: (
            _("Main business revenue exceeds sales revenue (%(other)s = %(value)s).")
            % {"other": p[0], "value": p[1]}
        ),
        "non_taxable_gt_total": lambda: (
            _("Non-taxable income exceeds total income (%(other)s = %(value)s).")
            % {"other": p[0], "value": p[1]}
        ),
        "grant_before_application": lambda: (
            _("Application date is after the grant date (%(other)s = %(value)s).")
            % {"other": p[0], "value": p[1]}
        ),
        "expiry_before_issue": lambda: (
            _("Issue date is after the expiry date (%(other)s = %(value)s).")
            % {"other": p[0], "value": p[1]}
        ),
        "unknown_column": lambda: _("Unknown column; use the template's headers."),
        "missing_column": lambda: _("Required column is missing."),
        "unknown_sheet": lambda: _("This sheet matches no template."),
        "unreadable": lambda: _("The file could not be read as an Excel workbook."),
        "empty": lambda: _("The workbook contains no data rows."),
    }
    return str(messages[message_id]())


def _fmt(number: Any) -> str:
    return f"{number:,.0f}" if float(number).is_integer() else str(number)


ERROR_VALUE_CHARS = 100  # an error report quotes at most this much of a cell


def _clip(value: Any, n: int = ERROR_VALUE_CHARS) -> Any:
    """A cell value as quoted in an error: long text is cut (a 100 MB cell must not become a
    100 MB error page)."""
    if isinstance(value, str) and len(value) > n:
        return value[:n] + "…"
    return value


def _clip_error(e: dict) -> dict:
    return {
        **e,
        "sheet": _clip(e.get("sheet"), 64),
        "column": _clip(e.get("column"), 64),
        "value": _clip(e.get("value")),
    }


def _error_dict(sheet: str, e: CellError, extra: Any = None) -> dict:
    return {
        "sheet": sheet,
        "row": e.row,
        "column": e.column,
        "value": e.value,
        "message": error_message(e.message_id, e.params, extra),
    }


# ------------------------------------------------------------------ reading


def _cell_text(value: Any) -> str | None:
    cls = type(value)
    if cls is str:  # fast paths for the common cell types (same results as below)
        return value or None
    if value is None:
        return None
    if cls is float:
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if value == "":
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_workbook(
    path: str | Path, limits: Limits | None = None
) -> list[tuple[str, list[str], pl.DataFrame]]:
    """Read every data sheet of a workbook.

    Returns [(sheet name, headers, raw frame)] where the raw frame has one Utf8 column per header
    (named by the header) and "__row" with the spreadsheet row number (the header is row 1).
    The package is checked first (`guard.check_workbook`: sheets, unpacked size, compression,
    dimensions). A sheet whose cell A1 holds a value is read column by column straight into
    Polars by fastexcel (`_read_sheet_columns`); any other sheet, or one that fastexcel cannot
    read exactly as the row reader would, is read row by row with python-calamine. Both give
    the same frame (a test compares them). Raises `WorkbookRejected` (a ValueError with a
    message) for a workbook over a limit and ValueError("unreadable") if the file is not a
    workbook.
    """
    limits = limits or Limits.from_settings()
    at_a1 = check_workbook(path, limits)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises several error types for non-workbooks
        raise ValueError("unreadable") from exc
    columns_reader: Any = None
    sheets = []
    for name in workbook.sheet_names:
        if name == INSTRUCTIONS_SHEET:
            continue
        if name in at_a1:
            if columns_reader is None:
                columns_reader = _columns_reader(path)
            read = _read_sheet_columns(columns_reader, name, limits)
            if read is not None:
                sheets.append((name, *read))
                continue
        read = _read_sheet_rows(workbook, name, limits)
        if read is not None:
            sheets.append((name, *read))
    return sheets


def _read_sheet_rows(
    workbook: CalamineWorkbook, name: str, limits: Limits
) -> tuple[list[str], pl.DataFrame] | None:
    """One sheet row by row (python-calamine); None for a sheet with no rows at all."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as exc:
        raise ValueError("unreadable") from exc
    rows = sheet.iter_rows()  # rows from row 1, columns from the first used one
    pad = [None] * (sheet.start[1] if sheet.start else 0)
    first = next(rows, None)
    if first is None:
        return None
    headers = [str(h).strip() if h is not None else "" for h in [*pad, *first]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    if width > limits.columns:
        raise WorkbookRejected(too_large_message(name, limits))
    # One text column per named column (a repeated header: the last one wins), converted
    # a slice of READ_CHUNK rows at a time, so at most one slice of the sheet is held as
    # Python values.
    index = {header: j - len(pad) for j, header in enumerate(headers) if header}
    chunks: list[pl.DataFrame] = []
    row_numbers: list[int] = []
    chunk: list = []
    for i, r in enumerate(rows):
        if i >= limits.rows:
            raise WorkbookRejected(too_large_message(name, limits))
        if any(v is not None and v != "" for v in r):  # not a blank row
            row_numbers.append(i + 2)
            chunk.append(r)
            if len(chunk) == READ_CHUNK:
                chunks.append(_chunk_frame(chunk, row_numbers, index))
                chunk, row_numbers = [], []
    if chunk or not chunks:
        chunks.append(_chunk_frame(chunk, row_numbers, index))
    del rows, sheet, chunk  # free the reader's copy of the sheet before joining the slices
    return headers, pl.concat(chunks, rechunk=True)


def _columns_reader(path: str | Path) -> Any:
    try:
        return fastexcel.read_excel(str(path))
    except Exception as exc:  # python-calamine opened it, so this is unexpected
        raise ValueError("unreadable") from exc


# Header texts that the row reader writes differently (a number as "2019.0", a date, a yes/no
# cell): the column reader leaves such a sheet to the row reader.
_TYPED_HEADER = re.compile(
    r"^\s*(?:[-+]?[0-9.]+(?:[eE][-+]?[0-9]+)?|true|false|\d{4}-\d{2}-\d{2}.*)\s*$"
)
# A date before 1 March 1900 is how a time of day (or a tiny number formatted as a date) comes
# out of a datetime column; the row reader gives those as times, so such columns go to it.
_FIRST_REAL_DATE = dt.datetime(1900, 3, 1)


def _read_sheet_columns(
    reader: Any, name: str, limits: Limits
) -> tuple[list[str], pl.DataFrame] | None:
    """One sheet whose A1 holds a value, read by fastexcel column by column into Polars, as
    `_read_sheet_rows` would read it; None when it cannot be exact (a column of mixed cell
    types, a header that is not plain text or may have been renamed, time-of-day cells)."""
    try:
        sheet = reader.load_sheet(name, schema_sample_rows=None, dtype_coercion="strict")
        frame = sheet.to_polars()
    except Exception:  # fastexcel's errors for mixed columns and cell types it cannot type
        return None
    headers = [c.name for c in sheet.available_columns()]
    if any(c.column_name_from == "generated" for c in sheet.available_columns()):
        return None  # a blank header, or one that is not text (a yes/no, say): unknown which
    for header in headers:
        renamed = re.fullmatch(r"(.*)_\d+", header, re.S)
        if _TYPED_HEADER.match(header) or (renamed and renamed.group(1) in headers):
            return None
    headers = [h.strip() for h in headers]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > limits.columns or frame.height > limits.rows:
        raise WorkbookRejected(too_large_message(name, limits))
    index = {header: j for j, header in enumerate(headers) if header}
    # Row numbers before blank rows go: the header is row 1. A blank row has no cell with a
    # value in any column, named or not.
    rows = frame.with_row_index(ROW, offset=2)
    rows = rows.filter(pl.any_horizontal(pl.exclude(ROW).is_not_null()))
    columns = {ROW: rows.get_column(ROW).cast(pl.Int64)}
    for header, j in index.items():
        text = _series_text(header, rows.to_series(j + 1))
        if text is None:
            return None
        columns[header] = text
    return headers, pl.DataFrame(columns)


def _series_text(name: str, series: pl.Series) -> pl.Series | None:
    """A typed column from fastexcel as `_cell_text` writes each cell; None if it cannot be."""
    dtype = series.dtype
    if dtype == pl.String:
        text = series.alias(name)
        return text.set(text == "", None)  # type: ignore[arg-type]
    if dtype == pl.Null:
        return pl.Series(name, [None] * len(series), dtype=pl.Utf8)
    if dtype == pl.Float64:
        return _float_text(name, series, lambda i: repr(series[i]))
    if dtype in (pl.Int64, pl.Int32):
        return series.cast(pl.Utf8).alias(name)
    if dtype == pl.Boolean:
        return (
            pl.select(pl.when(series).then(pl.lit("是")).otherwise(pl.lit("否")).alias(name))
            .to_series()
            .set(series.is_null(), None)
        )  # type: ignore[arg-type]
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        if isinstance(dtype, pl.Datetime) and (series < _FIRST_REAL_DATE).any():
            return None
        if dtype == pl.Date and (series < _FIRST_REAL_DATE.date()).any():
            return None
        return series.cast(pl.Date).cast(pl.Utf8).alias(name)
    return None


READ_CHUNK = 20_000  # rows converted to text columns at a time


def _chunk_frame(chunk: list, row_numbers: list[int], index: dict[str, int]) -> pl.DataFrame:
    """Rows of a sheet as a raw frame: "__row" and one Utf8 column per named column, each cell
    as `_cell_text` writes it (an empty cell or an empty text is null)."""
    lengths = set(map(len, chunk))
    shortest = min(lengths, default=0)
    # The reader gives rows of one width: then one zip transposes the slice in C.
    transposed = list(zip(*chunk, strict=True)) if len(lengths) == 1 else None
    columns: dict[str, pl.Series] = {ROW: pl.Series(ROW, row_numbers, dtype=pl.Int64)}
    for header, j in index.items():
        values: Sequence
        if j < 0:
            values = [None] * len(chunk)
        elif transposed is not None and j < shortest:
            values = transposed[j]
        elif j < shortest:
            values = [r[j] for r in chunk]
        else:
            values = [r[j] if j < len(r) else None for r in chunk]
        columns[header] = _column_text(header, values)
    return pl.DataFrame(columns)


def _column_text(name: str, values: Sequence) -> pl.Series:
    """`_cell_text` of every cell of a column, vectorised for columns of one cell type (text,
    numbers, whole numbers), cell by cell for mixed ones."""
    kinds = set(map(type, values))
    kinds.discard(type(None))
    if kinds <= {str}:
        text = pl.Series(name, values, dtype=pl.Utf8)
        return text.set(text == "", None)  # type: ignore[arg-type]
    if kinds == {int}:
        return pl.Series(name, values, dtype=pl.Int64).cast(pl.Utf8)
    if kinds == {float}:
        return _float_text(
            name, pl.Series(name, values, dtype=pl.Float64), lambda i: repr(values[i])
        )
    return pl.Series(name, [_cell_text(v) for v in values], dtype=pl.Utf8)


def _float_text(name: str, number: pl.Series, odd_text: Any) -> pl.Series:
    """Numbers as `_cell_text` writes them; `odd_text(i)` writes the i-th one outside Polars'
    plain range."""
    size = number.abs()
    whole = (number == number.floor()) & (size < 1e15)
    # Polars writes a float as its shortest round-trip form, as repr does, between 1e-4
    # and 1e15 (repr switches to exponents outside); whole numbers drop the ".0".
    plain = number.is_null() | whole | ((size >= 1e-4) & (size < 1e15))
    text = pl.select(
        pl.when(whole)
        .then(number.cast(pl.Int64, strict=False).cast(pl.Utf8))
        .otherwise(number.cast(pl.Utf8))
        .alias(name)
    ).to_series()
    if plain.all():
        return text
    odd = (~plain).arg_true().to_list()
    return text.scatter(odd, [odd_text(i) for i in odd])


# ------------------------------------------------------------------ validation


def _credit_check(value: str) -> str | None:
    try:
        validate_credit_code(value)
    except CreditCodeError as exc:
        return f"credit_{exc.code}" + (f":{exc.expected}" if exc.expected else "")
    return None


def _industry_check(value: str) -> str | None:
    try:
        validate_industry_code(value)
    except IndustryCodeError as exc:
        return f"industry_{exc.code}"
    return None


def _choice_lookup(choices: Any) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value] = value
        for lang in ("zh-hans", "en"):
            with translation.override(lang):
                lookup[str(label)] = value
    return lookup


def column_specs(schema: EntitySchema) -> list[ColumnSpec]:
    """Parser specs for a schema, with the lookups (towns, choices, validators) filled in."""
    towns = None
    specs = []
    for c in schema.columns:
        lookup: Any = None
        validator: Any = None
        if c.kind == "choice":
            lookup = _choice_lookup(c.choices)
        elif c.kind == "town":
            towns = towns if towns is not None else {t.name: t.pk for t in home_towns()}
            lookup = towns
        elif c.kind == "credit_code":
            validator = _credit_check
        elif c.kind == "industry":
            validator = _industry_check
        low, high = c.bounds()
        ref = c.ref
        specs.append(
            ColumnSpec(
                c.field,
                c.header,
                c.kind,
                c.required,
                low,
                high,
                c.max_length,
                lookup,
                validator,
                min_date=earliest_date() if c.kind == "date" else None,
                max_date=(
                    latest_date(
                        future_years=EXPIRY_FUTURE_YEARS if c.field == "expiry_date" else None
                    )
                    if c.kind == "date"
                    else None
                ),
                scope_field=ref.scope[0] if ref is not None and ref.scope else None,
                ref_noun=ref.noun if ref is not None else None,
            )
        )
    return specs


# ------------------------------------------------------------------ references


def _ref_cache_key(ref: Ref) -> tuple:
    return (ref.model_label, ref.lookup, ref.scope, ref.filters)


def _ref_map(ref: Ref, cache: dict) -> dict[str, Any]:
    """{name as written: primary key} of the records a reference column may name (one query,
    kept in `cache` for the whole import; a scoped name is "scope␟name")."""
    key = _ref_cache_key(ref)
    if key not in cache:
        qs = apps.get_model(ref.model_label).objects.filter(**dict(ref.filters))
        if ref.scope:
            cache[key] = {
                f"{scope}{SCOPE_SEPARATOR}{name}": pk
                for scope, name, pk in qs.values_list(ref.scope[1], ref.lookup, "pk")
            }
        else:
            cache[key] = {str(name): pk for name, pk in qs.values_list(ref.lookup, "pk")}
    return cache[key]


def _known_refs(schema: EntitySchema, cache: dict, provided: dict[str, pl.DataFrame]) -> dict:
    """For each reference column: the names in the database and those the workbook adds in
    the sheet that provides them (validated, and meeting the reference's filters)."""
    known = {}
    for c in schema.refs:
        ref = c.ref
        assert ref is not None
        names = set(_ref_map(ref, cache))
        frame = provided.get(ref.provided_by)
        if frame is not None and not ref.scope and ref.lookup in frame.columns:
            for name, value in ref.filters:
                if name in frame.columns:
                    frame = frame.filter(pl.col(name) == value)
            names |= {str(v) for v in frame.get_column(ref.lookup).drop_nulls().to_list()}
        known[c.field] = names
    return known


def _resolve_refs(schema: EntitySchema, frame: pl.DataFrame, cache: dict) -> pl.DataFrame:
    """Add each reference column's primary keys (named by the foreign key's attname)."""
    exprs = []
    for c in schema.refs:
        ref = c.ref
        assert ref is not None
        if c.field not in frame.columns:
            continue
        mapping = _ref_map(ref, cache)
        value = pl.col(c.field)
        if ref.scope and ref.scope[0] in frame.columns:
            value = pl.concat_str(
                [pl.col(ref.scope[0]).fill_null(""), pl.lit(SCOPE_SEPARATOR), value]
            )
        if mapping:
            exprs.append(
                value.replace_strict(mapping, default=None, return_dtype=pl.Int64).alias(
                    ref.attname
                )
            )
        else:
            exprs.append(pl.lit(None, dtype=pl.Int64).alias(ref.attname))
    return frame.with_columns(exprs) if exprs else frame


def _remember_created(schema: EntitySchema, rows: pl.DataFrame, pks: list, cache: dict) -> None:
    """Records created by this sheet (its new rows, in the order of `pks`) become nameable by
    the sheets after it."""
    for (model_label, lookup, scope, filters), mapping in cache.items():
        if model_label != schema.model_label or scope or lookup not in rows.columns:
            continue
        named = (
            rows.with_columns(pl.Series("_pk", pks))
            .filter(
                pl.col(lookup).is_not_null(),
                *(
                    pl.col(name).eq_missing(value)
                    if name in rows.columns
                    else pl.lit(value is None)
                    for name, value in filters
                ),
            )
            .select(lookup, "_pk")
        )
        for name, pk in named.iter_rows():
            mapping[str(name)] = pk


# ------------------------------------------------------------------ planning and writing


def _model(schema: EntitySchema) -> Any:
    return apps.get_model(schema.model_label)


def _existing(
    schema: EntitySchema, frame: pl.DataFrame, code_to_id: dict[str, int]
) -> dict[tuple, dict]:
    """Existing rows that the frame's keys could match, keyed by natural key (one query)."""
    model = _model(schema)
    qs = model.objects.all()
    if "year" in schema.key and "year" in frame.columns:
        qs = qs.filter(year__in=frame.get_column("year").drop_nulls().unique().to_list())
    for c in schema.refs:  # only rows of the referenced records the sheet names
        attname = c.ref.attname  # type: ignore[union-attr]
        if c.field in schema.key and attname in frame.columns:
            qs = qs.filter(
                **{f"{attname}__in": frame.get_column(attname).drop_nulls().unique().to_list()}
            )
    key = schema.key_attnames
    rows = {}
    id_to_code = None
    for row in qs.values():
        if schema.name != "enterprises" and "enterprise_id" in row:
            if id_to_code is None:
                id_to_code = {v: k for k, v in code_to_id.items()}
            row["credit_code"] = id_to_code.get(row["enterprise_id"])
        rows[tuple(row[k] for k in key)] = row
    return rows


# How many updated rows the dry run lists with their before → after values.
PREVIEW_CHANGES = 200


def _display(value: Any) -> str:
    """A cell value as the preview shows it (JSON-safe text)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def _normalise(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _to_python(field_obj: Any, value: Any) -> Any:
    if value is None:
        return None
    if field_obj.get_internal_type() == "DecimalField":
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    return value


def _column_converter(field_obj: Any) -> Any:
    """`_to_python` for a whole column (one call per column, not per cell)."""
    if field_obj is not None and field_obj.get_internal_type() == "DecimalField":
        cent = Decimal("0.01")
        return lambda values: [
            None if v is None else Decimal(repr(v)).quantize(cent) for v in values
        ]
    return None


def _plan_and_write(
    schema: Any,
    frame: Any,
    *,
    sheet_result: Any,
    dry_run: Any,
    code_to_id: Any,
    batch: Any,
    user: Any,
    source: Any,
    ref_cache: dict | None = None,
) -> Any:
    model = _model(schema)
    ref_cache = {} if ref_cache is None else ref_cache
    frame = _resolve_refs(schema, frame, ref_cache)
    refs = {c.field: c.ref for c in schema.refs}
    present = [c.field for c in schema.columns if c.field in frame.columns]
    fields = {f.name: f for f in model._meta.concrete_fields}
    existing = _existing(schema, frame, code_to_id)
    # Rows whose natural key is new are written column-wise from the frame (docs/
    # performance.md#batch); only rows matching a stored record are compared cell by cell.
    if existing:
        keys = zip(*(frame.get_column(k).to_list() for k in schema.key_attnames), strict=True)
        matched = pl.Series([key in existing for key in keys], dtype=pl.Boolean)
        new_rows, frame = frame.filter(~matched), frame.filter(matched)
    else:
        new_rows, frame = frame, frame.clear()
    to_update, changed_fields = [], set()
    write_fields = [f for f in present if f != "credit_code" or schema.name == "enterprises"]
    # Convert column by column (Decimal for money), then walk the rows.
    names = [
        "town_id" if f == "town" else (refs[f].attname if f in refs else f)  # type: ignore[union-attr]
        for f in write_fields
    ]
    # A referenced record is shown by its name in the preview of changes.
    shown_as = {
        ref.attname: {pk: name.split(SCOPE_SEPARATOR)[-1] for name, pk in mapping.items()}
        for ref in refs.values()
        if ref is not None
        for mapping in [_ref_map(ref, ref_cache)]
    }
    columns = []
    for f, name in zip(write_fields, names, strict=True):
        values = frame.get_column(name if f in refs else f).to_list()
        convert = _column_converter(fields.get(name))
        columns.append(convert(values) if convert else values)
    # Blank cells in columns with a default take the default.
    defaults = {
        name: (fields[name].get_default() if fields[name].has_default() else "")
        for name in names
        if name in fields and not fields[name].null
    }
    key_columns = [frame.get_column(k).to_list() for k in schema.key_attnames]
    key_text = [frame.get_column(k).to_list() for k in schema.key]
    row_numbers = frame.get_column(ROW).to_list()
    credit_codes = (
        frame.get_column("credit_code").to_list()
        if schema.name != "enterprises" and "credit_code" in frame.columns
        else None
    )
    headers = {
        (
            "town_id" if c.field == "town" else (c.ref.attname if c.ref is not None else c.field)
        ): c.header
        for c in schema.columns
    }
    now = timezone.now()
    touch = [
        f.attname
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) and f.name in fields
    ]
    qualification_rows = schema.name == "qualifications"
    if qualification_rows:
        kinds, issues = (
            [None] * frame.height if c not in frame.columns else frame.get_column(c).to_list()
            for c in ("kind", "issue_date")
        )
    with_provenance = hasattr(model, "source_row")
    for i, row in enumerate(zip(*columns, strict=True)):
        values = dict(zip(names, row, strict=True))
        if (
            qualification_rows
            and values.get("expiry_date") is None
            and kinds[i] == "high_tech"
            and issues[i]
        ):
            values["expiry_date"] = _add_years(issues[i], HIGH_TECH_VALIDITY_YEARS) - dt.timedelta(  # type: ignore[arg-type]
                days=1
            )
        for name, default in defaults.items():
            if values[name] is None:
                values[name] = default
        if credit_codes is not None:
            # None only in a dry run, for an enterprise created by the same workbook.
            values["enterprise_id"] = code_to_id.get(credit_codes[i])
        key = tuple(col[i] for col in key_columns)
        old = existing[key]  # the rows left here all match a stored record
        provenance = (
            {
                "source": source,
                "import_batch": batch,
                "source_row": row_numbers[i],
                "updated_by": user,
            }
            if with_provenance
            else {}
        )
        diff = [k for k, v in values.items() if _normalise(v) != _normalise(old.get(k))]
        if not diff:
            sheet_result.unchanged += 1
            continue
        changed_fields.update(diff)
        if len(sheet_result.changes) < PREVIEW_CHANGES:
            sheet_result.changes.append(
                {
                    "row": row_numbers[i],
                    "key": " / ".join(_display(col[i]) for col in key_text),
                    "fields": [
                        {
                            "column": headers.get(k, k),
                            "before": _display(shown_as.get(k, {}).get(old.get(k), old.get(k))),
                            "after": _display(shown_as.get(k, {}).get(values[k], values[k])),
                        }
                        for k in diff
                    ],
                }
            )
        merged = {k: v for k, v in old.items() if k in fields or k.endswith("_id")}
        merged.update(values)
        merged.update(provenance)
        merged.update(dict.fromkeys(touch, now))  # bulk_update does not apply auto_now
        to_update.append(
            model(
                **{
                    k: v
                    for k, v in merged.items()
                    if k != "credit_code" or schema.name == "enterprises"
                }
            )
        )
    sheet_result.created = new_rows.height
    sheet_result.updated = len(to_update)
    if dry_run:
        return
    reason = f"import:{batch.pk}" if batch else f"import:{source}"
    created_pks: list = []
    if new_rows.height:
        to_create = _new_rows_frame(
            new_rows,
            write_fields=write_fields,
            names=names,
            refs=refs,
            defaults=defaults,
            credit_codes=credit_codes is not None,
            code_to_id=code_to_id,
            qualification_rows=qualification_rows,
            provenance=(source, batch, user) if with_provenance else None,
        )
        created_pks = _create_with_history(
            model, to_create, user=user, reason=reason, pks_only=True
        )
        if schema.name == "enterprises":
            code_to_id.update(
                zip(to_create.get_column("credit_code").to_list(), created_pks, strict=True)
            )
        _remember_created(schema, to_create, created_pks, ref_cache)
    if to_update:
        update_fields = sorted(
            changed_fields
            | ({"source", "import_batch", "source_row", "updated_by", "updated_at"} & set(fields))
        )
        update_fields = [f for f in update_fields if f in fields and not fields[f].primary_key]
        bulk_update_with_history(
            to_update,
            model,
            update_fields,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=reason,
        )
    if schema.after_write is not None and (created_pks or to_update):
        schema.after_write([*created_pks, *(o.pk for o in to_update)], user=user, reason=reason)


def _new_rows_frame(
    frame: pl.DataFrame,
    *,
    write_fields: list[str],
    names: list[str],
    refs: dict,
    defaults: dict[str, Any],
    credit_codes: bool,
    code_to_id: dict[str, int],
    qualification_rows: bool,
    provenance: tuple | None,
) -> pl.DataFrame:
    """The new rows of a sheet as the columns to insert (by attname), computed column-wise:
    blank cells of columns with a default take the default, a referenced enterprise its key, a
    high-tech certificate without an expiry date the end of its validity, and the provenance
    columns (source, batch, sheet row, user)."""
    exprs: dict[str, pl.Expr] = {}
    for f, name in zip(write_fields, names, strict=True):
        column = name if f in refs else f
        value = pl.col(column)
        if name in defaults and frame.get_column(column).null_count():
            default = defaults[name]
            value = value.fill_null(float(default) if isinstance(default, Decimal) else default)
        exprs[name] = value.alias(name)
    if credit_codes:
        # None only in a dry run, for an enterprise created by the same workbook.
        exprs["enterprise_id"] = (
            pl.col("credit_code")
            .replace_strict(code_to_id or {"": 0}, default=None, return_dtype=pl.Int64)
            .alias("enterprise_id")
        )
    if qualification_rows and {"kind", "issue_date"} <= set(frame.columns):
        # A high-tech enterprise certificate is valid for three years from its issue date
        # (国科发火〔2016〕32号 第九条); 29 February ends on 28 February.
        given = pl.col("expiry_date") if "expiry_date" in names else pl.lit(None, pl.Date)
        ends = pl.col("issue_date").dt.offset_by(f"{HIGH_TECH_VALIDITY_YEARS}y") - pl.duration(
            days=1
        )
        exprs["expiry_date"] = (
            pl.when(
                given.is_null()
                & (pl.col("kind") == "high_tech")
                & pl.col("issue_date").is_not_null()
            )
            .then(ends)
            .otherwise(given)
            .alias("expiry_date")
        )
    if provenance is not None:
        source, batch, user = provenance
        exprs["source"] = pl.lit(source, pl.Utf8).alias("source")
        exprs["import_batch_id"] = pl.lit(getattr(batch, "pk", None), pl.Int64).alias(
            "import_batch_id"
        )
        exprs["source_row"] = pl.col(ROW).alias("source_row")
        exprs["updated_by_id"] = pl.lit(getattr(user, "pk", None), pl.Int64).alias("updated_by_id")
    return frame.select(exprs.values())


def _create_with_history(
    model: Any,
    rows: list[tuple[dict, dict]] | pl.DataFrame,
    *,
    user: Any,
    reason: str,
    pks_only: bool = False,
) -> Any:
    """`_create_rows_with_history` (rows as (values, provenance) pairs) or
    `_create_frame_with_history` (a frame by attname): the primary keys in row order with
    `pks_only`, else {credit_code: pk} for enterprises ({} for other models)."""
    if isinstance(rows, pl.DataFrame):
        pks = _create_frame_with_history(model, rows, user=user, reason=reason)
        codes = rows.get_column("credit_code").to_list() if "credit_code" in rows.columns else []
    else:
        pks = _create_rows_with_history(model, rows, user=user, reason=reason)
        codes = [values.get("credit_code") for values, _p in rows]
    if pks_only:
        return pks
    if hasattr(model, "credit_code"):
        return dict(zip(codes, pks, strict=True))
    return {}


# Field types whose parsed cell values are database parameters as they are.
PASSTHROUGH_FIELD_TYPES = frozenset(
    {
        "CharField",
        "TextField",
        "BooleanField",
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
        "ForeignKey",
        "AutoField",
        "BigAutoField",
    }
)
# Field types the column-wise writer turns into database parameters itself; a model with any
# other column (or a date-time column given in the workbook) is written through
# `_create_rows_with_history`.
FRAME_FIELD_TYPES = PASSTHROUGH_FIELD_TYPES | {"DecimalField", "DateField", "DateTimeField"}


def _frame_writable(field_obj: Any, frame: pl.DataFrame) -> bool:
    """Whether the column-wise writer computes this field's parameters: date-times only when
    they are the write time (auto_now) or absent from the frame (their default)."""
    kind = field_obj.get_internal_type()
    if kind == "DateTimeField":
        stamped = getattr(field_obj, "auto_now", False) or getattr(field_obj, "auto_now_add", False)
        return stamped or field_obj.attname not in frame.columns
    return kind in FRAME_FIELD_TYPES


def _create_frame_with_history(model: Any, frame: pl.DataFrame, *, user: Any, reason: str) -> list:
    """Insert new rows given as a frame (columns by attname; decimals as Float64 rounded to
    their places by the parser) and their "+" history rows; return their keys in row order.

    The same rows as `_create_rows_with_history`, with every parameter computed by Polars
    column by column: decimals as exact "yuan.fen" text from integer units, dates as ISO
    text, the write time and the defaults once per column. The rows reach the database as one
    CSV `COPY` on PostgreSQL and one `executemany` over the frame's rows on SQLite.
    """
    from django.conf import settings
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    history = getattr(model, "history", None)
    meta = model._meta
    pk_field = meta.pk
    insert_fields = [f for f in meta.concrete_fields if f is not pk_field]
    fast = (
        connection.vendor in ("postgresql", "sqlite")
        and history is not None
        and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and not hasattr(history.model, "history_relation")
        and all(_frame_writable(f, frame) for f in insert_fields)
    )
    if not fast:
        return _create_rows_with_history(model, _frame_rows(model, frame), user=user, reason=reason)
    n = frame.height
    now = timezone.now()
    postgres = connection.vendor == "postgresql"
    stamp = now.isoformat() if postgres else str(connection.ops.adapt_datetimefield_value(now))
    params = frame.select(
        _frame_param(f, frame, stamp, connection).alias(f.attname) for f in insert_fields
    )
    pks = _frame_insert(connection, model, params)

    history_model = history.model  # type: ignore[union-attr]
    history_user = user or history_model.get_default_history_user(model()) if n else None
    _copy_history_rows(
        connection,
        model,
        history_model,
        pks,
        copied=[pk_field.attname, *params.columns],
        given={
            "history_date": stamp,
            "history_user": getattr(history_user, "pk", None),
            "history_change_reason": reason,
            "history_type": "+",
        },
    )
    return pks


def _copy_history_rows(
    connection: Any, model: Any, history_model: Any, pks: list, *, copied: list, given: dict
) -> None:
    """Write the history rows of the rows just inserted with keys ``pks`` by one
    ``INSERT … SELECT`` from the model's table: the ``copied`` columns are the stored values
    themselves (nothing goes through Python a second time), the ``given`` history fields one
    value each, any other history field its default. Rows go in key order, as ``pks`` are."""
    if not pks:
        return
    qn = connection.ops.quote_name
    source = {f.attname: f.column for f in model._meta.concrete_fields}
    targets, select, params = [], [], []
    for f in history_model._meta.concrete_fields:
        if f.primary_key and f.attname not in source:
            continue  # history_id: the history table's own key
        targets.append(qn(f.column))
        if f.attname in copied:
            select.append(qn(source[f.attname]))
            continue
        if f.name in given:  # already database parameters
            params.append(given[f.name])
        else:
            value = f.get_default()
            adapt = _db_adapter(f, connection) if value is not None else None
            params.append(adapt(value) if adapt is not None else value)
        select.append("%s")
    pk_column = qn(model._meta.pk.column)
    if connection.vendor == "postgresql":
        where, params = f"{pk_column} = ANY(%s)", [*params, list(pks)]
    else:  # SQLite: the keys are one consecutive block (`_frame_insert` checks it)
        where, params = f"{pk_column} BETWEEN %s AND %s", [*params, pks[0], pks[-1]]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {qn(history_model._meta.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(select)} FROM {qn(model._meta.db_table)} "
            f"WHERE {where} ORDER BY {pk_column}",
            params,
        )


def _frame_rows(model: Any, frame: pl.DataFrame) -> list[tuple[dict, dict]]:
    """A frame of new rows as `_create_rows_with_history` takes them (decimals as Decimal)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    columns = {}
    for name in frame.columns:
        values = frame.get_column(name).to_list()
        convert = _column_converter(fields.get(name))
        columns[name] = convert(values) if convert else values
    return [
        (dict(zip(columns, row, strict=True)), {}) for row in zip(*columns.values(), strict=True)
    ]


def _constant_param(field_obj: Any, value: Any, connection: Any) -> pl.Expr:
    """One value for a whole column, as the database parameter `_db_adapter` gives."""
    if value is not None:
        adapt = _db_adapter(field_obj, connection)
        value = adapt(value) if adapt is not None else value
    if value is None:
        return pl.lit(None)
    if isinstance(value, (Decimal, dt.date, dt.datetime)):
        value = str(value)
    return pl.lit(value)


def _frame_param(field_obj: Any, frame: pl.DataFrame, stamp: str, connection: Any) -> pl.Expr:
    """A column of database parameters for a field: given in the frame, else its default;
    auto_now(_add) fields the write time."""
    kind = field_obj.get_internal_type()
    if getattr(field_obj, "auto_now", False) or getattr(field_obj, "auto_now_add", False):
        return pl.lit(stamp, pl.Utf8)
    if field_obj.attname not in frame.columns:
        return _constant_param(field_obj, field_obj.get_default(), connection)
    value = pl.col(field_obj.attname)
    if kind == "DecimalField":
        return _decimal_text(value, field_obj.decimal_places)
    if kind == "DateField":
        return value.cast(pl.Utf8)  # ISO dates (text given as text)
    return value  # date-time columns in the frame never get here (`_frame_writable`)


def _decimal_text(value: pl.Expr, places: int) -> pl.Expr:
    """A number rounded to `places` decimals as exact decimal text ("-12.30"), from integer
    units of 10**-places, as Django's `format_number` writes a quantized Decimal."""
    scale = 10**places
    units = (value.cast(pl.Float64) * scale).round(0).cast(pl.Int64)
    size = units.abs()
    parts = [
        pl.when(units < 0).then(pl.lit("-")).otherwise(pl.lit("")),
        (size // scale).cast(pl.Utf8),
    ]
    if places:
        parts += [pl.lit("."), (size % scale).cast(pl.Utf8).str.zfill(places)]
    return pl.when(value.is_null()).then(None).otherwise(pl.concat_str(parts))


def _frame_insert(connection: Any, model: Any, params: pl.DataFrame) -> list:
    """Insert the rows of a parameter frame (columns by attname, in the model's field order);
    return the new keys in row order. PostgreSQL: keys from the sequence, then one
    CSV COPY of the frame; SQLite: one executemany, the keys being the consecutive rowids the
    AUTOINCREMENT key gives inside the write transaction (checked)."""
    qn = connection.ops.quote_name
    meta = model._meta
    table, pk_column = qn(meta.db_table), qn(meta.pk.column)
    columns = {f.attname: f.column for f in meta.concrete_fields}
    names = ", ".join(qn(columns[name]) for name in params.columns)
    n = params.height
    if n == 0:
        return []
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                (meta.db_table, meta.pk.column, n),
            )
            pks = [r[0] for r in cursor.fetchall()]
            params = params.select(pl.Series("_pk", pks, dtype=pl.Int64), pl.all())
            names = f"{pk_column}, {names}"
            # CSV: an unquoted empty field is NULL, a quoted one ("") an empty text.
            data = params.write_csv(include_header=False, null_value="")
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                copy.write(data.encode())
        return pks
    marks = ", ".join(["%s"] * params.width)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({pk_column}), 0) FROM {table}")
        before = cursor.fetchone()[0]
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", params.rows())
        cursor.execute("SELECT last_insert_rowid()")
        last = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE {pk_column} BETWEEN %s AND %s",
            [last - n + 1, last],
        )
        block = cursor.fetchone()[0]
    if last - n < before or block != n:  # one new consecutive block, as the lock ensures
        raise RuntimeError("rows were not given consecutive keys")
    return list(range(last - n + 1, last + 1))


def _create_rows_with_history(
    model: Any, rows: list[tuple[dict, dict]], *, user: Any, reason: str
) -> list:
    """Insert new rows and their "+" history rows; return their primary keys in row order.

    Writes what `bulk_create_with_history(objs, model, default_user=user,
    default_change_reason=reason)` writes — the same columns, defaults, auto_now values, history
    user, reason and type — with plain multi-row INSERT … RETURNING statements instead of one
    compiled expression per cell (10× less time on large sheets). Falls back to simple-history's
    helper where the fast path does not apply.
    """
    from django.conf import settings
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    history = getattr(model, "history", None)
    fast = (
        connection.features.can_return_rows_from_bulk_insert
        and history is not None
        and getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        and not hasattr(history.model, "history_relation")
    )
    if not fast:
        objs = [model(**values, **provenance) for values, provenance in rows]
        created = bulk_create_with_history(
            objs, model, batch_size=BATCH_SIZE, default_user=user, default_change_reason=reason
        )
        return [o.pk for o in created]

    now = timezone.now()
    meta = model._meta
    pk_field = meta.pk
    insert_fields = [f for f in meta.concrete_fields if f is not pk_field]
    by_key = {}
    for f in insert_fields:
        by_key[f.name] = by_key[f.attname] = f
    # Cell values (by attname): given, else the field's default; auto_now(_add) fields: now.
    columns: dict[str, list] = {f.attname: None for f in insert_fields}  # type: ignore[misc]
    n = len(rows)
    missing = object()
    keys = set().union(*(values.keys() | provenance.keys() for values, provenance in rows))
    for key in keys:
        f = by_key[key]
        column = [values.get(key, provenance.get(key, missing)) for values, provenance in rows]
        if any(v is missing for v in column):  # not given in some rows: the field's default
            column = [f.get_default() if v is missing else v for v in column]
        if f.is_relation and key == f.name:  # given as an object (import_batch, updated_by)
            column = [None if v is None else v.pk for v in column]
        columns[f.attname] = column
    for f in insert_fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            columns[f.attname] = [now] * n
        elif columns[f.attname] is None:
            columns[f.attname] = [f.get_default()] * n
    pks = _insert_returning_pks(connection, model, insert_fields, columns, n)

    history_model = history.model  # type: ignore[union-attr]
    history_user = (
        user or history_model.get_default_history_user(model(**rows[0][0])) if rows else None
    )
    history_columns = {}
    for f in history_model._meta.concrete_fields:
        if f.primary_key and f.attname != pk_field.attname:
            continue  # history_id
        if f.attname == pk_field.attname:
            history_columns[f.attname] = pks
        elif f.attname in columns:
            history_columns[f.attname] = columns[f.attname]
        elif f.name == "history_date":
            history_columns[f.attname] = [now] * n
        elif f.name == "history_user":
            history_columns[f.attname] = [getattr(history_user, "pk", None)] * n
        elif f.name == "history_change_reason":
            history_columns[f.attname] = [reason] * n
        elif f.name == "history_type":
            history_columns[f.attname] = ["+"] * n
        else:
            history_columns[f.attname] = [f.get_default()] * n
    history_fields = [
        f for f in history_model._meta.concrete_fields if f.attname in history_columns
    ]
    _insert_returning_pks(
        connection, history_model, history_fields, history_columns, n, returning=False
    )
    return pks


def _db_adapter(field_obj: Any, connection: Any) -> Any:
    """A cell value → database parameter, as `field.get_db_prep_save` would give for the typed
    values the parser produces (None when the value passes unchanged)."""
    kind = field_obj.get_internal_type()
    if kind == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if kind == "DateField":
        return connection.ops.adapt_datefield_value
    if kind == "DecimalField":
        adapt, digits, places = (
            connection.ops.adapt_decimalfield_value,
            field_obj.max_digits,
            field_obj.decimal_places,
        )
        return lambda v: adapt(v, digits, places)
    if kind in PASSTHROUGH_FIELD_TYPES:
        return None
    return lambda v: field_obj.get_db_prep_save(v, connection)


def _insert_returning_pks(
    connection: Any,
    model: Any,
    insert_fields: Any,
    columns: dict[str, list],
    n: int,
    *,
    returning: bool = True,
) -> list:
    """Insert the rows (columns by attname, already typed); the new pks in row order (as
    Django's bulk_create), or [] without ``returning``.

    PostgreSQL: the pks are drawn from the table's sequence first, then the rows go in by
    COPY; SQLite: one executemany (a prepared statement run per row, no 999-variable
    batches), the pks being the consecutive rowids the AUTOINCREMENT key gives inside the
    write transaction; elsewhere multi-row INSERT … RETURNING in batches
    (docs/performance.md#batch).
    """
    qn = connection.ops.quote_name
    params_by_column = []
    for f in insert_fields:
        adapt = _db_adapter(f, connection)
        values = columns[f.attname]
        params_by_column.append(
            values if adapt is None else [None if v is None else adapt(v) for v in values]
        )
    table = qn(model._meta.db_table)
    pk_column = qn(model._meta.pk.column)
    names = ", ".join(qn(f.column) for f in insert_fields)
    if n == 0:
        return []
    if connection.vendor == "postgresql":
        return _copy_rows(
            connection, model, table, pk_column, names, params_by_column, n, returning
        )
    if connection.vendor == "sqlite":
        marks = ", ".join(["%s"] * len(insert_fields))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX({pk_column}), 0) FROM {table}")
            before = cursor.fetchone()[0]
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",
                list(zip(*params_by_column, strict=True)),
            )
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {pk_column} BETWEEN %s AND %s",
                [last - n + 1, last],
            )
            block = cursor.fetchone()[0]
        if last - n < before or block != n:  # one new consecutive block, as the lock ensures
            raise RuntimeError("rows were not given consecutive keys")
        return list(range(last - n + 1, last + 1))
    rows = list(zip(*params_by_column, strict=True))
    size = max(
        1, min(BATCH_SIZE, connection.ops.bulk_batch_size(insert_fields, rows) or BATCH_SIZE)
    )
    head = f"INSERT INTO {table} ({names}) VALUES "
    tail = f" RETURNING {pk_column}"
    one = "(" + ", ".join(["%s"] * len(insert_fields)) + ")"
    pks: list = []
    with connection.cursor() as cursor:
        for start in range(0, n, size):
            chunk = rows[start : start + size]
            cursor.execute(
                head + ", ".join([one] * len(chunk)) + tail, [v for row in chunk for v in row]
            )
            pks.extend(r[0] for r in cursor.fetchall())
    return pks


def _copy_rows(
    connection: Any,
    model: Any,
    table: str,
    pk_column: str,
    names: str,
    params_by_column: list[list],
    n: int,
    returning: bool,
) -> list:
    """PostgreSQL: COPY the rows in (text format, psycopg adapting each value exactly: decimals
    stay decimals); with ``returning`` the pks are taken from the sequence first and copied
    with the rows."""
    connection.ensure_connection()
    raw = connection.connection
    pks: list = []
    with raw.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                (model._meta.db_table, model._meta.pk.column, n),
            )
            pks = [r[0] for r in cursor.fetchall()]
            params_by_column = [pks, *params_by_column]
            names = f"{pk_column}, {names}"
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in zip(*params_by_column, strict=True):
                copy.write_row(row)
    return pks


def _add_years(date: dt.date, years: int) -> dt.date:
    try:
        return date.replace(year=date.year + years)
    except ValueError:  # 29 February
        return date.replace(year=date.year + years, day=28)


def import_frames(
    frames: list[tuple[str, EntitySchema, pl.DataFrame]],
    *,
    dry_run: bool,
    user: Any = None,
    batch: ImportBatch | None = None,
    source: str = "import",
    language: str | None = None,
) -> ImportResult:
    """Validate raw sheets and, unless dry_run or any error, write them in one transaction.

    frames: [(sheet name, schema, raw Utf8 frame with columns named by field and "__row")].
    Only bureau staff (or the command line, user None) may import: enterprise.policy.
    """
    from kechuang.enterprises.policy import require_import

    require_import(user)
    result = ImportResult()
    frames = sorted(frames, key=lambda f: _import_order(f[1].name))
    from kechuang.enterprises.models import Enterprise

    code_to_id = dict(Enterprise.objects.values_list("credit_code", "id"))
    file_codes: set[str] = set()
    ref_cache: dict = {}  # reference lookups, one query per referenced model, kept up to date
    provided: dict[str, pl.DataFrame] = {}  # typed sheets other sheets may reference
    parsed = []
    with translation.override(language or translation.get_language()):
        for sheet, schema, raw in frames:
            sres = SheetResult(schema.name, sheet, rows=raw.height)
            known = None if schema.name == "enterprises" else set(code_to_id) | file_codes
            typed, errors = parse_sheet(
                raw,
                column_specs(schema),
                key=schema.key,
                checks=schema.checks,
                known_credit_codes=known,
                known_refs=_known_refs(schema, ref_cache, provided) if schema.refs else None,
                required_if=schema.required_if,
            )
            if schema.name == "enterprises":
                file_codes |= set(typed.get_column("credit_code").drop_nulls().to_list())
            provided[schema.name] = typed
            sres.errors = [_error_dict(sheet, e, schema.messages) for e in errors]
            result.sheets.append(sres)
            parsed.append((schema, typed, sres))
        has_errors = bool(result.errors)
        try:
            with transaction.atomic():
                for schema, typed, sres in parsed:
                    if has_errors:
                        break
                    _plan_and_write(
                        schema,
                        typed,
                        sheet_result=sres,
                        dry_run=dry_run,
                        code_to_id=code_to_id,
                        batch=batch,
                        user=user,
                        source=source,
                        ref_cache=ref_cache,
                    )
                if has_errors or dry_run:
                    raise _Rollback
                _notify_changes(parsed)
        except _Rollback:
            pass
        else:
            _refresh_statistics(parsed)
        if has_errors:  # still show what would have happened for sheets without errors
            for schema, typed, sres in parsed:
                if not sres.errors:
                    _plan_and_write(
                        schema,
                        typed,
                        sheet_result=sres,
                        dry_run=True,
                        code_to_id=code_to_id,
                        batch=None,
                        user=user,
                        source=source,
                        ref_cache=ref_cache,
                    )
    result.committed = not dry_run and not result.errors
    return result


def _refresh_statistics(parsed: Any) -> None:
    """After a large committed import on PostgreSQL, refresh the planner's statistics.

    (ANALYZE may run inside a transaction and then counts its own new rows.) Autovacuum
    analyses new tables only after a delay; until then the planner believes they are
    empty and picks nested loops over sequential scans, turning second-long queries into
    minutes right after a bulk load. Only the imported tables are analysed: their history
    tables are read one record's history at a time through the record's index, which needs
    no fresh statistics, and autovacuum analyses them once enough rows have changed.
    SQLite needs nothing here.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    big = [schema for schema, _t, sres in parsed if sres.created + sres.updated >= ANALYZE_MIN_ROWS]
    if not big:
        return
    with connection.cursor() as cursor:
        for schema in big:
            table = _model(schema)._meta.db_table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _notify_changes(parsed: Any) -> None:
    """Tell derived data (e.g. stored assessments) which years a committed import changed."""
    changed = [(schema, typed) for schema, typed, sres in parsed if sres.created or sres.updated]
    if not changed:
        return
    if all(schema.name == "annual_figures" for schema, _t in changed):
        data_changed(
            years=set().union(
                *(set(t.get_column("year").drop_nulls().to_list()) for _s, t in changed)
            )
        )
    else:
        data_changed(years=None)


class _Rollback(Exception):
    """Raised inside the transaction to roll back a dry run."""


def raw_frames_from_workbook(
    path: str | Path, language: str | None = None
) -> tuple[list, list[dict]]:
    """Map a workbook's sheets to schemas; return (frames for import_frames, file-level errors)."""
    frames: list = []
    errors: list[dict] = []
    with translation.override(language or translation.get_language()):
        try:
            sheets = read_workbook(path)
        except WorkbookRejected as exc:
            return [], [
                {"sheet": "", "row": None, "column": "", "value": None, "message": exc.message}
            ]
        except ValueError:
            return [], [
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "value": None,
                    "message": error_message("unreadable", ()),
                }
            ]
        for name, headers, raw in sheets:
            schema = schema_for_headers(name, headers)
            limit = Limits.for_template(schema.name) if schema is not None else None
            if limit is not None and (raw.height > limit.rows or len(headers) > limit.columns):
                errors.append(
                    {
                        "sheet": name,
                        "row": None,
                        "column": "",
                        "value": None,
                        "message": too_large_message(name, limit),
                    }
                )
                continue
            if schema is None:
                errors.append(
                    {
                        "sheet": name,
                        "row": 1,
                        "column": "",
                        "value": None,
                        "message": error_message("unknown_sheet", ()),
                    }
                )
                continue
            by_header = {c.header: c.field for c in schema.columns}
            for h in headers:
                if h and h not in by_header:
                    errors.append(
                        {
                            "sheet": name,
                            "row": 1,
                            "column": h,
                            "value": h,
                            "message": error_message("unknown_column", ()),
                        }
                    )
            for c in schema.columns:
                if c.required and c.header not in headers:
                    errors.append(
                        {
                            "sheet": name,
                            "row": 1,
                            "column": c.header,
                            "value": None,
                            "message": error_message("missing_column", ()),
                        }
                    )
            raw = raw.select(
                [ROW, *[pl.col(h).alias(by_header[h]) for h in headers if h in by_header]]
            )
            frames.append((name, schema, raw))
        if not errors and not any(f[2].height for f in frames):
            errors.append(
                {
                    "sheet": "",
                    "row": None,
                    "column": "",
                    "value": None,
                    "message": error_message("empty", ()),
                }
            )
    return frames, errors


def import_file(
    path: str | Path,
    *,
    dry_run: bool,
    user: Any = None,
    batch: ImportBatch | None = None,
    language: str | None = None,
) -> ImportResult:
    """Import a workbook file (all its sheets, all-or-nothing) and record the outcome on `batch`."""
    frames, file_errors = raw_frames_from_workbook(path, language)
    if file_errors:
        result = ImportResult(file_errors=file_errors)
    else:
        result = import_frames(frames, dry_run=dry_run, user=user, batch=batch, language=language)
    if batch is not None:
        batch.summary = result.summary()
        batch.errors = result.errors
        batch.total_rows = batch.summary["rows"]
        batch.progress = 100
        batch.status = (
            ImportStatus.FAILED
            if result.errors
            else (ImportStatus.VALIDATED if dry_run else ImportStatus.COMMITTED)
        )
        batch.finished_at = timezone.now()
        batch.save()
    return result


# ------------------------------------------------------------------ batches (upload page, CLI)


class CommitAlreadyStarted(Exception):
    """The checked batch was already committed (or is being committed) by another request."""

    def __init__(self, commit_batch_id: int | None):
        super().__init__(commit_batch_id)
        self.commit_batch_id = commit_batch_id


def import_batch_create(
    *,
    user: Any,
    uploaded_file: Any = None,
    dry_run: bool = True,
    language: str = "zh-hans",
    source_batch: ImportBatch | None = None,
) -> ImportBatch:
    """Store an uploaded workbook as a batch and queue its run in the background.

    With `source_batch` (a checked dry run), queue the commit of the same stored file — once:
    the check is claimed by a conditional update, so a second (e.g. concurrent) commit of the
    same check raises `CommitAlreadyStarted` instead of importing the file twice.
    """
    from kechuang.enterprises.policy import require_import

    require_import(user)

    if source_batch is not None:
        try:
            with transaction.atomic():
                batch = ImportBatch.objects.create(
                    entity=source_batch.entity,
                    file_name=source_batch.file_name,
                    file=source_batch.file.name,
                    dry_run=dry_run,
                    created_by=user,
                    language=language,
                )
                claimed = ImportBatch.objects.filter(
                    pk=source_batch.pk,
                    status=ImportStatus.VALIDATED,
                    commit_batch__isnull=True,
                    file_removed_at__isnull=True,
                ).update(commit_batch=batch)
                if not claimed:
                    raise CommitAlreadyStarted(None)  # rolls the new batch back
        except CommitAlreadyStarted as exc:
            exc.commit_batch_id = (
                ImportBatch.objects.filter(pk=source_batch.pk)
                .values_list("commit_batch", flat=True)
                .first()
            )
            raise
    else:
        batch = ImportBatch(
            entity="",
            file_name=uploaded_file.name[:255],
            dry_run=dry_run,
            created_by=user,
            language=language,
        )
        batch.file.save(uploaded_file.name, uploaded_file, save=False)
        batch.save()
    transaction.on_commit(lambda: enqueue_batch_run(batch.pk))
    return batch
