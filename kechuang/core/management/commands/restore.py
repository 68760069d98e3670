"""`kechuang restore FILE [--force]`: restore a backup archive into an empty database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restore a backup made by `kechuang backup` into the configured (empty) database."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument(
            "--force", action="store_true", help="overwrite a database that already holds rows"
        )

    def handle(self, *args, archive, force, **options):
        try:
            summary = backup_restore(Path(archive), force=force)
        except (BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {summary.tables} tables ({summary.rows} rows) and "
            f"{summary.media_files} uploaded files; every table's row count matches the backup."
        )
