"""Bad input is a field error, never stored: text lengths, control and bidi characters in names,
implausible dates, money with more decimals than the field keeps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.core.validators import (
    decimal_places_error,
    validate_plain_text,
    validate_plausible_date,
    validate_single_line,
)
from kechuang.enterprises import services
from kechuang.enterprises.forms import AnnualFigureForm, SubmissionReturnForm
from kechuang.enterprises.models import Enterprise, IntellectualProperty, Qualification

from .factories import make_credit_code, make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db

E = "/api/v1/enterprises/enterprises/"
IP = "/api/v1/enterprises/ip/"
Q = "/api/v1/enterprises/qualifications/"
F = "/api/v1/enterprises/annual-figures/"

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(make_user(Role.BUREAU_STAFF))
    return client


@pytest.mark.parametrize("ch", [*BIDI, "\x00", "\x07", "\x1b", "\n", "\u200b", "\ufeff"])
def test_names_reject_control_and_bidi_characters(ch):
    with pytest.raises(ValidationError) as exc:
        validate_single_line(f"宁波{ch}科技有限公司")
    assert "U+" in exc.value.messages[0]


def test_notes_allow_line_breaks_but_not_bidi():
    validate_plain_text("第一行\n第二行\t备注")
    validate_single_line("宁波（慈溪）科技有限公司 No.1")
    with pytest.raises(ValidationError):
        validate_plain_text("备注\u202e")


def test_api_enterprise_name_with_bidi_override_is_refused(api):
    town = make_town()
    response = api.post(
        E,
        {
            "credit_code": make_credit_code(),
            "name": "正常\u202e司公限有",
            "town": town.pk,
            "industry_code": "3411",
        },
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()
    assert not Enterprise.objects.exists()


def test_api_name_too_long_is_refused(api):
    response = api.post(
        E,
        {
            "credit_code": make_credit_code(),
            "name": "长" * 129,
            "town": make_town().pk,
            "industry_code": "3411",
        },
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()


def test_ip_title_with_control_character_is_refused(api):
    e = make_enterprise()
    response = api.post(
        IP,
        {"enterprise": e.credit_code, "kind": "utility_model", "number": "U9", "title": "a\x00b"},
        format="json",
    )
    assert response.status_code == 400 and "title" in response.json()
    assert not IntellectualProperty.objects.exists()


@pytest.mark.parametrize("date", ["0001-01-01", "1949-09-30", "9999-12-31"])
def test_implausible_qualification_and_ip_dates_are_field_errors(api, date):
    e = make_enterprise()
    response = api.post(
        Q,
        {
            "enterprise": e.credit_code,
            "kind": "national_tech_sme",
            "year": 2024,
            "issue_date": date,
        },
        format="json",
    )
    assert response.status_code == 400 and "issue_date" in response.json()
    response = api.post(
        IP,
        {
            "enterprise": e.credit_code,
            "kind": "utility_model",
            "number": f"N{date}",
            "title": "专利",
            "grant_date": date,
        },
        format="json",
    )
    assert response.status_code == 400 and "grant_date" in response.json()
    assert not Qualification.objects.exists() and not IntellectualProperty.objects.exists()


def test_plausible_date_bounds_and_setting(settings):
    validate_plausible_date(dt.date(1949, 10, 1))
    validate_plausible_date(dt.date.today().replace(year=dt.date.today().year + 9))
    with pytest.raises(ValidationError):
        validate_plausible_date(dt.date.today().replace(year=dt.date.today().year + 11))
    settings.KECHUANG_MAX_FUTURE_YEARS = 1
    with pytest.raises(ValidationError):
        validate_plausible_date(dt.date.today().replace(year=dt.date.today().year + 2))


def test_service_refuses_implausible_dates():
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(ValidationError) as exc:
        services.qualification_create(
            user=staff,
            enterprise=make_enterprise(),
            kind="high_tech",
            year=2024,
            issue_date=dt.date(1, 1, 1),
        )
    assert "issue_date" in exc.value.message_dict


def test_money_with_too_many_decimals_is_a_field_error_not_rounded(api):
    e = make_enterprise()
    response = api.post(
        F, {"enterprise": e.credit_code, "year": 2024, "rd_expense_stat": "100.005"}, format="json"
    )
    assert response.status_code == 400 and "rd_expense_stat" in response.json()
    # The form takes 万元: a fraction of a fen is a seventh decimal there.
    form = AnnualFigureForm({"rd_expense_stat": "100.0000005"})
    assert not form.is_valid() and "rd_expense_stat" in form.errors
    staff = make_user(Role.BUREAU_STAFF)
    with pytest.raises(ValidationError) as exc:
        services.annual_figure_create(
            user=staff, enterprise=e, year=2024, rd_expense_stat=Decimal("100.005")
        )
    assert "rd_expense_stat" in exc.value.message_dict


def test_decimal_places_helper():
    assert decimal_places_error("1.25", 2) is None
    assert decimal_places_error(Decimal("100"), 0) is None
    assert decimal_places_error("1.255", 2)
    assert decimal_places_error("abc", 2) is None


def test_reason_text_is_limited():
    form = SubmissionReturnForm({"reason": "理" * 2001})
    assert not form.is_valid() and "reason" in form.errors
    assert SubmissionReturnForm({"reason": "理" * 2000}).is_valid()


def test_every_text_field_has_a_max_length():
    from django.apps import apps
    from django.db import models

    missing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label not in {"imports", "accounts"}
        and model.__module__.startswith("kechuang.")
        for field in model._meta.get_fields()
        if isinstance(field, (models.TextField, models.CharField))
        and not field.max_length
        and field.name != "history_change_reason"  # django-simple-history's own column
    ]
    assert missing == []


def test_indicator_target_year_in_window():
    from kechuang.indicators.models import Target

    field = Target._meta.get_field("year")
    with pytest.raises(ValidationError):
        field.clean(99999, None)
    with pytest.raises(ValidationError):
        field.clean(2099, None)
