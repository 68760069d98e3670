"""`kechuang serve`: gunicorn plus the background-task worker, under the operator's settings.

The settings module is whatever DJANGO_SETTINGS_MODULE says (the `kechuang` script defaults to the
development settings; production sets config.settings.prod). Static files are collected first, so
the hashed manifest exists before the first request.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the app with gunicorn and run the background-task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default=os.environ.get("KECHUANG_ADDR", "127.0.0.1:8000"))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("KECHUANG_WORKERS", "2"))
        )
        parser.add_argument(
            "--access-log",
            default=os.environ.get("KECHUANG_ACCESS_LOG", "-"),
            help="access log file ('-' for standard output)",
        )
        parser.add_argument(
            "--no-worker", action="store_true", help="do not start the background-task worker"
        )
        parser.add_argument(
            "--task-workers",
            type=int,
            default=int(os.environ.get("KECHUANG_TASK_WORKERS", "1")),
            help="background-task workers to start (docs/deployment.md#task-workers)",
        )

    def handle(self, *args, addr, workers, access_log, no_worker, task_workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        task_processes = []
        if not no_worker:
            task_processes = [
                subprocess.Popen([sys.executable, "-m", "kechuang.cli", "worker"], env=env)
                for _ in range(max(1, task_workers))
            ]
        self.stdout.write(f"Serving on http://{addr}/ (Ctrl-C to stop)", ending="\n")
        self.stdout.flush()
        try:
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--bind",
                    addr,
                    "--workers",
                    str(workers),
                    "--access-logfile",
                    access_log,
                    "--timeout",
                    "120",
                    *(["--log-level", "debug"] if settings.DEBUG else []),
                ],
                check=False,
                env=env,
            )
        except KeyboardInterrupt:
            pass
        finally:
            for worker in task_processes:
                worker.terminate()
