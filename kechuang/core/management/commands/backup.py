"""`kechuang backup [--output FILE]`: the database and uploaded files in one archive."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kechuang.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database (consistent online copy) and the uploaded files to a .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="archive path (default: var/backups/…)")

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.VAR_DIR) / "backups" / f"kechuang-{stamp}.tar.gz"
        try:
            manifest = backup_create(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Backup written to {output}: {len(manifest['tables'])} tables, {rows} rows, "
            f"{manifest['media_files']} uploaded files."
        )
