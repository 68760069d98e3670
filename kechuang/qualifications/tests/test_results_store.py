"""The column-wise store writes exactly the rows the row-by-row reference builds, atomically."""

from __future__ import annotations

import functools
import json
import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.factories import make_credit_code, make_town
from kechuang.qualifications import services
from kechuang.qualifications.logic import case_to_row, evaluate_batch, get_ruleset, rows_to_frame
from kechuang.qualifications.logic.gaps import cost_weights_fen
from kechuang.qualifications.logic.results import RESULT_COLUMNS, result_frame
from kechuang.qualifications.models import AssessmentResult, AssessmentRun, RunStatus
from kechuang.qualifications.selectors import TIER_KIND, ruleset_in_force
from kechuang.qualifications.services import results_from_batch, results_store

from .builders import YEAR, small_region
from .cases import mixed_case

EVAL = date(2026, 1, 1)


def _batch(ids: list[int], seed: int = 11):
    r = random.Random(seed)
    rs = get_ruleset(EVAL)
    cases = []
    for i, pk in enumerate(ids):
        case = mixed_case(r, i)
        case["id"] = str(pk)
        cases.append(case)
    frame = rows_to_frame([case_to_row(c, ruleset=rs) for c in cases])
    return evaluate_batch(frame, evaluation_date=EVAL, ruleset=rs), rs


def _dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _canonical(row: dict) -> dict:
    """A result row with JSON parsed and decimals as Decimal (text differences aside)."""
    out = dict(row)
    for k in ("conditions", "gaps"):
        if isinstance(out[k], str):
            out[k] = json.loads(out[k])
    for k in ("gap_rd_yuan", "gap_tech_staff", "gap_cost_wan"):
        out[k] = _dec(out[k])
    out["held"] = bool(out["held"])
    return out


def _reference(objs) -> list[dict]:
    return [_canonical({k: getattr(o, k) for k in RESULT_COLUMNS}) for o in objs]


def _held(ids):
    return {kind: set(ids[::3]) for kind in TIER_KIND.values()}


def test_result_frame_matches_the_reference_rows():
    ids = list(range(1, 1501))
    out, rs = _batch(ids)
    held = _held(ids)
    expected = _reference(results_from_batch(out, run=None, held=held, ruleset=rs))
    frame = result_frame(
        out,
        held={tier: held[kind] for tier, kind in TIER_KIND.items()},
        weights_fen=cost_weights_fen(rs),
    )
    got = [_canonical(r) for r in frame.to_dicts()]
    assert len(got) == len(expected) == 4 * len(ids)
    assert got == expected
    # The sample exercises every kind of gap and cost.
    assert any(r["gap_cost_wan"] for r in got) and any(r["gap_tech_staff"] for r in got)
    assert {g["condition"] for r in got for g in r["gaps"]} >= {"C5", "H1", "H4", "H5", "H6"}


def _enterprises(n: int) -> list[int]:
    town = make_town()
    Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(), name=f"写入比对{i}", industry_code="3411", town=town
        )
        for i in range(n)
    )
    return list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))


def _run() -> AssessmentRun:
    row = ruleset_in_force(EVAL)
    return AssessmentRun.objects.create(
        year=EVAL.year - 1,
        evaluation_date=EVAL,
        rule_set=row,
        rule_set_version=row.version,
        rule_set_revision=row.revision,
    )


@pytest.mark.django_db
def test_store_writes_the_reference_rows_in_chunks():
    ids = _enterprises(400)
    out, rs = _batch(ids, seed=3)
    held = _held(ids)
    run = _run()
    written = results_store(out, run=run, held=held, ruleset=rs, chunk=150)  # 3 slices
    assert written == 4 * len(ids)
    stored = [
        _canonical({k: getattr(o, k) for k in RESULT_COLUMNS})
        for o in AssessmentResult.objects.filter(run=run).order_by("enterprise_id", "pk")
    ]
    expected = _reference(results_from_batch(out, run=run, held=held, ruleset=rs))
    assert stored == expected
    # Queries by JSON key and decimal column work on what was written.
    some = next(r for r in expected if r["gap_cost_wan"])
    assert AssessmentResult.objects.filter(
        run=run, gap_cost_wan=some["gap_cost_wan"], enterprise_id=some["enterprise_id"]
    ).exists()
    fails = sum(1 for r in expected if r["conditions"].get("H1") == "fail")
    assert AssessmentResult.objects.filter(run=run, conditions__H1="fail").count() == fails


