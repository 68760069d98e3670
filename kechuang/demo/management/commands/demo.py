"""`kechuang demo`: only exists where the demo app is installed (development and demo settings)."""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kechuang.demo.services import DEMO_PASSWORD, DEMO_USERS, NotADemoDatabase, demo_build


class Command(BaseCommand):
    help = "Create (or reuse) the demo region and demo users, then serve it (unless --no-serve)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-serve", action="store_true", help="build the demo database and exit"
        )
        parser.add_argument(
            "--enterprises", type=int, default=5200, help="size of a generated region"
        )
        parser.add_argument(
            "--force", action="store_true", help="generate even if enterprises exist"
        )
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args, no_serve, enterprises, force, addr, **options):
        call_command("migrate", verbosity=0, interactive=False)
        started = time.perf_counter()
        try:
            generated = demo_build(n_enterprises=enterprises, force=force)
        except NotADemoDatabase as exc:
            raise CommandError(str(exc)) from exc
        took = time.perf_counter() - started
        self.stdout.write(
            ("Generated" if generated else "Reused") + f" the demo region in {took:.1f} s."
        )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role, display in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {role.label} ({display})")
        self.stdout.write("  town02…town19 officers of the other towns/streets")
        if not no_serve:
            call_command("serve", addr=addr)
