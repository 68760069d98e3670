"""`kechuang match_index [--threads N] [--import FILE] [--export FILE]`: compute the matching
engine's missing or stale dense vectors of every offered achievement and live demand
(docs/matching.md#stored-vectors); take the current ones from a vector file first, or write the
stored ones to one (docs/matching.md#vector-files)."""

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
        parser.add_argument(
            "--import",
            dest="import_path",
            metavar="FILE",
            help="store the vectors of FILE that match a record's current text, before encoding",
        )
        parser.add_argument(
            "--export",
            dest="export_path",
            metavar="FILE",
            help="afterwards, write every stored vector to FILE (.npz)",
        )
        parser.add_argument(
            "--all-records",
            action="store_true",
            help="with --export: every achievement and demand, offered or not, live or not",
        )

    def handle(
        self, *args, threads=None, import_path=None, export_path=None, all_records=False, **options
    ):
        if not matching.dense_enabled():
            raise CommandError("KECHUANG_MATCHING_DENSE is off: there are no vectors to compute")
        settings.KECHUANG_MATCHING_THREADS = threads or os.cpu_count() or 1
        matching.engine()  # the model and the tokenizer load first: not part of the rate
        if import_path:
            try:
                got = matching.vectors_import(import_path)
            except matching.VectorFileError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"{got['imported']:,} vectors taken from {import_path}")
        t0 = time.perf_counter()
        done = matching.vectors_refresh()
        took = time.perf_counter() - t0
        rate = done["encoded"] / took if done["encoded"] and took else 0.0
        self.stdout.write(
            f"{done['records']:,} records, {done['encoded']:,} encoded in {took:.1f} s "
            f"({rate:.1f} per second; load average {os.getloadavg()[0]:.1f})"
        )
        if export_path:
            n = matching.vectors_export(export_path, all_records=all_records)
            self.stdout.write(f"{n:,} vectors written to {export_path}")
