import json as jsonlib
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from kechuang.imports.services import import_file


class Command(BaseCommand):
    help = "Import an xlsx workbook (all sheets, all-or-nothing). --dry-run checks without writing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--language", default="zh-hans", help="language of error messages (zh-hans or en)"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the summary and errors as JSON"
        )

    def handle(self, *args, file, dry_run, language, json: bool = False, **options):
        started = time.perf_counter()
        with translation.override(language):
            result = import_file(file, dry_run=dry_run, language=language)
        took = time.perf_counter() - started
        summary = result.summary()
        if json:
            self.stdout.write(
                jsonlib.dumps(
                    {
                        "summary": summary,
                        "errors": result.errors,
                        "committed": result.committed,
                        "seconds": round(took, 3),
                    },
                    ensure_ascii=False,
                    default=str,
                )
            )
        else:
            mode = "dry run" if dry_run else ("committed" if result.committed else "NOT committed")
            self.stdout.write(
                f"{file}: {summary['rows']} rows — created {summary['created']}, updated {summary['updated']}, "
                f"unchanged {summary['unchanged']}, errors {summary['errors']} ({mode}, {took:.2f} s)"
            )
            for e in result.errors[:200]:
                self.stdout.write(
                    f"  [{e['sheet']}] row {e['row']} · {e['column']} · {e['value']!r}: {e['message']}"
                )
            if len(result.errors) > 200:
                self.stdout.write(f"  … and {len(result.errors) - 200} more")
        if result.errors:
            raise CommandError(f"{len(result.errors)} errors; nothing was written.")
