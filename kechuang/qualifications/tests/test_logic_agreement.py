"""The batch face agrees with the single-enterprise face (thousands of generated enterprises)."""

from __future__ import annotations

import math
import random
from datetime import date
from fractions import Fraction

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


def _growth_case(idx: int, years: tuple[Fraction, Fraction, Fraction]) -> dict:
    """case-17 with three years of sales revenue and net assets (万元) as given."""
    import copy

    case = copy.deepcopy(CASE_17)
    case["id"] = f"growth-{idx}"
    case["expert_inputs"] = {}  # the growth points come from the figures alone

    def text(wan: Fraction) -> str:  # whole fen as a decimal text
        fen = wan * 1_000_000
        assert fen.denominator == 1 and fen > 0
        return f"{fen.numerator // 1_000_000}.{fen.numerator % 1_000_000:06d}"

    for year, value in zip(("2023", "2024", "2025"), years, strict=True):
        figures = case["fiscal_years"][year]
        figures["sales_revenue"] = text(value)
        figures["total_assets"] = text(value * 2)
        figures["total_liabilities"] = text(value)
    return case


def _tie_cases(scale: int) -> list[dict]:
    """Growth of exactly 5 %, 15 %, 25 % and 35 % (each year over the last by the same rate, so
    the growth measure equals it) and one fen either side of each, at sizes where the growth
    products are far beyond 64 bits."""
    cases = []
    one_fen = Fraction(1, 1_000_000)
    for rate in (Fraction(5, 100), Fraction(15, 100), Fraction(25, 100), Fraction(35, 100)):
        base = Fraction(scale)
        years = (base, base * (1 + rate), base * (1 + rate) ** 2)
        if any(y.denominator != 1 and (y * 1_000_000).denominator != 1 for y in years):
            continue  # not a whole number of fen
        for nudge in (-one_fen, Fraction(0), one_fen):
            cases.append(_growth_case(len(cases), (years[0], years[1], years[2] + nudge)))
    return cases


