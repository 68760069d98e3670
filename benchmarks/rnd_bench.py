"""Benchmark of the regional R&D aggregates (kechuang.rnd.selectors) on generated enterprise-years.

Generates N enterprise-years (2019–2024, numpy, bulk-inserted with executemany on SQLite or COPY on
PostgreSQL) into a throwaway database, then times the full set of regional figures the R&D page,
dashboard, API and report need — headline figures, the 2019–2024 series, and breakdowns by town,
industry division, revenue band and tier held — three ways:

  kechuang_cold  Kechuang's functions on an empty store (loads the columnar snapshot: SQL, and
                 stores it in the shared derived-data store);
  kechuang_warm  the same calls again (snapshot valid: one fingerprint query + Polars);
  after change   1 % of the rows saved with history: the first call (advances the shared
                 snapshot by the changed enterprises), another process's first call (applies
                 the shared delta to its base), a cold process (base + delta from the store);
  orm            plain Django ORM aggregate queries producing the same figures;
  floor          bare Polars group-bys over the same rows already in memory.

SQLite by default (a temporary file); PostgreSQL when DATABASE_URL starts with postgres.
The LAST line printed is one JSON object with the figures.

Usage: python benchmarks/rnd_bench.py [--quick] [--rows N] [--repeat K]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, Timer, django_setup, emit, log, rss_peak_mb  # noqa: E402

YEARS = list(range(2019, 2025))
YEAR = 2024
N_TOWNS = 19
SLICES = ("town", "division", "revenue_band", "tier")


# ------------------------------------------------------------------ data generation


def generate(n_rows: int, seed: int = 7) -> dict:
    """Column arrays for n_rows enterprise-years (n_rows // 6 enterprises × 6 years)."""
    rng = np.random.default_rng(seed)
    n_ent = max(1, n_rows // len(YEARS))
    town = rng.integers(1, N_TOWNS + 1, n_ent)
    division = rng.integers(13, 44, n_ent)
    base = np.exp(rng.normal(np.log(1.6e7), 1.1, n_ent))  # 2019 operating revenue, yuan
    growth = rng.normal(0.06, 0.08, (n_ent, len(YEARS))).cumsum(axis=1)
    revenue = base[:, None] * np.exp(growth)
    revenue[rng.random((n_ent, len(YEARS))) < 0.002] = 0.0  # zero-revenue edge cases
    above = revenue >= 2e7
    performs = rng.random(n_ent) < 0.72
    intensity = rng.uniform(0.005, 0.06, (n_ent, len(YEARS)))
    rd = np.where(
        performs[:, None] & (rng.random((n_ent, len(YEARS))) < 0.97), revenue * intensity, 0.0
    )
    rd_null = rng.random((n_ent, len(YEARS))) < 0.01
    return {
        "n_ent": n_ent,
        "town": town,
        "division": division,
        "revenue": np.round(revenue, 2),
        "rd": np.round(rd, 2),
        "rd_null": rd_null,
        "above": above,
        "high_tech": rng.random(n_ent) < 0.18,
        "ht_issue": rng.integers(0, 365 * 8, n_ent),  # days after 2016-01-01
        "sme": rng.random(n_ent) < 0.15,
        "sme_year": rng.integers(2019, 2025, n_ent),
        "gazelle": rng.random(n_ent) < 0.02,
    }


def insert(data: dict) -> float:
    """Bulk-insert the generated rows; returns seconds."""
    from django.db import connection

    now = dt.datetime(2025, 1, 1, 12, 0, 0)
    n_ent = data["n_ent"]
    from django.db import transaction

    with Timer() as t, transaction.atomic(), connection.cursor() as cur:
        pg = connection.vendor == "postgresql"
        cur.execute(
            "INSERT INTO regions_region (id, code, name, kind, province, city) "
            "VALUES (1, '330282', '基准市', 'home', '浙江省', '宁波市')"
        )
        cur.executemany(
            "INSERT INTO regions_town (id, code, name, is_street, sort_order, region_id) "
            "VALUES (%s, %s, %s, %s, %s, 1)",
            [(i, f"T{i:03d}", f"镇{i:02d}", False, i) for i in range(1, N_TOWNS + 1)],
        )
        ent_rows = (
            (
                i + 1,
                f"91330282{i + 1:09d}X",
                f"企业{i + 1}",
                f"{int(data['division'][i]):02d}11",
                "",
                "",
                True,
                now,
                now,
                int(data["town"][i]),
            )
            for i in range(n_ent)
        )
        ent_cols = (
            "id, credit_code, name, industry_code, address, tags, is_resident_enterprise, "
            "created_at, updated_at, town_id"
        )
        fig_cols = "id, source, updated_at, year, is_above_scale_industrial, enterprise_id, operating_revenue, rd_expense_stat"
        revenue, rd, rd_null, above = data["revenue"], data["rd"], data["rd_null"], data["above"]

        def fig_rows():
            k = 0
            for i in range(n_ent):
                for j, year in enumerate(YEARS):
                    k += 1
                    yield (
                        k,
                        "generator",
                        now,
                        year,
                        bool(above[i, j]),
                        i + 1,
                        float(revenue[i, j]),
                        None if rd_null[i, j] else float(rd[i, j]),
                    )

        qual_rows = []
        epoch = dt.date(2016, 1, 1)
        for i in np.flatnonzero(data["high_tech"]):
            issue = epoch + dt.timedelta(days=int(data["ht_issue"][i]))
            expiry = issue + dt.timedelta(days=3 * 365 - 1)
            qual_rows.append(
                (
                    len(qual_rows) + 1,
                    "generator",
                    now,
                    "high_tech",
                    issue.year,
                    "",
                    "",
                    issue,
                    expiry,
                    "active",
                    int(i) + 1,
                )
            )
        for i in np.flatnonzero(data["sme"]):
            y = int(data["sme_year"][i])
            qual_rows.append(
                (
                    len(qual_rows) + 1,
                    "generator",
                    now,
                    "national_tech_sme",
                    y,
                    "",
                    "",
                    dt.date(y, 6, 30),
                    dt.date(y, 12, 31),
                    "active",
                    int(i) + 1,
                )
            )
        for i in np.flatnonzero(data["gazelle"]):
            qual_rows.append(
                (
                    len(qual_rows) + 1,
                    "generator",
                    now,
                    "gazelle",
                    2023,
                    "",
                    "",
                    dt.date(2023, 9, 1),
                    None,
                    "active",
                    int(i) + 1,
                )
            )
        qual_cols = "id, source, updated_at, kind, year, number, batch, issue_date, expiry_date, status, enterprise_id"
        if pg:
            for table, cols, rows in [
                ("enterprises_enterprise", ent_cols, ent_rows),
                ("enterprises_annualfigure", fig_cols, fig_rows()),
                ("enterprises_qualification", qual_cols, qual_rows),
            ]:
                with cur.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for table in (
                "enterprises_enterprise",
                "enterprises_annualfigure",
                "enterprises_qualification",
            ):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                )
        else:
            ph = lambda n: ", ".join(["%s"] * n)  # noqa: E731
            cur.executemany(
                f"INSERT INTO enterprises_enterprise ({ent_cols}) VALUES ({ph(10)})", ent_rows
            )
            cur.executemany(
                f"INSERT INTO enterprises_annualfigure ({fig_cols}) VALUES ({ph(8)})", fig_rows()
            )
            cur.executemany(
                f"INSERT INTO enterprises_qualification ({qual_cols}) VALUES ({ph(11)})", qual_rows
            )
            cur.execute("ANALYZE")
    return t.seconds


# ------------------------------------------------------------------ the three ways


def kechuang_full_set() -> dict:
    from kechuang.rnd.selectors import rd_aggregates, rd_breakdown, rd_series

    out = {"headline": rd_aggregates(YEAR), "series": rd_series(YEARS)}
    for by in SLICES:
        out[by] = rd_breakdown(YEAR, by)
    return out


def orm_full_set() -> dict:
    """The same figures with plain Django ORM aggregate queries (no Kechuang selector)."""
    from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, Sum, Value, When
    from django.db.models.functions import Substr

    from kechuang.enterprises.models import AnnualFigure, Qualification

    aggs = {
        "n": Count("id"),
        "with_rd": Count("id", filter=Q(rd_expense_stat__gt=0)),
        "rd": Sum("rd_expense_stat"),
        "revenue": Sum("operating_revenue"),
    }
    above = AnnualFigure.objects.filter(is_above_scale_industrial=True).order_by()
    two = above.filter(year__in=[YEAR - 1, YEAR])
    out = {
        "series": list(
            above.filter(year__in=[YEARS[0] - 1, *YEARS]).values("year").annotate(**aggs)
        )
    }
    out["town"] = list(two.values("year", "enterprise__town_id").annotate(**aggs))
    out["division"] = list(
        two.annotate(div=Substr("enterprise__industry_code", 1, 2))
        .values("year", "div")
        .annotate(**aggs)
    )
    band = Case(
        When(operating_revenue__isnull=True, then=Value("unknown")),
        When(operating_revenue__lte=50_000_000, then=Value("le_50m")),
        When(operating_revenue__lte=200_000_000, then=Value("50m_200m")),
        When(operating_revenue__lte=1_000_000_000, then=Value("200m_1bn")),
        default=Value("gt_1bn"),
        output_field=CharField(),
    )
    out["revenue_band"] = list(two.annotate(band=band).values("year", "band").annotate(**aggs))
    tiers = []
    kinds = list(Qualification.objects.order_by().values_list("kind", flat=True).distinct())
    for year in (YEAR - 1, YEAR):
        end = dt.date(year, 12, 31)
        held = {
            kind: Exists(
                Qualification.objects.filter(
                    enterprise_id=OuterRef("enterprise_id"), kind=kind
                ).valid_on(end)
            )
            for kind in kinds
        }
        rows = two.filter(year=year)
        for kind, cond in held.items():
            tiers.append((year, kind, rows.filter(cond).aggregate(**aggs)))
        none = rows
        for cond in held.values():
            none = none.filter(~cond)
        tiers.append((year, "none", none.aggregate(**aggs)))
    out["tier"] = tiers
    return out


def floor_full_set(frame, quals) -> dict:
    """Bare Polars group-bys over the rows already in memory (the floor)."""
    import polars as pl

    aggs = [
        pl.len().alias("n"),
        (pl.col("rd").fill_null(0) > 0).sum().alias("with_rd"),
        pl.col("rd").sum().alias("rd"),
        pl.col("revenue").sum().alias("revenue"),
    ]
    two = frame.filter(pl.col("year").is_in([YEAR - 1, YEAR]))
    band = (
        pl.when(pl.col("revenue").is_null())
        .then(pl.lit("unknown"))
        .when(pl.col("revenue") <= 5_000_000_000)
        .then(pl.lit("le_50m"))
        .when(pl.col("revenue") <= 20_000_000_000)
        .then(pl.lit("50m_200m"))
        .when(pl.col("revenue") <= 100_000_000_000)
        .then(pl.lit("200m_1bn"))
        .otherwise(pl.lit("gt_1bn"))
    )
    out = {
        "series": frame.group_by("year").agg(aggs),
        "town": two.group_by("year", "town_id").agg(aggs),
        "division": two.group_by("year", "division").agg(aggs),
        "revenue_band": two.with_columns(band.alias("band")).group_by("year", "band").agg(aggs),
    }
    parts = []
    for year in (YEAR - 1, YEAR):
        end = dt.date(year, 12, 31)
        held = (
            quals.filter(
                (pl.col("issue_date") <= end)
                & (pl.col("expiry_date").is_null() | (pl.col("expiry_date") >= end))
                & (pl.col("revoked_date").is_null() | (pl.col("revoked_date") > end))
            )
            .select("enterprise_id", "kind")
            .unique()
        )
        parts.append(two.filter(pl.col("year") == year).join(held, on="enterprise_id", how="left"))
    out["tier"] = pl.concat(parts).group_by("year", "kind").agg(aggs)
    return out


def change_share(share: float, seed: int = 11) -> int:
    """Save every row of `share` of the enterprises with a new R&D figure and a history row
    (as the services and the import do); returns the number of rows changed."""
    from decimal import Decimal

    from simple_history.utils import bulk_update_with_history

    from kechuang.enterprises.models import AnnualFigure, Enterprise

    rng = np.random.default_rng(seed)
    ids = list(Enterprise.objects.order_by().values_list("id", flat=True))
    chosen = [int(i) for i in rng.choice(ids, max(1, int(len(ids) * share)), replace=False)]
    rows = list(AnnualFigure.objects.filter(enterprise_id__in=chosen))
    for row in rows:
        row.rd_expense_stat = Decimal(int(rng.integers(0, 5_000_000))) / 100
    bulk_update_with_history(rows, AnnualFigure, ["rd_expense_stat"], batch_size=2_000)
    return len(rows)


def settings_cache_backend() -> str:
    from django.conf import settings

    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def best_of(fn, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        with Timer() as t:
            fn()
        times.append(t.seconds)
    return min(times), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="60,000 rows, 2 repeats")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = 60_000 if args.quick else args.rows
    repeat = 2 if args.quick else args.repeat

    tmp = Path(tempfile.mkdtemp(prefix="kechuang-rnd-bench."))
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    log(f"database: {url.split('@')[-1]}; rows: {rows:,}")
    os.chdir(ROOT)
    with Timer() as t_setup:
        django_setup(url, tmp)
    log(f"migrated in {t_setup.seconds:.1f}s")

    with Timer() as t_gen:
        data = generate(rows)
    log(f"generated {rows:,} enterprise-years in {t_gen.seconds:.2f}s")
    t_insert = insert(data)
    log(f"inserted in {t_insert:.1f}s")

    from django.db import connection

    from kechuang.enterprises.models import AnnualFigure, Qualification
    from kechuang.rnd import selectors
    from kechuang.rnd.selectors import rd_frames, snapshot_clear

    n_rows = AnnualFigure.objects.count()
    n_above = AnnualFigure.objects.filter(is_above_scale_industrial=True).count()
    log(f"{n_rows:,} rows, {n_above:,} above-scale")

    snapshot_clear(shared=True)
    with Timer() as t_cold:
        result = kechuang_full_set()
    log(f"kechuang cold (loads the snapshot): {t_cold.seconds:.3f}s")
    warm, warm_all = best_of(kechuang_full_set, repeat)
    log(f"kechuang warm: {warm:.4f}s (runs {', '.join(f'{x:.4f}' for x in warm_all)})")
    orm, orm_all = best_of(orm_full_set, max(1, repeat // 2))
    log(f"plain ORM: {orm:.3f}s (runs {', '.join(f'{x:.3f}' for x in orm_all)})")
    frame, quals = rd_frames()
    floor, floor_all = best_of(lambda: floor_full_set(frame, quals), repeat)
    log(f"Polars floor: {floor:.4f}s")
    with Timer() as t_fp:
        for _ in range(100):
            selectors._fingerprint()
    log(f"snapshot fingerprint query: {t_fp.seconds / 100 * 1000:.2f} ms")

    # Same figures both ways (a cheap cross-check of the benchmark itself).
    orm_2024 = next(r for r in orm_full_set()["series"] if r["year"] == YEAR)
    assert orm_2024["n"] == result["headline"]["above_scale_industrial"], (
        orm_2024,
        result["headline"],
    )
    assert orm_2024["with_rd"] == result["headline"]["above_scale_with_rd"]

    # A change touching 1 % of the rows (every year of 1 % of the enterprises, saved with their
    # history rows as the services do), then the first call in this process (it advances the
    # shared snapshot), the first call in another process holding the old base (it applies the
    # shared delta) and a process starting cold (base and delta from the shared store).
    with Timer() as t_write:
        changed_rows = change_share(0.01)
    log(f"changed {changed_rows:,} rows with history in {t_write.seconds:.1f}s")
    with Timer() as t_after:
        after = kechuang_full_set()
    log(
        f"kechuang first call after the change (advances the shared snapshot): {t_after.seconds:.3f}s"
    )
    with selectors._SNAPSHOT_LOCK:
        for key in ("key", "frames", "delta"):
            selectors._LOCAL.pop(key, None)
    with Timer() as t_other:
        kechuang_full_set()
    log(f"another process after the change (applies the shared delta): {t_other.seconds:.3f}s")
    selectors.snapshot_clear()
    with Timer() as t_fresh:
        kechuang_full_set()
    log(f"a process starting cold (base and delta from the shared store): {t_fresh.seconds:.3f}s")
    from django.test.utils import override_settings

    with Timer() as t_full:
        selectors._load_figures(AnnualFigure.objects.all())
        selectors._load_quals(Qualification.objects.all())
    log(f"full reload of the snapshot's rows from the tables: {t_full.seconds:.3f}s")
    with override_settings(KECHUANG_RND_SNAPSHOT=False):
        full = kechuang_full_set()
    assert after == full, "incremental snapshot differs from a full reload"

    h = result["headline"]
    emit(
        {
            "benchmark": "rnd",
            "database": connection.vendor,
            "rows": n_rows,
            "above_scale_rows": n_above,
            "insert_s": round(t_insert, 2),
            "kechuang_cold_s": round(t_cold.seconds, 4),
            "kechuang_warm_s": round(warm, 4),
            "orm_s": round(orm, 4),
            "floor_polars_s": round(floor, 4),
            "warm_vs_floor": round(warm / floor, 2) if floor else None,
            "orm_vs_floor": round(orm / floor, 2) if floor else None,
            "fingerprint_ms": round(t_fp.seconds / 100 * 1000, 3),
            "changed_rows": changed_rows,
            "after_change_first_s": round(t_after.seconds, 4),
            "after_change_other_process_s": round(t_other.seconds, 4),
            "cold_process_shared_s": round(t_fresh.seconds, 4),
            "full_reload_s": round(t_full.seconds, 4),
            "after_change_target_met": max(t_after.seconds, t_other.seconds) <= 0.3,
            "cache": settings_cache_backend(),
            "load_average": os.getloadavg()[0],
            "target_met": warm <= 1.0 and (floor == 0 or warm <= 3 * floor),
            "headline_2024": {
                "above_scale_industrial": h["above_scale_industrial"],
                "share_pct": h["above_scale_with_rd_share_pct"],
                "rd_bn": round(float(h["rd_expense_above_scale_yuan"]) / 1e9, 3),
                "growth_pct": h["rd_expense_growth_pct"],
                "intensity_pct": h["rd_intensity_pct"],
            },
            "peak_rss_mb": rss_peak_mb(),
            "repeat": repeat,
            "median_warm_s": round(statistics.median(warm_all), 4),
        }
    )


if __name__ == "__main__":
    main()
