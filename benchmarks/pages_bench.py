"""Benchmark of the main pages on PostgreSQL under gunicorn, and their SQL query counts.

Starts a throwaway PostgreSQL cluster (unless DATABASE_URL is given), fills it with the demo
generator's region scaled to N enterprises × 6 years, serves the app with gunicorn
(`config.wsgi -w 2`, config.settings.dev), logs in as the demo `staff` user and measures, with
several concurrent HTTP clients (httpx, one session each), p50/p95/max of:

  dashboard        /dashboard/?year=2024
  enterprise_list  /enterprises/?year=2024&above_scale=true&sort=-rd_expense_stat&page=50
                   (`sort` is django-tables2's order_by field; rd_expense_stat is the table column)
  enterprise       /enterprises/<pk>/ rotating over a fixed set of enterprises (incl. the one
                   with the most IP items and qualifications)
  ladder, reserve_pool, rd_overview, campaigns, platforms, programmes, cooperation_search
                   (OTHER_PAGES below)

and, in-process with django.test.Client + CaptureQueriesContext, the number of SQL queries of
each page at two data sizes (it must not grow with the data) with the slowest query per page.

Loading: the generator's frames (`generate(n)`) are validated and typed with the importer's own
parser (`imports.logic.parse_sheet` with `imports.services.column_specs`), then written with
PostgreSQL COPY (rows and one "+" history row each) instead of `import_frames`, whose
Django/simple-history bulk writes take many minutes at 100,000 enterprises × 6 years.

Any N works (`generate(n)` names and credit codes scale without limit), e.g. `--enterprises
500000` for the province-scale figure.

Usage: python benchmarks/pages_bench.py [--quick] [--enterprises N] [--requests R] [--clients C]
       [--reuse DATABASE_URL]   (a database loaded by an earlier run: measured without loading)
The LAST line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PYTHON,
    ROOT,
    Timer,
    demo_raw_frames,
    django_setup,
    emit,
    free_port,
    log,
    postgres_cluster,
    wait_for_http,
)

YEAR = 2024
LIST_PATH = f"/enterprises/?year={YEAR}&above_scale=true&sort=-rd_expense_stat&page=50"
DASHBOARD_PATH = f"/dashboard/?year={YEAR}"
# The other pages of the province-scale target (docs/performance.md#list-pages): path per page.
OTHER_PAGES = {
    "ladder": f"/qualifications/ladder/?year={YEAR}",
    "reserve_pool": f"/qualifications/reserve/?year={YEAR}",
    "rd_overview": f"/rnd/?year={YEAR}",
    "campaigns": "/campaigns/",
    "platforms": "/platforms/",
    "programmes": "/programmes/calls/",
    "cooperation_search": "/cooperation/search/?q=智能",
}
TARGET_P95_S = 0.200  # every page at p95 (issue 16: province scale)


# ------------------------------------------------------------------ data (worker process)


def _copy_frame(cursor, table: str, frame) -> None:
    """COPY a Polars frame into `table` (CSV, \\N for NULL, so '' stays an empty string)."""
    buf = io.BytesIO()
    frame.write_csv(
        buf, include_header=False, null_value="\\N", float_precision=2, quote_style="non_numeric"
    )
    columns = ", ".join(f'"{c}"' for c in frame.columns)
    with cursor.copy(
        f"COPY \"{table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
    ) as copy:
        copy.write(buf.getvalue())


def load_copy(n: int) -> dict:
    """Generate N enterprises, validate with the importer's parser, COPY rows + history rows."""
    import datetime as dt

    import polars as pl
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from kechuang.demo.generator import generate
    from kechuang.demo.services import demo_build, regions_ensure
    from kechuang.enterprises.constants import HIGH_TECH_VALIDITY_YEARS
    from kechuang.imports.logic import ROW, parse_sheet
    from kechuang.imports.services import ORDER, _model, column_specs

    timings = {}
    with Timer() as t:
        data = generate(n)
    timings["generate_s"] = round(t.seconds, 1)
    regions_ensure()
    now = timezone.now()
    frames = {schema.name: (schema, raw) for _sheet, schema, raw in demo_raw_frames(data)}
    counts = {}
    code_to_id = None
    copied = []
    with Timer() as t, transaction.atomic(), connection.cursor() as cur:
        pg = cur.cursor  # the psycopg cursor (COPY)
        for name in ORDER:
            schema, raw = frames[name]
            typed, errors = parse_sheet(
                raw, column_specs(schema), key=schema.key, checks=schema.checks
            )
            if errors:
                raise SystemExit(f"{name}: generator data failed validation: {errors[:3]}")
            model = _model(schema)
            fields = {f.name: f for f in model._meta.concrete_fields}
            typed = typed.with_row_index("id", offset=1).with_columns(pl.col("id").cast(pl.Int64))
            if name == "enterprises":
                typed = typed.rename({"town": "town_id"})
                code_to_id = pl.DataFrame(
                    {"credit_code": typed["credit_code"], "enterprise_id": typed["id"]}
                )
            else:
                typed = typed.join(code_to_id, on="credit_code", how="left").drop("credit_code")
            if (
                name == "qualifications"
            ):  # as the importer: high-tech expiry defaults to issue + 3y - 1d
                typed = typed.with_columns(
                    pl.when(pl.col("expiry_date").is_null() & (pl.col("kind") == "high_tech"))
                    .then(
                        pl.col("issue_date").dt.offset_by(f"{HIGH_TECH_VALIDITY_YEARS}y")
                        - dt.timedelta(days=1)
                    )
                    .otherwise(pl.col("expiry_date"))
                    .alias("expiry_date")
                )
            extra = {
                "source": "generator",
                "source_row": typed[ROW],
                "created_at": now,
                "updated_at": now,
            }
            cols = []
            for fname, f in fields.items():
                col = f.attname
                if col in typed.columns:
                    s = typed[col]
                elif fname in extra:
                    s = extra[fname]
                    s = s if isinstance(s, pl.Series) else pl.Series(col, [s] * typed.height)
                else:
                    s = pl.Series(col, [None] * typed.height, dtype=pl.Utf8)
                if (
                    not f.null and s.null_count()
                ):  # blank cells take the field default, as on import
                    s = s.fill_null(f.get_default() if f.has_default() else "")
                cols.append(s.alias(col))
            rows = pl.DataFrame(cols)
            _copy_frame(pg, model._meta.db_table, rows)
            hist = model.history.model
            hist_cols = {f.attname for f in hist._meta.concrete_fields}
            history = rows.select([c for c in rows.columns if c in hist_cols]).with_columns(
                pl.lit(now).alias("history_date"),
                pl.lit("+").alias("history_type"),
                pl.lit(f"import:{name}").alias("history_change_reason"),
                pl.col("id").alias("history_id"),
            )
            _copy_frame(pg, hist._meta.db_table, history)
            counts[name] = rows.height
            copied += [model, hist]
        for sql in connection.ops.sequence_reset_sql(no_style(), copied):
            cur.execute(sql)
    timings["copy_s"] = round(t.seconds, 1)
    demo_build(n_enterprises=n)  # enterprises exist: creates the demo users only
    # A database after its bulk load has been vacuumed (docs/deployment.md#postgresql).
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return {"rows": counts, **timings}


