"""Benchmark of the qualification rules engine (batch face vs per-enterprise face vs floor).

Generates N enterprise-years in memory (seeded, Polars only), then times
(a) ``run_batch`` over all rows (every tier), (b) the single-enterprise path on a sample,
extrapolated to N (labelled "extrapolated"), (c) a bare Polars scan touching the same input
columns (the floor).  Prints ratios and peak RSS; the LAST line is one JSON object.

Then (d)–(f) go through the database (a throwaway test database created and destroyed by the
benchmark: PostgreSQL when DATABASE_URL points at it, otherwise SQLite, labelled as such):
DB_ROWS enterprise-years (DB_ROWS/3 enterprises x 3 fiscal years) are inserted, then timed:
(d) loading them into the batch frame (``selectors.assessment_frame``: on PostgreSQL the rows
are read by COPY … TO STDOUT and the decimals scaled to integer units in the frame; on SQLite the
query computes the units and the rows are fetched a slice at a time),
(e) evaluating that frame, (f) storing the results (``services.results_store``: rows built
column-wise, written in slices by COPY / executemany, in one transaction).

Usage: python benchmarks/assess_bench.py [--quick] [--rows N] [--sample K] [--db-rows N] [--skip-db]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kechuang.qualifications.logic import get_ruleset, run_batch  # noqa: E402
from kechuang.qualifications.logic.batch import (  # noqa: E402
    INPUT_SCHEMA,
    PERSON_AVG_SCALE,
    row_to_facts,
)
from kechuang.qualifications.logic.evaluate import evaluate_facts  # noqa: E402

EVAL_DATE = date(2026, 5, 1)
FEN = 1_000_000


def generate(n: int, seed: int = 42) -> pl.DataFrame:
    """n synthetic enterprise-years; ~3 % nulls per column; boundary-rich money values."""
    idx = pl.int_range(0, n, dtype=pl.UInt64, eager=False)
    k = [0]

    def u(mod: int) -> pl.Expr:  # deterministic pseudo-random integer in [0, mod)
        k[0] += 1
        return (idx.hash(seed * 1000 + k[0]) % mod).cast(pl.Int64)

    def maybe(e: pl.Expr, p_null: int = 3) -> pl.Expr:
        return pl.when(u(100) < p_null).then(None).otherwise(e)

    def money(max_wan: int) -> pl.Expr:
        return maybe(u(max_wan * 100) * (FEN // 100))

    cols: dict[str, pl.Expr] = {
        "id": idx.cast(pl.Utf8),
        "application_date": pl.lit(EVAL_DATE, dtype=pl.Date),
        "registration_date": maybe(pl.lit(date(2010, 1, 1)) + pl.duration(days=u(6000))),
    }
    for name, dt in INPUT_SCHEMA.items():
        if name in cols:
            continue
        if dt == pl.Boolean:
            cols[name] = maybe(
                u(100)
                < (10 if "incident" in name or "credit" in name or "prohibited" in name else 70)
            )
        elif name.endswith("_fen"):
            if "rd" in name:
                cols[name] = money(1500)
            elif "net_assets" in name:
                cols[name] = money(20000) - u(100) * FEN
            else:
                cols[name] = money(30000)
        elif name.endswith("_avg_u"):
            cols[name] = maybe(u(300 if "tech" in name else 600) * PERSON_AVG_SCALE // 4)
        elif name.startswith("ex_"):
            cols[name] = maybe(u(5), 40)
        elif name in ("base_employees_total",):
            cols[name] = maybe(u(700))
        elif name == "base_tech_staff":
            cols[name] = maybe(u(200))
        else:
            cols[name] = maybe(u(8))
    frame = pl.select(**{n_: e for n_, e in cols.items()})
    return frame.with_columns(pl.col(c).cast(dt) for c, dt in INPUT_SCHEMA.items())


def floor_scan(frame: pl.DataFrame) -> pl.DataFrame:
    """A bare scan touching every input column: one per-row expression over all of them."""
    nums = [c for c, dt in INPUT_SCHEMA.items() if dt == pl.Int64]
    bools = [c for c, dt in INPUT_SCHEMA.items() if dt == pl.Boolean]
    return (
        frame.lazy()
        .select(
            pl.sum_horizontal(*[pl.col(c) for c in nums]).alias("s"),
            pl.any_horizontal(*[pl.col(c) for c in bools]).alias("b"),
            pl.col("registration_date").dt.year().alias("y"),
            pl.col("id"),
        )
        .collect()
    )


def per_enterprise(frame: pl.DataFrame) -> int:
    rs = get_ruleset(EVAL_DATE)
    n = 0
    for row in frame.iter_rows(named=True):
        evaluate_facts(row_to_facts(row), rs)
        n += 1
    return n


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def db_phase(db_rows: int) -> dict:
    """Insert ``db_rows`` enterprise-years into a throwaway database; time load, evaluate, store."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from decimal import Decimal

    import numpy as np
    from django.db import connection, transaction

    from kechuang.enterprises.logic.credit_code import check_character
    from kechuang.enterprises.models import AnnualFigure, Enterprise
    from kechuang.qualifications.logic import evaluate_batch
    from kechuang.qualifications.models import AssessmentResult, AssessmentRun
    from kechuang.qualifications.selectors import (
        assessment_frame,
        held_tiers,
        logic_ruleset,
        ruleset_in_force,
    )
    from kechuang.qualifications.services import (
        results_store,
        results_store_parallel,
        store_writers,
    )
    from kechuang.regions.models import Region, RegionKind, Town

    vendor = connection.vendor
    label = "PostgreSQL" if vendor == "postgresql" else f"{vendor} (DATABASE_URL is not PostgreSQL)"
    old_name = connection.settings_dict["NAME"]
    scratch = None
    if vendor == "sqlite":
        # A file, as in a deployment: an in-memory test database would count every stored row
        # in this process's memory.
        scratch = tempfile.TemporaryDirectory(prefix="assess-bench-")
        connection.settings_dict["TEST"]["NAME"] = os.path.join(scratch.name, "bench.sqlite3")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    out: dict = {"db_vendor": vendor, "db_label": label}
    try:
        year = 2024
        n_ent = max(1, db_rows // 3)
        rng = np.random.default_rng(7)
        t0 = time.perf_counter()
        region = Region.objects.create(code="330282", name="慈溪市", kind=RegionKind.HOME)
        town = Town.objects.create(region=region, code="T0001", name="基准镇")
        ents = []
        for i in range(n_ent):
            first17 = f"91330282{i:09d}"
            ents.append(
                Enterprise(
                    credit_code=first17 + check_character(first17),
                    name=f"基准企业{i}",
                    town=town,
                    industry_code="3411",
                    registration_date=date(2005 + i % 18, 1 + i % 12, 1 + i % 28),
                )
            )
        Enterprise.objects.bulk_create(ents, batch_size=5000)
        ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
        cents = lambda a: [Decimal(int(v)).scaleb(-2) for v in a]  # noqa: E731
        for y in (year - 2, year - 1, year):
            sales = rng.integers(0, 300_000_000_00, n_ent)
            rd = (sales * rng.uniform(0, 0.08, n_ent)).astype(np.int64)
            assets = rng.integers(0, 200_000_000_00, n_ent)
            emp = rng.integers(1, 600, n_ent)
            tech = (emp * rng.uniform(0, 0.4, n_ent)).astype(np.int64)
            cols = {
                "sales_revenue": cents(sales),
                "rd_hnte_total": cents(rd),
                "rd_hnte_domestic": cents(rd * 9 // 10),
                "rd_deduction_scope": cents(rd * 95 // 100),
                "total_assets": cents(assets),
                "total_liabilities": cents(assets // 2),
                "total_income": cents(sales + sales // 50),
                "non_taxable_income": cents(sales * 0),
                "hightech_income": cents(sales * 6 // 10),
                "total_cost_expense": cents(sales * 9 // 10),
            }
            for part in range(0, n_ent, SETUP_CHUNK):  # bounded memory: one chunk of objects
                AnnualFigure.objects.bulk_create(
                    [
                        AnnualFigure(
                            enterprise_id=ids[k],
                            year=y,
                            employees_year_end=int(emp[k]),
                            tech_staff_year_end=int(tech[k]),
                            employees_avg=Decimal(int(emp[k])),
                            tech_staff_avg=Decimal(int(tech[k])),
                            **{f: v[k] for f, v in cols.items()},
                        )
                        for k in range(part, min(part + SETUP_CHUNK, n_ent))
                    ],
                    batch_size=5000,
                )
            del cols
        out["db_insert_s"] = round(time.perf_counter() - t0, 2)
        out["db_enterprise_years"] = AnnualFigure.objects.count()
        print(
            f"[{label}] inserted {out['db_enterprise_years']:,} enterprise-years "
            f"({n_ent:,} enterprises) in {out['db_insert_s']:.1f} s (setup, not a target)"
        )

        t = date(year + 1, 1, 1)
        row = ruleset_in_force(t)
        rs = logic_ruleset(row)
        del ents, ids
        gc.collect()
        reset_peak_rss()
        t0 = time.perf_counter()
        frame = assessment_frame(year, evaluation_date=t, ruleset=rs)
        out["db_load_s"] = round(time.perf_counter() - t0, 3)
        out["db_frame_rows"] = frame.height
        print(
            f"(d) [{label}] load {out['db_enterprise_years']:,} enterprise-years into the batch frame "
            f"({frame.height:,} rows): {out['db_load_s']:8.3f} s"
        )
        t0 = time.perf_counter()
        result = evaluate_batch(frame.drop("enterprise_id"), ruleset=rs, evaluation_date=t)
        out["db_evaluate_s"] = round(time.perf_counter() - t0, 3)
        print(f"(e) evaluate that frame, all tiers:  {out['db_evaluate_s']:8.3f} s")
        run = AssessmentRun.objects.create(
            year=year,
            evaluation_date=t,
            rule_set=row,
            rule_set_version=row.version,
            rule_set_revision=row.revision,
        )
        t0 = time.perf_counter()
        writers = store_writers()  # as assessment_run_create chooses
        held = held_tiers(year)
        if writers > 1:
            stored = results_store_parallel(result, run=run, held=held, ruleset=rs, writers=writers)
        else:
            with transaction.atomic():
                stored = results_store(result, run=run, held=held, ruleset=rs)
        out["db_store_s"] = round(time.perf_counter() - t0, 3)
        out["db_store_writers"] = writers
        out["db_results_stored"] = stored
        out["db_assessment_peak_rss_mb"] = peak_rss_mb()
        assert AssessmentResult.objects.filter(run=run).count() == stored
        print(
            f"(f) [{label}] store {stored:,} results (column-wise, COPY / executemany, "
            f"{writers} writer(s)): "
            f"{out['db_store_s']:8.3f} s"
        )
        print(
            f"peak RSS of the load, evaluation and store: {out['db_assessment_peak_rss_mb']:,.0f} MB"
            " (target <= 2048 MB)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if scratch is not None:
            scratch.cleanup()
    return out


SETUP_CHUNK = 50_000


def reset_peak_rss() -> None:
    """Start a new peak-RSS measurement (Linux: writing 5 to clear_refs resets VmHWM)."""
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")


def peak_rss_mb() -> float:
    """The process's peak resident set since the last :func:`reset_peak_rss` (VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError("VmHWM is not in /proc/self/status")


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="20,000 rows, 500-row sample")
    ap.add_argument("--rows", type=int)
    ap.add_argument("--sample", type=int)
    ap.add_argument("--db-rows", type=int, help="enterprise-years through the database")
    ap.add_argument("--skip-db", action="store_true", help="in-memory figures only")
    args = ap.parse_args(argv)
    rows = args.rows or (20_000 if args.quick else 1_000_000)
    sample = args.sample or (500 if args.quick else 2_000)

    t0 = time.perf_counter()
    frame = generate(rows)
    gen_s = time.perf_counter() - t0
    print(
        f"generated {rows:,} enterprise-years x {frame.width} columns in {gen_s:.2f} s "
        f"({frame.estimated_size('mb'):.0f} MB)"
    )

    run_batch(frame.head(1000), EVAL_DATE)  # warm-up
    t0 = time.perf_counter()
    result = run_batch(frame, EVAL_DATE)
    first_s = time.perf_counter() - t0
    # Best of 3, as the floor below: the first full-size run also pays the allocator's
    # first touch of the frame's memory, which the floor never pays in its best run.
    batch_s = best_of(lambda: run_batch(frame, EVAL_DATE), 3)
    print(f"(a) batch, all tiers:              {batch_s:8.3f} s  ({rows / batch_s:,.0f} rows/s)")
    print(f"    its first full-size run:       {first_s:8.3f} s")

    sub = frame.head(sample)
    single_s = best_of(lambda: per_enterprise(sub), 1)
    single_extrap = single_s / sample * rows
    print(
        f"(b) per-enterprise, {sample:,} rows:     {single_s:8.3f} s  "
        f"-> extrapolated to {rows:,}: {single_extrap:8.1f} s (extrapolated)"
    )

    floor_scan(frame)
    floor_s = best_of(lambda: floor_scan(frame), 3)
    print(f"(c) floor scan, same columns:       {floor_s:8.3f} s")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speedup = single_extrap / batch_s
    over_floor = batch_s / floor_s
    print(f"speed-up batch vs per-enterprise (extrapolated): {speedup:,.0f}x (target >= 50x)")
    print(f"batch / floor: {over_floor:.1f}x (target <= 3x)")
    print(f"peak RSS: {peak_mb:,.0f} MB (target <= 4096 MB)")
    counts = result.group_by("tsn_status").len().sort("tsn_status").to_dicts()
    print("tech_sme_national status counts:", counts)
    figures = {
        "rows": rows,
        "columns_in": frame.width,
        "columns_out": result.width,
        "sample_rows": sample,
        "generate_s": round(gen_s, 4),
        "batch_s": round(batch_s, 4),
        "batch_first_run_s": round(first_s, 4),
        "per_enterprise_sample_s": round(single_s, 4),
        "per_enterprise_extrapolated_s": round(single_extrap, 2),
        "per_enterprise_is_extrapolated": True,
        "floor_s": round(floor_s, 4),
        "speedup_vs_per_enterprise": round(speedup, 1),
        "batch_over_floor": round(over_floor, 2),
        "peak_rss_mb": round(peak_mb, 1),
        "targets_met": {
            "batch_le_10s": batch_s <= 10,
            "speedup_ge_50x": speedup >= 50,
            "within_5x_floor": over_floor <= 5,
            "within_3x_floor": over_floor <= 3,
            "peak_le_4gb": peak_mb <= 4096,
        },
    }
    if not args.skip_db:
        db_rows = args.db_rows or (30_000 if args.quick else 1_000_000)
        del frame, result
        figures.update(db_phase(db_rows))
        # The whole process, the in-memory phase and the database set-up included; the
        # assessment's own peak is db_assessment_peak_rss_mb.
        figures["db_peak_rss_mb"] = round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        )
        figures["targets_met"]["db_assessment_peak_le_2gb"] = (
            figures["db_assessment_peak_rss_mb"] <= 2048
        )
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
