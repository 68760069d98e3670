"""Child process of the crash test (test_recovery.py): `python crash_worker.py MODE ARG...`.

setup DIR   — a town and a pending commit batch of a two-sheet workbook; prints the batch id.
work ID DIR — runs the batch like the worker, but stops for ever after the first sheet's rows
              were inserted (inside the commit transaction) and writes DIR/inside-commit.
count ID    — prints {status, enterprises, figures} as JSON.
recover ID  — runs the sweeper (stale limit 0 s), retries the batch, prints the counts.

The database is DATABASE_URL (the test's copy), files go under KECHUANG_VAR_DIR.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROWS = 40


def _django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def _counts(batch_id: int) -> dict:
    from kechuang.enterprises.models import AnnualFigure, Enterprise
    from kechuang.imports.models import ImportBatch

    return {
        "status": ImportBatch.objects.get(pk=batch_id).status,
        "enterprises": Enterprise.objects.count(),
        "figures": AnnualFigure.objects.count(),
        "enterprise_history": Enterprise.history.count(),
    }


def setup(directory: str) -> None:
    from django.core.files.base import ContentFile
    from openpyxl import Workbook

    from kechuang.enterprises.tests.factories import make_credit_code, make_town
    from kechuang.imports.models import ImportBatch, ImportStatus
    from kechuang.imports.schemas import SCHEMAS

    town = make_town("浒山街道")
    ent, af = SCHEMAS["enterprises"], SCHEMAS["annual_figures"]
    codes = [make_credit_code() for _ in range(ROWS)]
    wb = Workbook()
    ws = wb.active
    ws.title = ent.sheet
    ws.append(ent.headers)
    for i, code in enumerate(codes):
        ws.append([code, f"企业{i}", town.name, "3851", "2015-03-01", "", "", "是"])
    ws = wb.create_sheet(af.sheet)
    ws.append(af.headers)
    for code in codes:
        row = dict.fromkeys(af.headers)
        row.update({"统一社会信用代码": code, "年度": 2024, "营业收入（元）": 1_000_000})
        ws.append([row[h] for h in af.headers])
    path = Path(directory) / "book.xlsx"
    wb.save(path)
    batch = ImportBatch(entity="", file_name="book.xlsx", dry_run=False)
    batch.file.save("book.xlsx", ContentFile(path.read_bytes()), save=False)
    batch.status = ImportStatus.PENDING
    batch.save()
    print(batch.pk)


def work(batch_id: int, directory: str) -> None:
    from kechuang.imports import services
    from kechuang.imports.tasks import import_batch_run

    original = services._create_with_history

    def insert_then_hang(*args, **kwargs):
        result = original(*args, **kwargs)
        Path(directory, "inside-commit").write_text("1")
        time.sleep(600)  # the test kills the process here
        return result

    services._create_with_history = insert_then_hang
    import_batch_run.call(batch_id)


def recover(batch_id: int) -> None:
    from django.conf import settings

    from kechuang.imports.models import ImportBatch
    from kechuang.imports.recovery import import_batch_retry, sweep_stale

    settings.KECHUANG_STALE_AFTER_SECONDS = 0
    swept = sweep_stale()
    after_sweep = ImportBatch.objects.get(pk=batch_id).status
    retried = import_batch_retry(ImportBatch.objects.get(pk=batch_id))
    print(
        json.dumps(
            {"swept": swept, "after_sweep": after_sweep, "retried": retried, **_counts(batch_id)}
        )
    )


if __name__ == "__main__":
    _django()
    mode = sys.argv[1]
    if mode == "setup":
        setup(sys.argv[2])
    elif mode == "work":
        work(int(sys.argv[2]), sys.argv[3])
    elif mode == "count":
        print(json.dumps(_counts(int(sys.argv[2]))))
    elif mode == "recover":
        recover(int(sys.argv[2]))