# ------------------------------------------------------------------ in-process query counts


def count_queries() -> dict:
    """SQL queries (number, total time, slowest) of each page, via django.test.Client."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from kechuang.enterprises.models import Enterprise

    staff = get_user_model().objects.get(username="staff")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff)
    busiest = (
        Enterprise.objects.annotate(
            n=Count("ip_assets", distinct=True) + Count("qualifications", distinct=True)
        )
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    total = Enterprise.objects.count()
    others = [
        p
        for p in Enterprise.objects.order_by("pk").values_list("pk", flat=True)[
            :: max(1, total // 19)
        ]
    ][:19]
    enterprise_ids = [busiest, *[p for p in others if p != busiest]]
    pages = {
        "dashboard": DASHBOARD_PATH,
        "enterprise_list": LIST_PATH,
        "enterprise": f"/enterprises/{busiest}/",
        **OTHER_PAGES,
    }
    out = {"enterprises": total, "enterprise_ids": enterprise_ids, "pages": {}}
    for name, path in pages.items():
        client.get(path)  # warm caches (ContentType, translations)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
        qs = ctx.captured_queries
        slowest = max(qs, key=lambda q: float(q["time"]))
        out["pages"][name] = {
            "path": path,
            "queries": len(qs),
            "sql_time_s": round(sum(float(q["time"]) for q in qs), 4),
            "slowest_query_s": float(slowest["time"]),
            "slowest_query": slowest["sql"],
        }
    return out


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(r[0] for r in cur.fetchall())


def worker(args) -> None:
    """Runs in a subprocess bound to one database: --worker load|count."""
    sys.path.insert(0, args.var_dir)
    django_setup(args.database_url, args.var_dir, settings=SETTINGS_MODULE)
    if args.worker == "load":
        result = load_copy(args.enterprises)
    else:
        result = count_queries()
        if args.explain:
            for page in result["pages"].values():
                page["explain"] = (
                    explain(page["slowest_query"])
                    if page["slowest_query"].startswith("SELECT")
                    else ""
                )
    print(json.dumps(result, ensure_ascii=False, default=str), flush=True)


def run_worker(kind: str, url: str, var_dir: Path, n: int = 0, explain_: bool = False) -> dict:
    cmd = [
        PYTHON,
        __file__,
        "--worker",
        kind,
        "--database-url",
        url,
        "--var-dir",
        str(var_dir),
        "--enterprises",
        str(n),
    ]
    if explain_:
        cmd.append("--explain")
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=_env(url, var_dir))
    if proc.returncode != 0:
        raise SystemExit(f"worker {kind} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ------------------------------------------------------------------ HTTP measurement


def login(base: str):
    import re

    import httpx

    client = httpx.Client(base_url=base, timeout=60, follow_redirects=False)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = client.post(
        "/accounts/login/",
        data={
            "username": "staff",
            "password": "Kechuang-Demo-2024",
            "csrfmiddlewaretoken": token,
            "next": "/",
        },
        headers={"Referer": base + "/accounts/login/"},
    )
    if r.status_code != 302:
        raise SystemExit(f"login failed: HTTP {r.status_code}")
    return client


def measure(base: str, paths: list[str], requests: int, clients: int) -> dict:
    """`requests` GETs over `paths` (round robin) from `clients` threads, each logged in."""
    sessions = [login(base) for _ in range(clients)]
    for s in sessions:  # warm up each gunicorn worker and connection
        for p in paths[:3]:
            s.get(p)
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    counter = iter(range(requests))

    def run(session):
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            path = paths[i % len(paths)]
            start = time.perf_counter()
            r = session.get(path)
            elapsed = time.perf_counter() - start
            with lock:
                times.append(elapsed)
                if r.status_code != 200:
                    errors.append(f"{path}: {r.status_code}")

    threads = [threading.Thread(target=run, args=(s,)) for s in sessions]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    for s in sessions:
        s.close()
    if errors:
        raise SystemExit(f"HTTP errors: {errors[:5]}")
    times.sort()
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {
        "requests": len(times),
        "p50_s": round(q[49], 4),
        "p95_s": round(q[94], 4),
        "max_s": round(times[-1], 4),
        "mean_s": round(statistics.fmean(times), 4),
        "throughput_rps": round(len(times) / wall, 1),
    }


def _env(url: str, var_dir: Path) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "DATABASE_URL": url,
        "PYTHONPATH": os.pathsep.join([str(var_dir), str(ROOT)]),
        "KECHUANG_VAR_DIR": str(var_dir),
        # Persistent connections, as docs/deployment.md#province runs them.
        "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production-use-0123456789",
    }
    env.pop("DEBUG", None)
    return env


SETTINGS_MODULE = "kechuang_pages_bench_settings"
SETTINGS = """# Written by benchmarks/pages_bench.py: the dev settings, with static URLs that need no
# collectstatic (the benchmark fetches pages, not assets; `collectstatic` currently fails on the
# vendored tabler CSS's missing source map).
from config.settings.dev import *  # noqa: F401,F403

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
"""


def write_settings(tmp: Path) -> None:
    (tmp / f"{SETTINGS_MODULE}.py").write_text(SETTINGS)


def serve(url: str, var_dir: Path, port: int):
    env = _env(url, var_dir)
    gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
    proc = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "-w",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    wait_for_http(proc, port, tries=150)
    return proc


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="5,000 enterprises, 40 requests per page"
    )
    parser.add_argument("--enterprises", type=int, default=0)
    parser.add_argument("--requests", type=int, help="requests per page (default 200; quick 40)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent HTTP clients")
    parser.add_argument(
        "--reuse",
        metavar="DATABASE_URL",
        help="measure a PostgreSQL database this benchmark loaded before (no load, one size)",
    )
    parser.add_argument("--worker", choices=["load", "count"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    parser.add_argument("--var-dir", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    n = args.enterprises or (5_000 if args.quick else 100_000)
    n_small = 10_000 if n >= 50_000 else max(2 * n, 4_000)  # page 50 needs ≥ 1,250 above-scale rows
    requests = args.requests or (40 if args.quick else 200)
    given = os.environ.get("DATABASE_URL", "")
    if given and not given.startswith("postgres"):
        raise SystemExit("DATABASE_URL must be a PostgreSQL URL")
    tmp = Path(tempfile.mkdtemp(prefix="kechuang-pages-bench."))
    write_settings(tmp)
    if args.reuse:
        if not args.reuse.startswith("postgres"):
            raise SystemExit("--reuse needs a PostgreSQL URL")
        log("Reusing a loaded database: no load; query counts at the second size are skipped.")
        run(args, n, None, requests, {"main": args.reuse}, tmp)
    elif given:
        log(
            "Using the given DATABASE_URL (must be an empty database); query counts at the second size are skipped."
        )
        run(args, n, None, requests, {"main": given}, tmp)
    else:
        with postgres_cluster(("kechuang", "kechuang_small")) as urls:
            run(
                args,
                n,
                n_small,
                requests,
                {"main": urls["kechuang"], "small": urls["kechuang_small"]},
                tmp,
            )


def run(args, n, n_small, requests, urls, tmp) -> None:
    result = {
        "benchmark": "pages",
        "quick": args.quick,
        "database": "postgresql",
        "enterprises": n,
        "years": 6,
        "loader": "generate()+parse_sheet+COPY",
        "clients": args.clients,
        "gunicorn_workers": 2,
        "cpus": os.cpu_count(),
    }
    if args.reuse:
        result["load"] = "reused"
    else:
        log(f"loading {n:,} enterprises × 6 years …")
        with Timer() as t:
            loaded = run_worker("load", urls["main"], tmp, n)
        result["load"] = {**loaded, "total_s": round(t.seconds, 1)}
        log(f"  loaded in {t.seconds:.1f}s: {loaded}")
    counts = {}
    counts[n] = run_worker("count", urls["main"], tmp, explain_=True)
    if args.reuse:  # the size is the database's
        measured = counts.pop(n)
        n = result["enterprises"] = measured["enterprises"]
        counts[n] = measured
    if n_small:
        log(f"loading {n_small:,} enterprises for the query-count comparison …")
        run_worker("load", urls["small"], tmp, n_small)
        counts[n_small] = run_worker("count", urls["small"], tmp)
    pages = {}
    for page in counts[n]["pages"]:
        pages[page] = {
            "queries_by_size": {str(k): v["pages"][page]["queries"] for k, v in counts.items()},
            "sql_time_s_in_process": counts[n]["pages"][page]["sql_time_s"],
            "slowest_query_s": counts[n]["pages"][page]["slowest_query_s"],
        }
        log(
            f"{page}: queries by size {pages[page]['queries_by_size']}; slowest query {pages[page]['slowest_query_s']}s"
        )
        log("  " + counts[n]["pages"][page]["slowest_query"][:600])
        log("  " + counts[n]["pages"][page].get("explain", "").replace("\n", "\n  "))
    ids = counts[n]["enterprise_ids"]
    paths = {
        "dashboard": [DASHBOARD_PATH],
        "enterprise_list": [LIST_PATH],
        "enterprise": [f"/enterprises/{i}/" for i in ids],
        **{page: [path] for page, path in OTHER_PAGES.items()},
    }
    port = free_port()
    proc = serve(urls["main"], tmp, port)
    try:
        base = f"http://127.0.0.1:{port}"
        for page, plist in paths.items():
            single = measure(base, plist, max(20, requests // 4), 1)  # service time, no queueing
            m = measure(base, plist, requests, args.clients)
            pages[page].update(
                path=plist[0],
                **m,
                meets_target=m["p95_s"] <= TARGET_P95_S,
                one_client={k: single[k] for k in ("requests", "p50_s", "p95_s", "max_s")},
            )
            for label, x in ((f"{args.clients} clients", m), ("1 client", single)):
                log(
                    f"{page:16s} {label:10s} p50 {x['p50_s'] * 1000:7.1f} ms  p95 {x['p95_s'] * 1000:7.1f} ms  max {x['max_s'] * 1000:7.1f} ms  ({x['throughput_rps']} req/s)"
                )
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result["pages"] = pages
    result["p95_target_s"] = TARGET_P95_S
    result["all_meet_target"] = all(p["meets_target"] for p in pages.values())
    emit(result)


if __name__ == "__main__":
    main()
