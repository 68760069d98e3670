"""The yearly-figures forms take money in 万元 (as every page shows it), store exact yuan,
group the fields by section and check the high-tech R&D categories against their total."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.forms import AnnualFigureForm, FigureSubmissionForm
from kechuang.enterprises.models import AnnualFigure
from kechuang.enterprises.tests.factories import make_annual_figure, make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_amounts_are_entered_in_wan_and_saved_as_exact_yuan():
    staff = make_user(Role.BUREAU_STAFF)
    figure = AnnualFigure(enterprise=make_enterprise(), year=2024)
    form = AnnualFigureForm(
        {"operating_revenue": "1234.5678", "rd_expense_stat": "0.01"}, instance=figure, user=staff
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["operating_revenue"] == Decimal("12345678.00")
    assert form.cleaned_data["rd_expense_stat"] == Decimal("100.00")
    assert "万元" in str(form["operating_revenue"].label) or "10,000" in str(
        form["operating_revenue"].label
    )


def test_stored_yuan_is_shown_in_wan():
    figure = make_annual_figure(make_enterprise(), 2024, operating_revenue=Decimal("55461234.56"))
    form = AnnualFigureForm(instance=figure, user=make_user(Role.BUREAU_STAFF))
    assert str(form["operating_revenue"].value()) == "5546.123456"
    whole = make_annual_figure(make_enterprise(), 2023, operating_revenue=Decimal("50000000"))
    shown = AnnualFigureForm(instance=whole, user=make_user(Role.BUREAU_STAFF, username="s3"))
    assert str(shown["operating_revenue"].value()) == "5000"  # never "5E+3"


def test_more_than_six_decimals_of_wan_is_a_field_error():
    form = AnnualFigureForm(
        {"operating_revenue": "1.0000001"},
        instance=AnnualFigure(enterprise=make_enterprise(), year=2024),
        user=make_user(Role.BUREAU_STAFF),
    )
    assert not form.is_valid() and "operating_revenue" in form.errors


def test_rd_categories_above_their_total_are_a_field_error():
    data = {"rd_hnte_total": "100", "rd_hnte_personnel": "80", "rd_hnte_direct": "30"}
    form = AnnualFigureForm(
        data,
        instance=AnnualFigure(enterprise=make_enterprise(), year=2024),
        user=make_user(Role.BUREAU_STAFF),
    )
    assert not form.is_valid()
    assert "rd_hnte_total" in form.errors
    ok = AnnualFigureForm(
        {**data, "rd_hnte_direct": "20"},
        instance=AnnualFigure(enterprise=make_enterprise(), year=2024),
        user=make_user(Role.BUREAU_STAFF, username="s2"),
    )
    assert ok.is_valid(), ok.errors


def test_sections_group_every_field_once():
    form = AnnualFigureForm(user=make_user(Role.BUREAU_STAFF))
    titles = [str(t) for t, _ in form.sections()]
    assert len(titles) >= 5
    names = [f.name for _, fields in form.sections() for f in fields]
    assert sorted(names) == sorted(form.fields)
    sub = FigureSubmissionForm(user=make_user(Role.ENTERPRISE, username="e1"))
    assert "operating_revenue" in sub.money_fields


def test_staff_form_page_shows_sections_in_chinese(client):
    staff = make_user(Role.BUREAU_STAFF)
    enterprise = make_enterprise()
    client.force_login(staff)
    html = client.get(
        f"/enterprises/{enterprise.pk}/figures/2024/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    for title in ("营业收入", "人员", "研发费用"):
        assert f">{title}</legend>" in html
    assert "万元" in html
