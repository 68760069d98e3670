"""What-if panel: every condition with a numeric gap has an input, and moving it re-evaluates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.qualifications.forms import WhatIfForm
from kechuang.qualifications.whatif import GAP_INPUTS

from .builders import YEAR, figures, ip

pytestmark = pytest.mark.django_db

# Every gap field the engine emits (logic/high_tech.py, logic/tech_sme.py); only the wait since
# registration is not a figure.
ENGINE_GAP_FIELDS = {
    "rd_expense_hnte",
    "rd_expense_hnte_domestic",
    "rd_expense_deduction_scope",
    "hightech_income",
    "tech_staff",
    "tech_staff_avg",
    "ip_class1_count",
    "ip_class2_count",
    "ip_class2_unused_count",
    "innovation_score",
}


@pytest.mark.parametrize("field", sorted(ENGINE_GAP_FIELDS))
def test_every_numeric_gap_has_an_input(field):
    assert GAP_INPUTS[field] in WhatIfForm.SLIDERS


@pytest.fixture
def low_income():
    """Meets the high-tech figures except the high-tech income share (40 % < 60 %) and the
    domestic share of R&D (35 of 60 万元 = 58 % < 60 %)."""
    town = make_town("收入镇")
    e = make_enterprise(town=town, name="收入不足公司", registration_date=dt.date(2012, 1, 1))
    for y in (2022, 2023, 2024):
        figures(e, y, hightech_income=Decimal("4080000.00"), rd_hnte_domestic=Decimal("350000.00"))
    ip(e, "invention_patent", 2)
    return {"enterprise": e, "staff": make_user(Role.BUREAU_STAFF)}


def test_high_tech_income_gap_gets_an_input_that_closes_it(client, low_income):
    e = low_income["enterprise"]
    client.force_login(low_income["staff"])
    page = client.get(
        reverse("qualifications:enterprise_assessment", args=[e.pk]), {"year": YEAR}
    ).content.decode()
    assert 'data-testid="cond-high_tech-H6" data-status="fail"' in page
    assert 'data-testid="input-hightech_income"' in page
    assert 'data-testid="gap-hightech_income"' in page
    url = reverse("qualifications:enterprise_whatif", args=[e.pk])
    changed = client.get(
        url, {"year": YEAR, "hightech_income": "800"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="cond-high_tech-H6" data-status="pass"' in changed


def test_domestic_rd_input_moves_only_the_domestic_share(client, low_income):
    e = low_income["enterprise"]
    client.force_login(low_income["staff"])
    url = reverse("qualifications:enterprise_whatif", args=[e.pk])
    base = client.get(url, {"year": YEAR}).content.decode()
    assert 'data-testid="cond-high_tech-H5b" data-status="fail"' in base
    changed = client.get(
        url, {"year": YEAR, "rd_domestic": "60"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'data-testid="cond-high_tech-H5b" data-status="pass"' in changed
    assert 'data-testid="cond-high_tech-H5" data-status="pass"' in changed
