from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kechuang.imports.exports import template_workbook
from kechuang.imports.schemas import SCHEMAS


class Command(BaseCommand):
    help = "Write the xlsx import template of an entity: " + ", ".join(SCHEMAS)

    def add_arguments(self, parser):
        parser.add_argument("name", help="entity: " + ", ".join(SCHEMAS))
        parser.add_argument("--output", "-o", help="file to write (default NAME-template.xlsx)")

    def handle(self, *args, name, output=None, **options):
        if name not in SCHEMAS:
            raise CommandError(f"Unknown template {name!r}; choose one of: {', '.join(SCHEMAS)}")
        path = Path(output or f"{name}-template.xlsx")
        path.write_bytes(template_workbook(SCHEMAS[name]))
        self.stdout.write(f"Wrote {path}")
