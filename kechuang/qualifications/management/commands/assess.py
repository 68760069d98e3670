"""`kechuang assess --year YEAR [--all-years]`: store every enterprise's assessment."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from kechuang.qualifications.models import ResultStatus, Tier
from kechuang.qualifications.selectors import available_assessment_years
from kechuang.qualifications.services import STORED_TIERS, assessment_run_create


class Command(BaseCommand):
    help = "Assess every enterprise against every tier's rules for a year and store the results."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="assessment year (fiscal year just closed)")
        parser.add_argument("--all-years", action="store_true", help="every year with figures")
        parser.add_argument(
            "--evaluation-date", type=dt.date.fromisoformat, help="default: YEAR+1-01-01"
        )

    def handle(self, *args, year=None, all_years=False, evaluation_date=None, **options):
        if all_years:
            years = available_assessment_years()
        elif year is not None:
            years = [year]
        else:
            raise CommandError("give --year YEAR or --all-years")
        if not years:
            raise CommandError("no yearly figures to assess")
        statuses = [s.value for s in ResultStatus]
        for y in years:
            t0 = time.perf_counter()
            run = assessment_run_create(year=y, evaluation_date=evaluation_date)
            took = time.perf_counter() - t0
            self.stdout.write(
                f"{y}: run #{run.pk}, {run.enterprise_count:,} enterprises, rule set "
                f"{run.rule_set_version} r{run.rule_set_revision}, evaluated on "
                f"{run.evaluation_date.isoformat()}, {took:.2f} s"
            )
            header = f"  {'tier':<22}" + "".join(f"{s:>12}" for s in statuses)
            self.stdout.write(header)
            for tier, _prefix, _c in STORED_TIERS:
                counts = run.summary.get(tier, {})
                self.stdout.write(
                    f"  {Tier(tier).value:<22}"
                    + "".join(f"{counts.get(s, 0):>12,}" for s in statuses)
                )
