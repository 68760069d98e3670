import json as jsonlib

from django.core.management.base import BaseCommand

from kechuang.dashboard.selectors import figures_as_json, headline_figures


class Command(BaseCommand):
    help = "Print the dashboard's headline figures for a year (--json for one JSON object)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, year, json: bool = False, **options):
        figures = figures_as_json(headline_figures(year))
        if json:
            self.stdout.write(_dumps(figures))
            return
        width = max(len(k) for k in figures)
        for key, value in figures.items():
            if isinstance(value, dict):
                value = ", ".join(f"{k}={v}" for k, v in value.items())
            self.stdout.write(f"{key:<{width}}  {value}")


def _dumps(obj) -> str:
    return jsonlib.dumps(obj, ensure_ascii=False)
