"""Property tests: monotonicity and gaps (hypothesis)."""

from __future__ import annotations

import copy
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from kechuang.qualifications.logic import evaluate_case

from .cases import CASE_17, tsme_case

ORDER = {"fail": 0, "unknown": 1, "borderline": 1, "pass": 2}

tsme_inputs = st.fixed_dictionaries(
    {
        "employees": st.integers(1, 500),
        "tech_frac": st.fractions(0, 1),
        "sales": st.integers(0, 20000),
        "cost": st.integers(0, 20000),
        "rd": st.integers(0, 3000),
        "class1": st.integers(0, 1),
        "class2": st.integers(0, 6),
    }
)


def _tsme(p, **more):
    tech = int(p["employees"] * p["tech_frac"])
    kw = {k: v for k, v in p.items() if k != "tech_frac"}
    kw.update(more)
    return tsme_case(tech=min(kw.pop("tech", tech), kw["employees"]), **kw)


def _score(case):
    return evaluate_case(case)["tiers"]["tech_sme_national"]["score"]


@settings(max_examples=150, deadline=None)
@given(tsme_inputs, st.integers(1, 500), st.integers(1, 50), st.integers(1, 5))
def test_more_rd_staff_or_ip_never_lowers_tech_sme_score(p, extra_rd, extra_staff, extra_ip):
    base = _score(_tsme(p))
    assert _score(_tsme(p, rd=p["rd"] + extra_rd)) >= base
    assert _score(_tsme(p, class2=p["class2"] + extra_ip)) >= base
    assert _score(_tsme(p, class1=p["class1"] + 1)) >= base
    tech = int(p["employees"] * p["tech_frac"])
    bumped = dict(p, employees=p["employees"] + extra_staff)
    assert _score(_tsme(bumped, tech=tech + extra_staff)) >= base  # hiring S&T staff


def _apply_tsn_gaps(case, gaps):
    y = case["fiscal_years"]["2025"]
    for g in gaps:
        if g["field"] == "tech_staff":
            y["tech_staff"] += g["additional"]
            y["employees_total"] += g["additional"]
        elif g["field"] == "rd_expense_deduction_scope":
            if g["via"] == "rd_to_cost":
                y["total_cost_expense"] = Fraction(str(y["total_cost_expense"])) + Fraction(
                    str(g["additional"])
                )
            y["rd_expense_deduction_scope"] = Fraction(
                str(y["rd_expense_deduction_scope"])
            ) + Fraction(str(g["additional"]))
        elif g["field"] == "ip_class2_count":
            case["ip_assets"] += [{"kind": "utility_model"}] * g["additional"]
        elif g["field"] == "ip_class1_count":
            case["ip_assets"] += [{"kind": "invention_patent"}] * g["additional"]
    return case


@settings(max_examples=200, deadline=None)
@given(tsme_inputs)
def test_tech_sme_gap_once_applied_passes(p):
    case = _tsme(p)
    tsn = evaluate_case(case)["tiers"]["tech_sme_national"]
    if not tsn["gaps"] or tsn["gaps"][0]["field"] is None:
        return
    after = evaluate_case(_apply_tsn_gaps(copy.deepcopy(case), tsn["gaps"]))["tiers"][
        "tech_sme_national"
    ]
    c5 = {c["id"]: c["status"] for c in after["conditions"]}
    assert c5["C5"] == "pass" and c5["C5s"] == "pass"


ht_inputs = st.fixed_dictionaries(
    {
        "rd_scale": st.fractions(0, Fraction(1, 10)),
        "dom_share": st.fractions(0, 1),
        "tech": st.fractions(0, 10),
        "hti_share": st.fractions(0, 1),
        "s3": st.sampled_from([4200, 5000, 5001, 20000, 20001]),
    }
)


def _ht_case(p):
    case = copy.deepcopy(CASE_17)
    fy = case["fiscal_years"]
    fy["2025"]["sales_revenue"] = p["s3"]
    for y in fy.values():
        rd = Fraction(y["sales_revenue"]) * p["rd_scale"]
        y["rd_expense_hnte"] = rd
        y["rd_expense_hnte_domestic"] = rd * p["dom_share"]
    fy["2025"]["tech_staff_avg"] = p["tech"]
    fy["2025"]["hightech_income"] = Fraction(4400) * p["hti_share"]
    return case


@settings(max_examples=200, deadline=None)
@given(ht_inputs)
def test_high_tech_gaps_once_applied_pass(p):
    case = _ht_case(p)
    h = evaluate_case(case)["tiers"]["high_tech"]
    fy = case["fiscal_years"]
    for g in h["gaps"]:
        add = Fraction(str(g["additional"]))
        if g["condition"] == "H5":
            fy["2025"]["rd_expense_hnte"] += add
            fy["2025"]["rd_expense_hnte_domestic"] += add
        elif g["condition"] == "H5b":
            fy["2025"]["rd_expense_hnte"] += add
            fy["2025"]["rd_expense_hnte_domestic"] += add
        elif g["condition"] == "H6":
            fy["2025"]["hightech_income"] += add
            fy["2025"]["total_income"] = Fraction(fy["2025"]["total_income"]) + add
        elif g["condition"] == "H4":
            x = (
                Fraction(1, 10) * Fraction(str(fy["2025"]["employees_avg"])) - p["tech"]
            ) / Fraction(9, 10)
            fy["2025"]["tech_staff_avg"] = p["tech"] + x
            fy["2025"]["employees_avg"] = Fraction(str(fy["2025"]["employees_avg"])) + x
    after = evaluate_case(case)["tiers"]["high_tech"]
    status = {c["id"]: c["status"] for c in after["conditions"]}
    for g in h["gaps"]:
        if g["condition"] in ("H4", "H5", "H6"):
            assert status[g["condition"]] == "pass", (g, status)
    # applying the H5b gap alone also passes H5b
    if any(g["condition"] == "H5b" for g in h["gaps"]) and not any(
        g["condition"] == "H5" for g in h["gaps"]
    ):
        assert status["H5b"] == "pass"


@settings(max_examples=150, deadline=None)
@given(ht_inputs, st.fractions(0, Fraction(1, 20)), st.fractions(0, 5))
def test_more_rd_or_staff_never_lowers_high_tech(p, more_rd, more_staff):
    base = evaluate_case(_ht_case(p))["tiers"]["high_tech"]
    better = _ht_case(dict(p, rd_scale=p["rd_scale"] + more_rd, tech=p["tech"] + more_staff))
    # keep the domestic amount at least as large
    after = evaluate_case(better)["tiers"]["high_tech"]
    s0 = {c["id"]: c["status"] for c in base["conditions"]}
    s1 = {c["id"]: c["status"] for c in after["conditions"]}
    assert ORDER[s1["H4"]] >= ORDER[s0["H4"]]
    assert ORDER[s1["H5"]] >= ORDER[s0["H5"]]
    assert after["score_range"][0] >= base["score_range"][0]
