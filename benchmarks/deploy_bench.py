"""Benchmark of the province deployment shape (docs/deployment.md#province) on this machine.

Starts a throwaway PostgreSQL primary (wal_level=replica) and a streaming replica made with
`pg_basebackup -R`, loads the demo generator's region (N enterprises × 6 years, the COPY loader
of pages_bench.py) into the primary, then:

  pages     gunicorn with W workers serves a page mix (dashboard, enterprise list, enterprise
            page) to C logged-in clients twice: primary only, and with DATABASE_REPLICA_URL
            (reads of read-only requests on the replica); p50/p95 of each, and the replica's
            transaction count during the second run (the reads did go there);
  tasks     M small tasks enqueued on the django-tasks database backend, run by two
            `kechuang worker` processes at once: throughput, and that every task ran once;
  lost      a task whose worker is killed (SIGKILL) while it runs: a second worker requeues it
            on start and runs it (docs/deployment.md#task-workers).

Usage: python benchmarks/deploy_bench.py [--quick] [--enterprises N] [--requests R]
       [--clients C] [--workers W] [--tasks M]
The LAST line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages_bench  # noqa: E402
from common import PYTHON, ROOT, Timer, _pg_bin, emit, free_port, log, wait_for_http  # noqa: E402

TASKS_MODULE = "kechuang_deploy_bench_tasks"
TASKS_SOURCE = '''"""Written by benchmarks/deploy_bench.py: the benchmark's tasks."""
import time

from django_tasks import task


@task()
def touch(n: int) -> int:
    return sum(range(20_000)) + n


@task()
def slow(seconds: float) -> float:
    time.sleep(seconds)
    return seconds
