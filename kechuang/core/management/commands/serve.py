import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the app with gunicorn and run the background-task worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, addr, workers, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        worker = subprocess.Popen([sys.executable, "-m", "kechuang.cli", "db_worker"])
        self.stdout.write(f"Serving on http://{addr}/ (Ctrl-C to stop)")
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
                    "-" if settings.DEBUG else "/dev/null",
                    "--timeout",
                    "120",
                ],
                check=False,
                env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev"},
            )
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
