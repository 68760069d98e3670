"""Vectorised parsing and validation of an import sheet (Polars; no Django imports).

`parse_sheet(columns, raw, ...)` takes the sheet as raw string columns and returns the typed frame
plus a list of cell errors. Errors carry a message *id* and parameters; the service layer turns
them into the user's language. Nothing here touches the database: lookups the checks need (towns,
known credit codes, validators) are passed in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import polars as pl

__all__ = ["CellError", "ColumnSpec", "parse_sheet", "TRUE_WORDS", "FALSE_WORDS"]

TRUE_WORDS = frozenset({"是", "true", "1", "y", "yes", "√", "✓", "t"})
FALSE_WORDS = frozenset({"否", "false", "0", "n", "no", "×", "f"})
ROW = "__row"


@dataclass(frozen=True)
class CellError:
    """One problem in one cell (row is the spreadsheet row number; header is the column)."""

    row: int
    column: str
    value: str | None
    message_id: str
    params: tuple = ()


@dataclass(frozen=True)
class ColumnSpec:
    """What the parser needs to know about a column (a plain mirror of schemas.Column)."""

    field: str
    header: str
    kind: str
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    lookup: dict | None = None  # choice/town: accepted text -> stored value
    validator: Callable[[str], str | None] | None = None  # returns an error id or None
    min_date: dt.date | None = None  # date: the plausible window, computed at check time
    max_date: dt.date | None = None
    scope_field: str | None = None  # ref: the name is unique only within this column's record
    ref_noun: object = None  # ref: what the message calls the referenced record


# Joins a scoped reference's two names ("institution␟expert") for one is_in test.
SCOPE_SEPARATOR = "\x1f"


class _PendingChecks:
    """Cell checks gathered as masks over the sheet (True = the cell is wrong), then answered
    together: one pass asks every mask whether it holds anywhere, and only the masks that do
    are filtered for their rows. Errors come out in the order the checks were added."""

    def __init__(self) -> None:
        self.checks: list[tuple[pl.Expr, ColumnSpec, str, tuple]] = []

    def add(self, mask: pl.Expr, spec: ColumnSpec, message_id: str, params: tuple = ()) -> None:
        self.checks.append((mask, spec, message_id, params))

    def errors(self, frame: pl.DataFrame) -> list[CellError]:
        checks, self.checks = self.checks, []
        if not checks:
            return []
        hit = frame.select(
            mask.fill_null(False).any().alias(f"_{i}") for i, (mask, *_rest) in enumerate(checks)
        ).row(0)
        errors: list[CellError] = []
        for (mask, spec, message_id, params), found in zip(checks, hit, strict=True):
            if found:
                bad = frame.filter(mask).select(ROW, spec.field)
                errors += [
                    CellError(r, spec.header, v, message_id, params) for r, v in bad.iter_rows()
                ]
        return errors


def parse_sheet(
    raw: pl.DataFrame,
    specs: Iterable[ColumnSpec],
    *,
    key: tuple[str, ...],
    checks: Iterable[tuple[str, str, str]] = (),
    known_credit_codes: set[str] | None = None,
    known_refs: dict[str, set[str]] | None = None,
    required_if: Iterable[tuple[str, str, tuple[str, ...], str]] = (),
) -> tuple[pl.DataFrame, list[CellError]]:
    """Parse raw text columns (null = empty cell) into typed columns and collect every error.

    raw: one Utf8 column per present field plus "__row" (spreadsheet row numbers).
    known_refs: for each "ref" column, the names it may hold (a scoped one: "scope␟name").
    required_if: (column, other column, values of the other, message id): the column is
    required in rows where the other column holds one of the values.
    Returns (typed frame with the same columns, errors). Rows with errors stay in the frame; the
    caller commits nothing when there is any error.
    """
    errors: list[CellError] = []
    specs = [s for s in specs if s.field in raw.columns]
    by_field = {s.field: s for s in specs}
    out = raw.with_columns(pl.col(s.field).str.strip_chars() for s in specs)
    out = out.with_columns(
        pl.when(pl.col(s.field) == "").then(None).otherwise(pl.col(s.field)).alias(s.field)
        for s in specs
    )
    typed: list[pl.Expr] = []
    pending = _PendingChecks()
    for spec in specs:
        col = pl.col(spec.field)
        if spec.required:
            pending.add(col.is_null(), spec, "required")
        if spec.kind in ("int", "decimal", "money"):
            num = (
                col.str.replace_all(",", "")
                .str.replace_all("，", "")
                .cast(pl.Float64, strict=False)
            )
            pending.add(col.is_not_null() & num.is_null(), spec, "not_number")
            if spec.kind == "int":
                pending.add(num.is_not_null() & (num != num.round(0)), spec, "not_integer")
            if spec.min_value is not None:
                pending.add(num < spec.min_value, spec, "below_min", (spec.min_value,))
            if spec.max_value is not None:
                pending.add(num > spec.max_value, spec, "above_max", (spec.max_value,))
            if spec.kind == "money":
                # Yuan with at most two decimals (fen): a third decimal is a unit slip or a
                # formula result, never rounded away silently. Trailing zeros do not count.
                decimals = (
                    col.str.replace_all(",", "")
                    .str.replace_all("，", "")
                    .str.extract(r"^[+-]?\d*\.(\d*?)0*$", 1)
                    .str.len_chars()
                )
                pending.add(decimals > 2, spec, "too_many_decimals", (2,))
            if spec.kind == "int":
                typed.append(num.round(0).cast(pl.Int64, strict=False).alias(spec.field))
            else:
                typed.append(num.round(2).alias(spec.field))
        elif spec.kind == "date":
            text = col.str.slice(0, 10).str.replace_all(r"[/.]", "-")
            parsed = pl.coalesce(
                text.str.to_date("%Y-%m-%d", strict=False),
                col.str.to_date("%Y%m%d", strict=False),
            )
            pending.add(col.is_not_null() & parsed.is_null(), spec, "not_date")
            if spec.min_date is not None:
                pending.add(parsed < spec.min_date, spec, "date_too_early", (spec.min_date,))
            if spec.max_date is not None:
                pending.add(parsed > spec.max_date, spec, "date_too_late", (spec.max_date,))
            typed.append(parsed.alias(spec.field))
        elif spec.kind == "bool":
            low = col.str.to_lowercase()
            value = (
                pl.when(low.is_in(list(TRUE_WORDS)))
                .then(True)
                .when(low.is_in(list(FALSE_WORDS)))
                .then(False)
                .otherwise(None)
            )
            pending.add(col.is_not_null() & value.is_null(), spec, "not_bool")
            typed.append(value.alias(spec.field))
        elif spec.kind in ("choice", "town"):
            mapped = col.replace_strict(
                spec.lookup,
                default=None,
                return_dtype=pl.Utf8 if spec.kind == "choice" else pl.Int64,
            )
            pending.add(
                col.is_not_null() & mapped.is_null(),
                spec,
                "unknown_town" if spec.kind == "town" else "unknown_choice",
                (" / ".join(sorted({k for k in spec.lookup if not k.isascii()})),)
                if spec.kind == "choice"
                else (),
            )
            typed.append(mapped.alias(spec.field))
        elif spec.kind in ("credit_code", "industry"):
            errors += pending.errors(out)  # in column order, before this column's verdicts
            normalised = col.str.to_uppercase() if spec.kind == "credit_code" else col
            tmp = out.select(ROW, spec.field, normalised.alias("_v"))
            uniques = tmp.get_column("_v").drop_nulls().unique().to_list()
            verdicts = {v: spec.validator(v) for v in uniques}
            bad = {v: e for v, e in verdicts.items() if e}
            if bad:
                for r, original, v in tmp.filter(pl.col("_v").is_in(list(bad))).iter_rows():
                    message_id, *params = bad[v].split(":")
                    errors.append(CellError(r, spec.header, original, message_id, tuple(params)))
            typed.append(normalised.alias(spec.field))
        else:
            if spec.max_length:
                pending.add(
                    col.str.len_chars() > spec.max_length, spec, "too_long", (spec.max_length,)
                )
            typed.append(col)
    errors += pending.errors(out)
    out = out.with_columns(typed)

    # Cross-column consistency (e.g. S&T staff <= staff).
    for small, large, message_id in checks:
        if small in by_field and large in by_field:
            bad = out.filter(pl.col(small) > pl.col(large)).select(ROW, small, large)
            spec_small, spec_large = by_field[small], by_field[large]
            for r, a, b in bad.iter_rows():
                errors.append(
                    CellError(r, spec_small.header, str(a), message_id, (spec_large.header, str(b)))
                )

    # References to enterprises must resolve (in the database or in the same workbook).
    if known_credit_codes is not None and "credit_code" in by_field:
        spec = by_field["credit_code"]
        malformed = {e.row for e in errors if e.column == spec.header}  # already reported
        bad = out.filter(
            pl.col("credit_code").is_not_null()
            & ~pl.col("credit_code").is_in(list(known_credit_codes))
            & ~pl.col(ROW).is_in(list(malformed))
        )
        errors += [
            CellError(r, spec.header, v, "unknown_enterprise")
            for r, v in bad.select(ROW, "credit_code").iter_rows()
        ]

    # Columns required for some values of another (e.g. a recognition needs its level).
    for target, other, values, message_id in required_if:
        if other not in by_field:
            continue
        spec = by_field.get(target)
        header = spec.header if spec else target
        missing = pl.col(other).is_in(list(values))
        if target in out.columns:
            missing = missing & pl.col(target).is_null()
        bad = out.filter(missing).select(ROW, other)
        other_header = by_field[other].header
        errors += [
            CellError(r, header, None, message_id, (other_header, str(v)))
            for r, v in bad.iter_rows()
        ]

    # References to other records must resolve (in the database or in the same workbook).
    for name, accepted in (known_refs or {}).items():
        spec = by_field.get(name)
        if spec is None:
            continue
        reported = {e.row for e in errors if e.column == spec.header}
        value = pl.col(name)
        if spec.scope_field and spec.scope_field in out.columns:
            value = pl.concat_str(
                [pl.col(spec.scope_field).fill_null(""), pl.lit(SCOPE_SEPARATOR), pl.col(name)]
            )
        bad = out.filter(
            pl.col(name).is_not_null()
            & (~value.is_in(list(accepted)) if accepted else pl.lit(True))
            & ~pl.col(ROW).is_in(list(reported))
        )
        errors += [
            CellError(r, spec.header, v, "unknown_reference", (spec.ref_noun,))
            for r, v in bad.select(ROW, name).iter_rows()
        ]

    # Duplicates of the natural key within the file.
    if all(k in out.columns for k in key):
        dup = (
            out.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
            .with_columns(pl.col(ROW).min().over(list(key)).alias("_first"))
            .filter(pl.col(ROW) != pl.col("_first"))
        )
        header = by_field[key[-1]].header
        errors += [
            CellError(r, header, str(v), "duplicate", (first,))
            for r, v, first in dup.select(ROW, key[-1], "_first").iter_rows()
        ]
    errors.sort(key=lambda e: (e.row, e.column))
    return out, errors
