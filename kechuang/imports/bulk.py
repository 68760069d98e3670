"""Column-wise reads and writes between Polars frames and the database, without model instances.

Batch paths (the import commit, the assessment's load and store) move hundreds of thousands of
rows; building a Django object per row costs more than the work itself. These helpers move
whole columns instead:

* :func:`write_frame` appends a frame's rows to a table: PostgreSQL ``COPY … FROM STDIN`` (CSV),
  other databases one ``executemany`` per chunk on the raw cursor (SQLite: a prepared
  multi-row insert). Values are written as Django would store them: decimals as exact text,
  dates as ISO text, booleans as booleans.
* :func:`read_frame` reads a query straight into a frame: PostgreSQL ``COPY (SELECT …) TO
  STDOUT`` (CSV) parsed by Polars, other databases the raw cursor's rows, column by column.

Both run on the connection given (inside the caller's transaction); neither commits.
See docs/performance.md#batch.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import polars as pl

__all__ = ["read_frame", "read_queryset", "write_frame", "CHUNK_ROWS"]

CHUNK_ROWS = 50_000  # rows per COPY buffer / executemany: bounds the memory of one write
READ_ROWS = 100_000  # rows per fetch when reading without COPY: bounds the Python tuples held


def _is_postgres(connection: Any) -> bool:
    return connection.vendor == "postgresql"


def _text_columns(frame: pl.DataFrame) -> pl.DataFrame:
    """Dates, datetimes and decimals as the text Django stores; booleans and numbers unchanged."""
    exprs = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.Date:
            exprs.append(col.dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            if dtype.time_zone is not None:  # aware values are stored in UTC
                col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
            exprs.append(col.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
        elif isinstance(dtype, pl.Decimal):
            exprs.append(col.cast(pl.Utf8))
    return frame.with_columns(exprs) if exprs else frame


def write_frame(
    connection: Any,
    table: str,
    frame: pl.DataFrame,
    *,
    not_null_text: Iterable[str] = (),
    chunk_rows: int = CHUNK_ROWS,
) -> int:
    """Append every row of ``frame`` (columns named by database column) to ``table``.

    ``not_null_text``: text columns that are never null, so an empty cell is the empty string
    (COPY's CSV format otherwise reads an unquoted empty cell as NULL).
    Returns the number of rows written. Runs on ``connection`` in its current transaction.
    """
    if frame.height == 0:
        return 0
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c) for c in frame.columns)
    if _is_postgres(connection):
        connection.ensure_connection()
        raw = connection.connection
        force = list(not_null_text)
        options = "FORMAT csv" + (
            f", FORCE_NOT_NULL ({', '.join(qn(c) for c in force)})" if force else ""
        )
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY {qn(table)} ({columns}) FROM STDIN ({options})") as copy:
                for start in range(0, frame.height, chunk_rows):
                    buffer = io.BytesIO()
                    _text_columns(frame.slice(start, chunk_rows)).write_csv(
                        buffer, include_header=False
                    )
                    copy.write(buffer.getvalue())
        return frame.height
    marks = ", ".join(["%s"] * frame.width)
    sql = f"INSERT INTO {qn(table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:  # Django's wrapper: placeholders for this database
        for start in range(0, frame.height, chunk_rows):
            cursor.executemany(sql, _text_columns(frame.slice(start, chunk_rows)).rows())
    return frame.height


def _conform(frame: pl.DataFrame, schema: dict[str, Any]) -> pl.DataFrame:
    """Cast the columns read as text or integers to the wanted types (dates, booleans)."""
    exprs = []
    for name, dtype in schema.items():
        have = frame.schema[name]
        col = pl.col(name)
        if have == pl.Null:
            exprs.append(col.cast(dtype).alias(name))
        elif dtype == pl.Boolean and have != pl.Boolean:
            exprs.append(
                (col.cast(pl.Utf8).is_in(["t", "true", "1", "True"])).alias(name)
                if have == pl.Utf8
                else (col != 0).alias(name)
            )
            exprs[-1] = pl.when(col.is_null()).then(None).otherwise(exprs[-1]).alias(name)
        elif dtype == pl.Date and have != pl.Date:
            exprs.append(col.cast(pl.Utf8).str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name))
        elif have != dtype:
            exprs.append(col.cast(dtype).alias(name))
    return frame.with_columns(exprs) if exprs else frame


def read_frame(
    connection: Any, sql: str, params: Iterable[Any], schema: dict[str, Any]
) -> pl.DataFrame:
    """The rows of ``sql`` as a frame with ``schema`` (the select list's order and names).

    Booleans may arrive as 0/1 or t/f and dates as text: they are cast to the schema's types.
    """
    names = list(schema)
    params = list(params)
    if _is_postgres(connection):
        connection.ensure_connection()
        raw = connection.connection
        read_as = {n: (pl.Utf8 if d in (pl.Boolean, pl.Date) else d) for n, d in schema.items()}
        buffer = io.BytesIO()
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", params or None) as copy:
                for block in copy:
                    buffer.write(block)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=schema)
        buffer.seek(0)
        frame = pl.read_csv(
            buffer, has_header=False, new_columns=names, schema=read_as, infer_schema=False
        )
        return _conform(frame, schema)
    # The driver's converters decide the Python types (SQLite: dates and booleans by the
    # declared column type, computed values as stored): infer per column, then conform. Rows
    # come READ_ROWS at a time, so at most one slice of them is held as Python tuples.
    frames = []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(READ_ROWS):
            columns = zip(*rows, strict=True)
            frame = pl.DataFrame(
                [
                    pl.Series(n, list(values), strict=False)
                    for n, values in zip(names, columns, strict=True)
                ]
            )
            frames.append(_conform(frame, schema))
            del rows, columns
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames, rechunk=True)


def read_queryset(queryset: Any, schema: dict[str, Any]) -> pl.DataFrame:
    """A ``values_list`` queryset's rows as a frame with ``schema`` (one name per value, in
    order), read by :func:`read_frame` on the queryset's database."""
    from django.db import connections

    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    return read_frame(connections[queryset.db], sql, params, schema)
