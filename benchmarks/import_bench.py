"""Benchmark of the yearly-figures import (Kechuang's importer vs its floor vs django-import-export).

Builds a throwaway SQLite database (migrated programmatically), imports the enterprises the
workbook references through Kechuang's own import service, writes an N-row 年度数据 workbook with
openpyxl (write_only, template headers) and times, in one run:

  (a) calamine_read      python-calamine alone reading the sheet (the floor)
  (b) kechuang_dry_run   kechuang.imports.services.import_file(dry_run=True)
  (c) kechuang_commit    import_file(dry_run=False): all rows written, with history
  (d) import_export      django-import-export 4 on an equivalent ModelResource (credit code →
                         enterprise via ForeignKeyWidget, import_id_fields enterprise+year,
                         `import_data(dataset, dry_run=False)` on a tablib Dataset loaded from the
                         same xlsx). AnnualFigure rows and their history are deleted first, so it
                         starts from the same empty state as (c). On a sample when N is large,
                         extrapolated linearly and labelled so.

Ratios: kechuang_commit / calamine_read (target ≤ 3; each the best of REPEAT runs) and import_export / kechuang_commit
(target ≥ 10). The LAST line printed is one JSON object.

The commit writes with COPY on PostgreSQL (``--database-url``, an empty database) and one
executemany per table on SQLite (docs/performance.md#batch).

Usage: python benchmarks/import_bench.py [--quick] [--rows N] [--ie-sample K] [--keep]
       [--database-url postgres://…/empty_db]
"""

from __future__ import annotations

import argparse
import math
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timer, demo_raw_frames, django_setup, emit, log, rss_peak_mb  # noqa: E402


def write_workbook(path: Path, frame, schema) -> None:
    """The frame (generator text columns) as a template-shaped sheet, with typed cells (numbers as
    numbers, 是/否 as text) like a workbook filled in by hand or exported from another system."""
    import polars as pl
    from openpyxl import Workbook

    numeric = {"int": pl.Int64, "decimal": pl.Float64, "money": pl.Float64}
    frame = frame.select(
        pl.col(c.field).cast(numeric[c.kind]) if c.kind in numeric else pl.col(c.field)
        for c in schema.columns
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(schema.sheet)
    ws.append(schema.headers)
    for row in frame.iter_rows():
        ws.append(row)
    wb.save(path)


REPEAT = 2  # runs of the read, the dry run and the commit; the best of each is reported


def delete_figures() -> None:
    """Empty AnnualFigure and its history (the state before each timed import)."""
    from django.db import connection, transaction

    from kechuang.enterprises.models import AnnualFigure

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"DELETE FROM {AnnualFigure.history.model._meta.db_table}")
        cur.execute(f"DELETE FROM {AnnualFigure._meta.db_table}")


def figure_counts() -> tuple[int, int]:
    from kechuang.enterprises.models import AnnualFigure

    return AnnualFigure.objects.count(), AnnualFigure.history.count()


