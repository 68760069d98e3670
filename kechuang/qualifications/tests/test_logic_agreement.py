"""The batch face agrees with the single-enterprise face (thousands of generated enterprises)."""

from __future__ import annotations

import math
import random
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kechuang.qualifications.logic import case_to_row, evaluate_batch, evaluate_case, rows_to_frame
from kechuang.qualifications.logic.batch import (
    CULT_CONDITIONS,
    HT_CONDITIONS,
    TSN_CONDITIONS,
    ZJ_CONDITIONS,
)

from .cases import CASE_17, mixed_case

FEN = 1_000_000


def _gap(tier: dict, cond: str, field: str):
    for g in tier["gaps"]:
        if g["condition"] == cond and g["field"] == field:
            return g["additional"]
    return None


def compare(single: dict, row: dict) -> list[str]:
    """Differences between one single-face result and its batch row."""
    diffs = []

    def eq(name, a, b):
        if a != b:
            diffs.append(f"{single['id']} {name}: single={a!r} batch={b!r}")

    t = single["tiers"]
    tsn = t["tech_sme_national"]
    eq("tsn_status", tsn["status"], row["tsn_status"])
    eq("tsn_route", tsn["route"], row["tsn_route"])
    eq("tsn_score", tsn["score"], row["tsn_score"])
    rng = tsn.get("score_range", [tsn["score"], tsn["score"]])
    eq("tsn_range", rng, [row["tsn_score_min"], row["tsn_score_max"]])
    for k in TSN_CONDITIONS:
        eq(
            f"tsn_{k}",
            next(c["status"] for c in tsn["conditions"] if c["id"] == k),
            row[f"tsn_{k}"],
        )
    unreachable = any(g["field"] is None for g in tsn["gaps"])
    if unreachable:
        eq("tsn_gap_unreachable", None, row["tsn_gap_tech_staff"])
    elif row["tsn_gap_tech_staff"] is not None or tsn["gaps"]:
        eq("tsn_gap_staff", _gap(tsn, "C5", "tech_staff") or 0, row["tsn_gap_tech_staff"])
        rd = _gap(tsn, "C5", "rd_expense_deduction_scope")
        eq("tsn_gap_rd", round((rd or 0) * FEN), row["tsn_gap_rd_fen"])
        eq("tsn_gap_ip2", _gap(tsn, "C5", "ip_class2_count") or 0, row["tsn_gap_ip_class2"])
        eq("tsn_gap_ip1", _gap(tsn, "C5", "ip_class1_count") or 0, row["tsn_gap_ip_class1"])
    ht = t["high_tech"]
    eq("ht_status", ht["status"], row["ht_status"])
    eq("ht_range", ht["score_range"], [row["ht_score_min"], row["ht_score_max"]])
    for k in HT_CONDITIONS:
        eq(f"ht_{k}", next(c["status"] for c in ht["conditions"] if c["id"] == k), row[f"ht_{k}"])
    eq("ht_gap_h1", _gap(ht, "H1", "registration_days"), row["ht_gap_h1_days"])
    for cond, field, col in (
        ("H5", "rd_expense_hnte", "ht_gap_h5_fen"),
        ("H5b", "rd_expense_hnte_domestic", "ht_gap_h5b_fen"),
        ("H6", "hightech_income", "ht_gap_h6_fen"),
    ):
        g = _gap(ht, cond, field)
        eq(col, None if g is None else round(g * FEN), row[col])
    h4 = _gap(ht, "H4", "tech_staff_avg")
    if (h4 is None) != (row["ht_gap_h4_persons"] is None) or (
        h4 is not None and not math.isclose(h4, row["ht_gap_h4_persons"], rel_tol=1e-9)
    ):
        diffs.append(f"{single['id']} ht_gap_h4: {h4} vs {row['ht_gap_h4_persons']}")
    eq("ht_gap_h7", _gap(ht, "H7", "innovation_score"), row["ht_gap_h7_points"])
    zj = t["tech_sme_provincial"]
    eq("zj_status", zj["status"], row["zj_status"])
    for k in ZJ_CONDITIONS:
        eq(f"zj_{k}", next(c["status"] for c in zj["conditions"] if c["id"] == k), row[f"zj_{k}"])
    cu = t["cultivation"]
    eq("cult_status", cu["status"], row["cult_status"])
    for k in CULT_CONDITIONS:
        eq(
            f"cult_{k}",
            next(c["status"] for c in cu["conditions"] if c["id"] == k),
            row[f"cult_{k}"],
        )
    eq("rdi", t["rd_institution"]["status"], row["rdi_status"])
    eq("uni", t["unicorn"]["status"], row["uni_status"])
    return diffs


def check_agreement(cases: list[dict]) -> list[str]:
    singles = [evaluate_case(c) for c in cases]
    frame = rows_to_frame([case_to_row(c) for c in cases])
    rows = evaluate_batch(frame, evaluation_date=date(2026, 1, 1)).to_dicts()
    diffs = []
    for s, r in zip(singles, rows, strict=True):
        diffs += compare(s, r)
    return diffs


def test_case_17_agrees():
    assert check_agreement([CASE_17]) == []


def test_thousands_of_generated_enterprises_agree():
    r = random.Random(20260501)
    cases = [mixed_case(r, i) for i in range(4000)]
    diffs = check_agreement(cases)
    assert diffs == [], "\n".join(diffs[:30])


def test_generator_covers_every_status():
    r = random.Random(7)
    cases = [mixed_case(r, i) for i in range(1500)]
    results = [evaluate_case(c)["tiers"] for c in cases]
    for tier in ("tech_sme_national", "high_tech", "tech_sme_provincial", "cultivation"):
        seen = {res[tier]["status"] for res in results}
        expected = {"pass", "fail", "unknown"} | ({"borderline"} if tier == "high_tech" else set())
        assert expected <= seen, (tier, seen)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=20, max_value=80))
def test_faces_agree_property(seed, n):
    r = random.Random(seed)
    diffs = check_agreement([mixed_case(r, i) for i in range(n)])
    assert diffs == [], "\n".join(diffs[:30])


def test_batch_accepts_missing_columns_as_unknown():
    import polars as pl

    out = evaluate_batch(pl.DataFrame({"id": ["x"]}), evaluation_date=date(2026, 5, 1))
    assert out["tsn_status"][0] == "unknown"
    assert out["ht_status"][0] == "unknown"


def test_case_to_row_rejects_sub_fen_values():
    case = dict(CASE_17)
    case["fiscal_years"] = {"2025": {"sales_revenue": "0.0000001"}}
    with pytest.raises(ValueError):
        case_to_row(case)
