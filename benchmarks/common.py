"""Shared helpers of the benchmarks: Django set-up on a throwaway database, a throwaway PostgreSQL
cluster, timing and the one-JSON-line result convention.

Every benchmark prints human-readable lines while it runs and, as its LAST line, one JSON object
with its figures (times in seconds, sizes, ratios).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = (
    str(ROOT / ".venv" / "bin" / "python")
    if (ROOT / ".venv" / "bin" / "python").exists()
    else sys.executable
)


def log(*args) -> None:
    print(*args, flush=True)


def emit(result: dict) -> None:
    """Print the result as the last line: one JSON object."""
    print(json.dumps(result, ensure_ascii=False, sort_keys=False, default=str), flush=True)


class Timer:
    """`with Timer() as t: ...` then t.seconds (perf_counter)."""

    def __enter__(self):
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(proc, port: int, tries: int = 150) -> None:
    """Wait until a server on `port` answers its login page; stop it and exit if it never does."""
    import httpx

    for _ in range(tries):
        try:
            httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def django_setup(
    database_url: str, var_dir: str | Path, settings: str = "config.settings.dev"
) -> None:
    """Point Django at `database_url` (with var/ in `var_dir`), set it up and migrate."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["KECHUANG_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ.setdefault(
        "SECRET_KEY", "benchmark-only-secret-key-not-for-production-use-0123456789"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def demo_raw_frames(data, entities=None) -> list:
    """The generator's frames as `import_frames` input (the same shaping `demo_build` does)."""
    import polars as pl

    from kechuang.imports.schemas import SCHEMAS

    frames = []
    for entity, frame in data.frames.items():
        if entities is not None and entity not in entities:
            continue
        frame = frame.with_row_index("__row", offset=2).with_columns(pl.col("__row").cast(pl.Int64))
        frames.append((SCHEMAS[entity].sheet, SCHEMAS[entity], frame))
    return frames


def rss_peak_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# ------------------------------------------------------------------ throwaway PostgreSQL


def _pg_bin() -> Path:
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not candidates:
        raise RuntimeError(
            "PostgreSQL binaries not found under /usr/lib/postgresql (apt-get install postgresql)"
        )
    return candidates[-1].parent


@contextlib.contextmanager
def postgres_cluster(dbnames=("kechuang",)):
    """A throwaway cluster on a free port (like .ci/run): yields {dbname: url}; stops and removes it.

    fsync is off (benchmark data is disposable); everything else is PostgreSQL's default except
    shared_buffers (256MB, a modest production-like value instead of the 128MB default).
    """
    pgbin = _pg_bin()
    data = Path(tempfile.mkdtemp(prefix="kechuang-bench-pg."))
    port = free_port()
    runas: list[str] = []
    if os.geteuid() == 0:
        if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
        shutil.chown(data, "postgres")
        runas = ["runuser", "-u", "postgres", "--"]
    started = False
    try:
        subprocess.run(
            [
                *runas,
                str(pgbin / "initdb"),
                "-D",
                str(data),
                "-U",
                "kechuang",
                "--auth=trust",
                "-E",
                "UTF8",
            ],
            check=True,
            capture_output=True,
        )
        opts = (
            f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB"
        )
        subprocess.run(
            [
                *runas,
                str(pgbin / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                opts,
                "-l",
                str(data / "server.log"),
                "-w",
                "start",
            ],
            check=True,
            capture_output=True,
        )
        started = True
        urls = {}
        for name in dbnames:
            subprocess.run(
                [
                    str(pgbin / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "kechuang",
                    name,
                ],
                check=True,
            )
            urls[name] = f"postgres://kechuang@127.0.0.1:{port}/{name}"
        yield urls
    finally:
        if started:
            subprocess.run(
                [*runas, str(pgbin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
            )
        shutil.rmtree(data, ignore_errors=True)
