import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.reports.models import ReportFormat
from kechuang.reports.services import report_document, report_render


class Command(BaseCommand):
    help = "Write the annual report of a year as docx, pdf or xlsx, and say how long it took."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=ReportFormat.values, default=ReportFormat.DOCX)
        parser.add_argument("--output", required=True, help="file to write")

    def handle(self, *args, year: int, format: str, output: str, **options):
        started, cpu = time.perf_counter(), time.process_time()
        document = report_document(year)
        rendered = report_render(document, format)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        path = Path(output)
        try:
            path.write_bytes(rendered.content)
        except OSError as exc:
            raise CommandError(f"cannot write {path}: {exc}") from exc
        pages = f", {rendered.pages} pages" if rendered.pages else ""
        self.stdout.write(
            f"{path}: {len(rendered.content) / 1024:.0f} KB{pages}, "
            f"{len(document.cited)} figures cited — generated in {elapsed:.2f} s "
            f"(CPU {cpu:.2f} s)"
        )