def _near_tie_cases() -> list[dict]:
    """Three years of fen at which a Float64 evaluation of a growth band's test P·a ≥ Q·b
    (a = den, b = den + num) gives the wrong answer: P·a is near 10**32, where a float's
    resolution is about 10**16, and the exact difference is smaller. Also exact ties."""
    cases = []
    x1 = 1_400_000_000_000_000  # 1.4 × 10**15 fen = 1.4 × 10**9 万元
    for rate in (Fraction(5, 100), Fraction(15, 100), Fraction(25, 100), Fraction(35, 100)):
        a, b = rate.denominator, rate.denominator + rate.numerator
        picked: dict[str, int] = {}
        for offset in range(3000):
            x2 = int(x1 * (1 + rate)) + offset
            t = 2 * b * x1 * x2 - a * x2 * x2  # a·(x2² + x1·x3) − 2b·x1·x2 = a·x1·x3 − t
            for x3 in (-(-t // (a * x1)), t // (a * x1)):
                exact = a * x1 * x3 - t
                f1, f2, f3 = float(x1), float(x2), float(x3)
                floating = (f2 * f2 + f1 * f3) * a - (2 * f1 * f2) * b
                kind = "tie" if exact == 0 else f"{exact > 0}-{(floating >= 0) != (exact >= 0)}"
                if kind not in picked:
                    years = tuple(Fraction(v, 1_000_000) for v in (x1, x2, x3))
                    cases.append(_growth_case(len(cases), years))
                    picked[kind] = offset
        assert {"True-True", "False-True"} <= set(picked), picked  # floats err both ways
    return cases


def growth_disagreements(cases: list[dict]) -> list[str]:
    """Where the two faces differ on what growth decides: the innovation score's range, H7
    and the cultivation tier's sales-growth condition K5. (The faces' other figures at these
    sizes run beyond the float precision of `compare`'s gap conversion.)"""
    frame = rows_to_frame([case_to_row(c) for c in cases])
    rows = evaluate_batch(frame, evaluation_date=date(2026, 1, 1)).to_dicts()
    diffs = []
    for case, row in zip(cases, rows, strict=True):
        ht = evaluate_case(case)["tiers"]["high_tech"]
        cult = evaluate_case(case)["tiers"]["cultivation"]
        got = ([row["ht_score_min"], row["ht_score_max"]], row["ht_H7"], row["cult_K5"])
        h7 = next(c["status"] for c in ht["conditions"] if c["id"] == "H7")
        k5 = next(c["status"] for c in cult["conditions"] if c["id"] == "K5")
        if got != (ht["score_range"], h7, k5):
            diffs.append(f"{case['id']}: single={(ht['score_range'], h7, k5)} batch={got}")
    return diffs


@pytest.mark.parametrize("scale", [4_000_000, 400_000_000, 1_500_000_000])
def test_growth_ties_agree_beyond_64_bits_without_int128(scale):
    from kechuang.qualifications.logic.batch import growth_needs_wide
    from kechuang.qualifications.logic.rulesets import get_ruleset

    cases = _tie_cases(scale)
    assert len(cases) >= 9
    frame = rows_to_frame([case_to_row(c) for c in cases])
    # from 400 million 万元 on, the squares of the yearly fen exceed 2**63
    assert not growth_needs_wide(frame, get_ruleset(date(2026, 1, 1)))
    if scale <= 400_000_000:
        diffs = check_agreement(cases)
        assert diffs == [], "\n".join(diffs[:30])
    diffs = growth_disagreements(cases)
    assert diffs == [], "\n".join(diffs[:30])
    bands = {evaluate_case(c)["tiers"]["high_tech"]["score_range"][0] for c in cases}
    assert len(bands) > 2  # the ties and their neighbours fall in different bands


def test_growth_near_ties_below_float_resolution_agree():
    cases = _near_tie_cases()
    diffs = growth_disagreements(cases)
    assert diffs == [], "\n".join(diffs[:30])


def test_growth_inputs_too_large_for_floats_use_int128():
    from kechuang.qualifications.logic.batch import growth_needs_wide
    from kechuang.qualifications.logic.rulesets import get_ruleset

    cases = _tie_cases(400_000_000_000)  # 4 × 10**17 fen
    frame = rows_to_frame([case_to_row(c) for c in cases])
    assert growth_needs_wide(frame, get_ruleset(date(2026, 1, 1)))
    diffs = growth_disagreements(cases)
    assert diffs == [], "\n".join(diffs[:30])


def test_each_rule_set_is_evaluated_with_its_own_rules():
    """The batch reuses its built expressions per rule set; a rule set with another pass
    score (same version string) must get its own, and the first one its own again."""
    import dataclasses

    from kechuang.qualifications.logic import get_ruleset

    rs = get_ruleset(date(2026, 1, 1))
    item = rs["tsn.pass_score"]
    stricter = dataclasses.replace(
        rs, items={**rs.items, "tsn.pass_score": dataclasses.replace(item, value=item.value + 20)}
    )
    r = random.Random(11)
    cases = [mixed_case(r, i) for i in range(400)]
    frame = rows_to_frame([case_to_row(c) for c in cases])

    def c5_passes(ruleset):
        out = evaluate_batch(frame, ruleset=ruleset, evaluation_date=date(2026, 1, 1))
        singles = [evaluate_case(c, ruleset=ruleset) for c in cases]
        diffs = [d for s, row in zip(singles, out.to_dicts(), strict=True) for d in compare(s, row)]
        assert diffs == [], "\n".join(diffs[:10])
        return int((out["tsn_C5"] == "pass").sum())

    before = c5_passes(rs)
    assert before > c5_passes(stricter)
    assert c5_passes(rs) == before


@pytest.mark.parametrize("maxima", [[990, 6, 4, 4], [6, -1, 4, 4]])
def test_batch_refuses_innovation_points_it_cannot_pack(maxima):
    import dataclasses

    import polars as pl

    from kechuang.qualifications.logic import get_ruleset

    rs = get_ruleset(date(2026, 5, 1))
    item = dataclasses.replace(rs["ht.rd_mgmt_maxima"], value=maxima)
    odd = dataclasses.replace(rs, items={**rs.items, "ht.rd_mgmt_maxima": item})
    frame = pl.DataFrame({"id": ["x"]})
    evaluate_batch(frame, evaluation_date=date(2026, 5, 1), ruleset=rs)  # the real rules pack
    with pytest.raises(ValueError, match="innovation score points"):
        evaluate_batch(frame, evaluation_date=date(2026, 5, 1), ruleset=odd)
