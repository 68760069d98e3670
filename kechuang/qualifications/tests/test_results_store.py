"""The column-wise store writes exactly the rows the row-by-row reference builds, atomically."""

from __future__ import annotations

import json
import random
from datetime import date
from decimal import Decimal

import pytest

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
    real = services.results_store

    def failing(out, **kwargs):
        real(out.head(2), **kwargs)  # some rows written, then the writer breaks
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "results_store", failing)
    with pytest.raises(RuntimeError):
        services.assessment_run_create(year=YEAR)
    run = AssessmentRun.objects.get()
    assert calls and run.status == RunStatus.FAILED
    assert not AssessmentResult.objects.exists()
