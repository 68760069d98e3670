"""Certificate validity (docs/qualification-rules.md#certificate-validity) and tech-SME
registration per year (docs/qualification-rules.md#registration-per-year)."""

from __future__ import annotations

from datetime import date

import pytest

from kechuang.qualifications.logic.certificates import (
    Certificate,
    TechSmeRegistration,
    add_years,
    expiring_within,
    new_and_re_recognised,
    recognition_kind,
    renewal_deadline,
    stock,
    tech_sme_count_for_year,
    valid_on,
)

C = Certificate(kind="high_tech", issue_date=date(2022, 12, 14))


@pytest.mark.parametrize(
    ("t", "ok"),
    [
        (date(2022, 12, 13), False),
        (date(2022, 12, 14), True),
        (date(2025, 12, 13), True),
        (date(2025, 12, 14), False),
        (date(2025, 12, 31), False),
    ],
)
def test_valid_on_boundaries(t, ok):
    assert valid_on(C, t) is ok


def test_revoked_on_or_before():
    c = Certificate(kind="high_tech", issue_date=date(2022, 12, 14), revoked_date=date(2024, 3, 1))
    assert valid_on(c, date(2024, 2, 29))
    assert not valid_on(c, date(2024, 3, 1))


def test_leap_day_issue():
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("t", "months", "ok"),
    [
        (date(2025, 6, 14), 6, True),
        (date(2025, 6, 13), 6, False),
        (date(2025, 12, 13), 1, True),
        (date(2025, 12, 14), 6, False),
    ],
)
def test_expiring_within(t, months, ok):
    assert expiring_within(C, t, months) is ok


def test_stock_uses_year_end():
    certs = {"A": [C], "B": [Certificate("high_tech", date(2023, 11, 1))]}
    assert stock(certs, 2025) == 1  # A expired 2025-12-14, B valid until 2026-11-01
    assert stock(certs, 2024) == 2


def test_first_time_vs_re_recognised():
    renewed = Certificate("high_tech", date(2025, 12, 1))
    assert recognition_kind([C, renewed], renewed) == "re_recognised"
    fresh = Certificate("high_tech", date(2025, 11, 20))
    assert recognition_kind([fresh], fresh) == "first_time"
    lapsed_then_new = Certificate("high_tech", date(2026, 3, 1))
    assert recognition_kind([C, lapsed_then_new], lapsed_then_new) == "first_time"
    counts = new_and_re_recognised({"A": [C, renewed], "B": [fresh]}, 2025)
    assert counts == {"new": 1, "re_recognised": 1, "issued": 2}


def test_tech_sme_registration_per_evaluation_year():
    regs = {
        "A": [TechSmeRegistration(2024), TechSmeRegistration(2025)],
        "B": [TechSmeRegistration(2024)],
        "C": [TechSmeRegistration(2025, revoked_date=date(2025, 8, 1))],
    }
    assert tech_sme_count_for_year(regs, 2024) == 2
    assert tech_sme_count_for_year(regs, 2025) == 1  # never a multi-year stock; C revoked
    assert tech_sme_count_for_year(regs, 2026) == 0
    assert renewal_deadline(2025) == date(2026, 3, 31)


def test_certificate_in_case_uses_application_date():
    from kechuang.qualifications.logic import evaluate_case

    from .cases import tsme_case

    case = tsme_case(tech=0)
    case["application_date"] = "2025-12-13"
    case["fiscal_years"]["2024"] = case["fiscal_years"].pop("2025")
    case["certificates"] = [{"kind": "high_tech", "issue_date": "2022-12-14"}]
    assert (
        evaluate_case(case)["tiers"]["tech_sme_national"]["route"] == "direct:high_tech_certificate"
    )
    case["application_date"] = "2025-12-14"
    assert evaluate_case(case)["tiers"]["tech_sme_national"]["status"] == "fail"
