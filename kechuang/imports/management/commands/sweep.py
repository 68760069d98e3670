"""`kechuang sweep`: mark dead background work interrupted and remove expired upload files."""

from django.core.management.base import BaseCommand

from kechuang.imports.recovery import purge_uploads, retention_days, stale_after, sweep_stale


class Command(BaseCommand):
    help = (
        "Mark import batches and assessment runs whose worker stopped beating as interrupted "
        "(they can then be retried), and delete uploaded files older than "
        "KECHUANG_UPLOAD_RETENTION_DAYS. Safe to run at any time, e.g. daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-purge", action="store_true", help="only mark interrupted work; keep the files"
        )

    def handle(self, *args, no_purge=False, **options):
        counts = sweep_stale()
        self.stdout.write(
            f"interrupted: {counts['imports']} import batch(es), {counts['runs']} assessment "
            f"run(s) (no heartbeat for {int(stale_after().total_seconds())} s)"
        )
        if not no_purge:
            removed = purge_uploads()
            self.stdout.write(
                f"removed {removed} uploaded file(s) older than {retention_days()} days"
            )