def import_export_resource(schema):
    """A django-import-export ModelResource equivalent to the 年度数据 template."""
    from import_export import fields, resources, widgets

    from kechuang.enterprises.models import AnnualFigure, Enterprise
    from kechuang.imports.logic import FALSE_WORDS, TRUE_WORDS

    class YesNoWidget(widgets.BooleanWidget):
        TRUE_VALUES = [*TRUE_WORDS, 1, True]
        FALSE_VALUES = [*FALSE_WORDS, 0, False]

    kind_widget = {
        "int": widgets.IntegerWidget,
        "decimal": widgets.DecimalWidget,
        "money": widgets.DecimalWidget,
        "bool": YesNoWidget,
    }
    attrs = {}
    names = []
    for c in schema.columns:
        if c.field == "credit_code":
            name, widget = "enterprise", widgets.ForeignKeyWidget(Enterprise, field="credit_code")
        else:
            name, widget = c.field, kind_widget.get(c.kind, widgets.CharWidget)()
        attrs[name] = fields.Field(attribute=name, column_name=c.header, widget=widget)
        names.append(name)

    class Meta:
        model = AnnualFigure
        fields = tuple(names)
        import_id_fields = ("enterprise", "year")
        use_transactions = True
        skip_unchanged = False

    attrs["Meta"] = Meta
    return type("AnnualFigureResource", (resources.ModelResource,), attrs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5,000 rows (smoke check)")
    parser.add_argument(
        "--rows", type=int, help="rows of the yearly-figures sheet (default 100,000)"
    )
    parser.add_argument(
        "--ie-sample",
        type=int,
        help="rows given to django-import-export (default 10,000; quick 1,000)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--database-url",
        help="an EMPTY PostgreSQL database to migrate and use (default: a throwaway SQLite file)",
    )
    args = parser.parse_args()
    rows = args.rows or (5_000 if args.quick else 100_000)
    ie_rows = min(rows, args.ie_sample or (1_000 if args.quick else 10_000))

    tmp = Path(tempfile.mkdtemp(prefix="kechuang-import-bench."))
    try:
        run(tmp, rows, ie_rows, args.quick, args.database_url)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(tmp: Path, rows: int, ie_rows: int, quick: bool, database_url: str | None = None) -> None:
    django_setup(database_url or f"sqlite:///{tmp / 'bench.sqlite3'}", tmp / "var")
    import tablib
    from django.db import connection
    from python_calamine import CalamineWorkbook

    from kechuang.demo.generator import YEARS, generate
    from kechuang.demo.services import regions_ensure
    from kechuang.imports.schemas import SCHEMAS
    from kechuang.imports.services import import_file, import_frames

    schema = SCHEMAS["annual_figures"]
    n_enterprises = math.ceil(rows / len(YEARS))
    log(
        f"rows={rows:,} enterprises={n_enterprises:,} import-export sample={ie_rows:,} db={connection.vendor}"
    )

    # ---- set-up (untimed): enterprises through the import service, then the workbook
    with Timer() as t:
        data = generate(n_enterprises)
    log(f"generate({n_enterprises}): {t.seconds:.1f}s")
    regions_ensure()
    with Timer() as t:
        result = import_frames(
            demo_raw_frames(data, {"enterprises"}), dry_run=False, source="generator", language="en"
        )
    if result.errors:
        raise SystemExit(f"enterprise import failed: {result.errors[:3]}")
    log(f"enterprises imported: {result.summary()['created']:,} in {t.seconds:.1f}s")

    figures = data.frames["annual_figures"].head(rows)
    path = tmp / "annual_figures.xlsx"
    with Timer() as t:
        write_workbook(path, figures, schema)
    log(f"workbook written: {path.stat().st_size / 1e6:.1f} MB in {t.seconds:.1f}s")

    # ---- (a) the floor, (b) the dry run and (c) the commit, each REPEAT times in turn (the
    # figures deleted after each commit but the last); each figure is its best time.
    reads, dries, commits = [], [], []
    for attempt in range(REPEAT):
        with Timer() as t:
            sheet = (
                CalamineWorkbook.from_path(str(path)).get_sheet_by_name(schema.sheet).to_python()
            )
        reads.append(t.seconds)
        assert len(sheet) == rows + 1, len(sheet)
        del sheet
        log(f"(a) calamine read:        {reads[-1]:8.2f}s")

        with Timer() as t:
            dry = import_file(path, dry_run=True, language="en")
        dries.append(t.seconds)
        assert not dry.errors and dry.summary()["created"] == rows, (dry.errors[:3], dry.summary())
        assert figure_counts() == (0, 0)
        log(f"(b) kechuang dry run:     {dries[-1]:8.2f}s")

        with Timer() as t:
            done = import_file(path, dry_run=False, language="en")
        commits.append(t.seconds)
        assert done.committed and done.summary()["created"] == rows, (
            done.errors[:3],
            done.summary(),
        )
        assert figure_counts() == (rows, rows), figure_counts()
        log(f"(c) kechuang commit:      {commits[-1]:8.2f}s  ({rows / commits[-1]:,.0f} rows/s)")
        if attempt < REPEAT - 1:
            delete_figures()
    calamine_read, kechuang_dry, kechuang_commit = min(reads), min(dries), min(commits)

    # ---- (d) django-import-export from the same empty state
    delete_figures()
    assert figure_counts() == (0, 0)
    resource = import_export_resource(schema)()
    with Timer() as t, open(path, "rb") as fh:
        dataset = tablib.Dataset().load(fh, format="xlsx")
    ie_load = t.seconds
    assert dataset.height == rows, dataset.height
    sample = (
        tablib.Dataset(*dataset[:ie_rows], headers=dataset.headers) if ie_rows < rows else dataset
    )
    with Timer() as t:
        ie_result = resource.import_data(sample, dry_run=False, raise_errors=True)
    ie_import_sample = t.seconds
    assert not ie_result.has_errors() and not ie_result.has_validation_errors()
    assert ie_result.totals["new"] == ie_rows, ie_result.totals
    assert figure_counts() == (ie_rows, ie_rows), figure_counts()
    factor = rows / ie_rows
    ie_import = ie_import_sample * factor
    import_export = ie_load + ie_import
    extrapolated = ie_rows < rows
    label = f"extrapolated from {ie_rows:,} rows" if extrapolated else "measured"
    log(f"(d) import-export load:   {ie_load:8.2f}s (tablib Dataset from xlsx, all {rows:,} rows)")
    log(
        f"    import_data:          {ie_import:8.2f}s ({label}; {ie_rows:,} rows took {ie_import_sample:.2f}s)"
    )
    log(f"    total:                {import_export:8.2f}s")

    commit_vs_floor = kechuang_commit / calamine_read
    ie_vs_commit = import_export / kechuang_commit
    log(f"kechuang_commit / calamine_read = {commit_vs_floor:.2f} (target ≤ 3)")
    log(f"import_export / kechuang_commit = {ie_vs_commit:.1f} (target ≥ 10)")
    emit(
        {
            "benchmark": "import",
            "quick": quick,
            "database": connection.vendor,
            "rows": rows,
            "columns": len(schema.columns),
            "enterprises": n_enterprises,
            "xlsx_mb": round(path.stat().st_size / 1e6, 2),
            "calamine_read_s": round(calamine_read, 3),
            "kechuang_dry_run_s": round(kechuang_dry, 3),
            "kechuang_commit_s": round(kechuang_commit, 3),
            "kechuang_commit_rows_per_s": round(rows / kechuang_commit),
            "import_export_load_s": round(ie_load, 3),
            "import_export_import_data_s": round(ie_import, 3),
            "import_export_s": round(import_export, 3),
            "import_export_measured_rows": ie_rows,
            "import_export_extrapolated": extrapolated,
            "import_export_sample_s": round(ie_import_sample, 3),
            "ratio_kechuang_commit_over_calamine_read": round(commit_vs_floor, 2),
            "ratio_kechuang_commit_over_calamine_read_target_max": 3,
            "ratio_import_export_over_kechuang_commit": round(ie_vs_commit, 1),
            "ratio_import_export_over_kechuang_commit_target_min": 10,
            "peak_rss_mb": rss_peak_mb(),
        }
    )


if __name__ == "__main__":
    main()