'''
ENQUEUE = """
import django, sys
django.setup()
from {module} import slow, touch
if sys.argv[1] == "touch":
    for n in range(int(sys.argv[2])):
        touch.enqueue(n)
else:
    print(slow.enqueue(float(sys.argv[2])).id)
"""
STATUS = """
import django, json, sys
django.setup()
from django_tasks_db.models import DBTaskResult
rows = list(DBTaskResult.objects.values_list("id", "status", "worker_ids"))
print(json.dumps([[str(i), s, w] for i, s, w in rows]))
"""


def _runas() -> list[str]:
    if os.geteuid() != 0:
        return []
    if subprocess.run(["id", "postgres"], capture_output=True).returncode != 0:
        subprocess.run(["useradd", "--system", "--no-create-home", "postgres"], check=True)
    return ["runuser", "-u", "postgres", "--"]


class Cluster:
    """A primary and its streaming replica, removed on exit."""

    def __init__(self) -> None:
        self.bin = _pg_bin()
        self.runas = _runas()
        self.root = Path(tempfile.mkdtemp(prefix="kechuang-deploy-pg."))
        self.primary_dir, self.replica_dir = self.root / "primary", self.root / "replica"
        self.primary_port, self.replica_port = free_port(), free_port()
        self.started: list[Path] = []
        if self.runas:
            shutil.chown(self.root, "postgres")

    def _pg(self, *args: str) -> None:
        subprocess.run([*self.runas, *args], check=True, capture_output=True)

    def _start(self, data: Path, port: int) -> None:
        opts = (
            f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c shared_buffers=256MB -c wal_level=replica -c max_wal_senders=5 -c hot_standby=on"
        )
        self._pg(
            str(self.bin / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(data / "log"), "-w",
            "start",
        )  # fmt: skip
        self.started.append(data)

    def __enter__(self) -> Cluster:
        self._pg(
            str(self.bin / "initdb"), "-D", str(self.primary_dir), "-U", "kechuang",
            "--auth=trust", "-E", "UTF8",
        )  # fmt: skip
        self._start(self.primary_dir, self.primary_port)
        subprocess.run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.primary_port), "-U",
             "kechuang", "kechuang"],
            check=True,
        )  # fmt: skip
        self._pg(
            str(self.bin / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port),
            "-U", "kechuang", "-D", str(self.replica_dir), "-R", "-X", "stream",
            "--checkpoint=fast",  # not a spread checkpoint: up to minutes of waiting otherwise
        )  # fmt: skip
        self._start(self.replica_dir, self.replica_port)
        return self

    def url(self, replica: bool = False) -> str:
        port = self.replica_port if replica else self.primary_port
        return f"postgres://kechuang@127.0.0.1:{port}/kechuang"

    def psql(self, sql: str, replica: bool = False) -> str:
        port = self.replica_port if replica else self.primary_port
        return subprocess.run(
            [str(self.bin / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", "kechuang",
             "-d", "kechuang", "-At", "-c", sql],
            check=True, capture_output=True, text=True,
        ).stdout.strip()  # fmt: skip

    def __exit__(self, *exc) -> None:
        for data in reversed(self.started):
            subprocess.run(
                [*self.runas, str(self.bin / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                capture_output=True,
            )
        shutil.rmtree(self.root, ignore_errors=True)


def _env(cluster: Cluster, var_dir: Path, replica: bool) -> dict:
    env = pages_bench._env(cluster.url(), var_dir)
    env.pop("DATABASE_REPLICA_URL", None)
    if replica:
        env["DATABASE_REPLICA_URL"] = cluster.url(replica=True)
        env["KECHUANG_REPLICA_PIN_SECONDS"] = "0"  # the login does not pin the clients
    return env


def serve(env: dict, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "-w", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    wait_for_http(proc, port, tries=300)
    return proc


def pages(cluster, var_dir, args, replica: bool) -> dict:
    ids = cluster.psql("SELECT id FROM enterprises_enterprise ORDER BY id LIMIT 8").split()
    paths = ["/dashboard/?year=2024", pages_bench.LIST_PATH]  # "/" redirects to the workbench
    paths += [f"/enterprises/{i}/" for i in ids]
    port = free_port()
    proc = serve(_env(cluster, var_dir, replica), port, args.workers)
    try:
        base = f"http://127.0.0.1:{port}"
        before = int(cluster.psql(_XACTS, replica=True))
        result = pages_bench.measure(base, paths, args.requests, args.clients)
        result["replica_transactions"] = int(cluster.psql(_XACTS, replica=True)) - before
    finally:
        proc.terminate()
        proc.wait()
    return result


_XACTS = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'kechuang'"


def _python(env: dict, code: str, *argv: str) -> str:
    return subprocess.run(
        [PYTHON, "-c", code, *argv], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def _worker(env: dict, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "kechuang.cli", "worker", "--no-startup-delay", "--interval", "0.1",
         "--verbosity", "0", *extra],
        cwd=ROOT, env=env,
    )  # fmt: skip


def tasks(cluster, var_dir, n: int) -> dict:
    import json

    env = _env(cluster, var_dir, replica=False)
    _python(env, ENQUEUE.format(module=TASKS_MODULE), "touch", str(n))
    with Timer() as t:
        procs = [_worker(env, "--batch") for _ in range(2)]
        for p in procs:
            p.wait(600)
    rows = json.loads(_python(env, STATUS))
    ran = [r for r in rows if r[1] == "SUCCESSFUL"]
    result = {
        "tasks": n,
        "successful": len(ran),
        "claimed_once": all(len(r[2]) == 1 for r in ran),
        "workers_used": len({r[2][0] for r in ran}),
        "seconds_incl_start": round(t.seconds, 2),
        "throughput_per_s": round(n / t.seconds, 1),
    }

    # A worker killed while its task runs: the next worker requeues and runs it.
    task_id = _python(env, ENQUEUE.format(module=TASKS_MODULE), "slow", "15")
    victim = _worker(env)
    deadline = time.time() + 120
    while time.time() < deadline:
        status = {r[0]: r for r in json.loads(_python(env, STATUS))}[task_id]
        if status[1] == "RUNNING":
            break
        time.sleep(0.2)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    with Timer() as t_rescue:
        rescuer = _worker(env, "--batch")
        rescuer.wait(300)
    final = {r[0]: r for r in json.loads(_python(env, STATUS))}[task_id]
    result["lost_task"] = {
        "status": final[1],
        "runs": len(final[2]),
        "retried": final[1] == "SUCCESSFUL" and len(final[2]) == 2,
        "rescue_s": round(t_rescue.seconds, 2),
    }
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 enterprises, 120 requests")
    parser.add_argument("--enterprises", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--tasks", type=int, default=200)
    args = parser.parse_args()
    if args.quick:
        args.enterprises, args.requests, args.tasks = 2_000, 120, 40
    tmp = Path(tempfile.mkdtemp(prefix="kechuang-deploy-bench."))
    pages_bench.write_settings(tmp)
    (tmp / f"{TASKS_MODULE}.py").write_text(TASKS_SOURCE)
    try:
        with Cluster() as cluster:
            log(f"primary :{cluster.primary_port}, replica :{cluster.replica_port}")
            with Timer() as t_load:
                pages_bench.run_worker("load", cluster.url(), tmp, args.enterprises)
            log(f"loaded {args.enterprises:,} enterprises × 6 years in {t_load.seconds:.0f}s")
            lag = cluster.psql("SELECT pg_last_wal_replay_lsn() IS NOT NULL", replica=True)
            primary = pages(cluster, tmp, args, replica=False)
            log(f"pages, primary only: {primary}")
            with_replica = pages(cluster, tmp, args, replica=True)
            log(f"pages, reads on the replica: {with_replica}")
            work = tasks(cluster, tmp, args.tasks)
            log(f"tasks: {work}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    emit(
        {
            "benchmark": "deploy",
            "enterprises": args.enterprises,
            "gunicorn_workers": args.workers,
            "clients": args.clients,
            "replica_streaming": lag == "t",
            "pages_primary_only": primary,
            "pages_with_replica": with_replica,
            "tasks": work,
            "load_average": os.getloadavg()[0],
        }
    )


if __name__ == "__main__":
    main()