@pytest.mark.django_db(transaction=True)
def test_a_failed_store_leaves_no_results(monkeypatch):
    region = small_region()
    assert region["strong"].pk
    calls = []
    # One writer in the run's transaction (SQLite), or parallel writers that commit (PostgreSQL).
    name = "results_store" if services.store_writers() == 1 else "results_store_parallel"
    real = getattr(services, name)

    def failing(out, **kwargs):
        real(out.head(2), **kwargs)  # some rows written, then the writer breaks
        assert AssessmentResult.objects.exists()  # rows were written before the break
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, name, failing)
    with pytest.raises(RuntimeError):
        services.assessment_run_create(year=YEAR)
    run = AssessmentRun.objects.get()
    assert calls and run.status == RunStatus.FAILED
    assert not AssessmentResult.objects.exists()


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="parallel writers are a PostgreSQL feature"
)


@pytest.mark.django_db
def test_inside_a_transaction_or_on_sqlite_one_writer_stores_the_results(settings):
    settings.KECHUANG_ASSESSMENT_WRITERS = 4
    assert services.store_writers() == 1  # the test's own transaction is open


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_parallel_writers_store_the_reference_rows(settings):
    settings.KECHUANG_ASSESSMENT_WRITERS = 3
    assert services.store_writers() == 3
    ids = _enterprises(400)
    out, rs = _batch(ids, seed=5)
    held = _held(ids)
    run = _run()
    written = services.results_store_parallel(
        out, run=run, held=held, ruleset=rs, writers=3, chunk=70
    )  # 6 slices over 3 connections
    assert written == 4 * len(ids)
    stored = [
        _canonical({k: getattr(o, k) for k in RESULT_COLUMNS})
        for o in AssessmentResult.objects.filter(run=run).order_by("enterprise_id", "pk")
    ]
    assert stored == _reference(results_from_batch(out, run=run, held=held, ruleset=rs))


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_writer_that_breaks_fails_the_run_and_its_rows_are_deleted(monkeypatch, settings):
    from kechuang.imports import bulk

    settings.KECHUANG_ASSESSMENT_WRITERS = 2
    small_region()
    real, calls = bulk.write_frame, []

    def second_breaks(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("connection lost")
        return real(*args, **kwargs)

    monkeypatch.setattr(bulk, "write_frame", second_breaks)
    one_per_slice = functools.partial(services.results_store_parallel, chunk=1)
    monkeypatch.setattr(services, "results_store_parallel", one_per_slice)
    with pytest.raises(RuntimeError, match="connection lost"):
        services.assessment_run_create(year=YEAR)
    assert len(calls) >= 2  # one slice was written before the other writer broke
    run = AssessmentRun.objects.get()
    assert run.status == RunStatus.FAILED and "connection lost" in run.error
    assert not AssessmentResult.objects.exists()


@pytest.mark.django_db
def test_an_interrupted_run_loses_the_rows_it_had_written():
    from datetime import timedelta

    from django.utils import timezone

    ids = _enterprises(30)
    out, rs = _batch(ids, seed=9)
    run = _run()
    results_store(out, run=run, held=_held(ids), ruleset=rs)
    AssessmentRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=2)
    )
    swept = services.sweep_stale_runs(timezone.now() - timedelta(hours=1), "interrupted")
    assert swept == {"runs": 1}
    assert AssessmentRun.objects.get(pk=run.pk).status == RunStatus.INTERRUPTED
    assert not AssessmentResult.objects.filter(run=run).exists()


@pytest.mark.django_db
def test_results_are_checked_against_their_enterprise_and_go_with_their_run():
    from django.db import IntegrityError

    table = AssessmentResult._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table).values()
    # The database checks the enterprise of each result, not its run (the ORM cascades it).
    assert {c["foreign_key"][0] for c in constraints if c["foreign_key"]} == {
        Enterprise._meta.db_table
    }
    ids = _enterprises(12)
    out, rs = _batch(ids, seed=4)
    gone, kept = _run(), _run()
    for run in (gone, kept):
        results_store(out, run=run, held=_held(ids), ruleset=rs)
    gone.delete()
    assert not AssessmentResult.objects.filter(run_id=gone.pk).exists()
    assert AssessmentResult.objects.filter(run=kept).count() == 4 * len(ids)
    connection.check_constraints(table_names=[table])
    with pytest.raises(IntegrityError), transaction.atomic():  # rolled back to here
        AssessmentResult.objects.filter(run=kept, enterprise_id=ids[0]).update(
            enterprise_id=ids[-1] + 1000
        )
        connection.check_constraints(table_names=[table])
