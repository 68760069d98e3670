"""`kechuang notify [--date YYYY-MM-DD] [--enqueue]`: the daily reminder job
(docs/notifications.md#daily-job); run it once a day from cron or a systemd timer."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kechuang.notifications.registry import KINDS
from kechuang.notifications.services import run_daily
from kechuang.notifications.tasks import notify_daily


class Command(BaseCommand):
    help = "Create the day's reminders of every notification kind (running it twice adds nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to compute, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--enqueue", action="store_true", help="Hand the job to the task worker instead"
        )

    def handle(self, *args, date=None, enqueue=False, **options):
        day = None
        if date:
            try:
                day = dt.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        if enqueue:
            result = notify_daily.enqueue(day=day.isoformat() if day else None)
            self.stdout.write(f"enqueued {result.id}")
            return
        created = run_daily(day)
        for code, count in sorted(created.items()):
            self.stdout.write(f"{code}\t{KINDS[code].label}\t{count}")
        self.stdout.write(f"total\t{sum(created.values())}")
