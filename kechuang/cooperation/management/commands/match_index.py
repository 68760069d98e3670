"""`kechuang match_index [--threads N]`: compute the matching engine's missing or stale dense
vectors of every offered achievement and live demand (docs/matching.md#stored-vectors)."""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kechuang.cooperation import matching


class Command(BaseCommand):
    help = "Encode and store the dense vectors of achievements and demands whose text changed."

    def add_arguments(self, parser):
        parser.add_argument(
            "--threads", type=int, default=None, help="encoder threads (default: all cores)"
        )

    def handle(self, *args, threads=None, **options):
        if not matching.dense_enabled():
            raise CommandError("KECHUANG_MATCHING_DENSE is off: there are no vectors to compute")
        settings.KECHUANG_MATCHING_THREADS = threads or os.cpu_count() or 1
        matching.engine()  # the model and the tokenizer load first: not part of the rate
        t0 = time.perf_counter()
        done = matching.vectors_refresh()
        took = time.perf_counter() - t0
        rate = done["encoded"] / took if done["encoded"] and took else 0.0
        self.stdout.write(
            f"{done['records']:,} records, {done['encoded']:,} encoded in {took:.1f} s "
            f"({rate:.1f} per second; load average {os.getloadavg()[0]:.1f})"
        )
