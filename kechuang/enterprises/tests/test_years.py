"""The reporting-year window (KECHUANG_FIRST_YEAR … current year + 1) on every write path, and
the default year of the pages: the latest year with accepted data, never a stray future row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from rest_framework.test import APIClient

from kechuang.core import years
from kechuang.core.roles import Role
from kechuang.enterprises import services
from kechuang.enterprises.models import AnnualFigure
from kechuang.imports.schemas import SCHEMAS

from .factories import make_annual_figure, make_enterprise, make_user

pytestmark = pytest.mark.django_db

NEXT = dt.date.today().year + 1


def req(query=""):
    return RequestFactory().get("/x/" + query)


def test_window_defaults_and_setting():
    assert (years.first_year(), years.last_year()) == (2015, NEXT)
    assert years.in_window(2015) and years.in_window(NEXT)
    assert not years.in_window(2014) and not years.in_window(NEXT + 1)
    with override_settings(KECHUANG_FIRST_YEAR=2019):
        assert not years.in_window(2018)
        with pytest.raises(ValidationError):
            years.validate_year(2018)


def test_api_future_year_is_a_field_error():
    staff = make_user(Role.BUREAU_STAFF)
    client = APIClient()
    client.force_authenticate(staff)
    e = make_enterprise()
    for year in (2099, 2014, 99999):
        response = client.post(
            "/api/v1/enterprises/annual-figures/",
            {"enterprise": e.credit_code, "year": year},
            format="json",
        )
        assert response.status_code == 400, response.content
        assert "year" in response.json()
    assert not AnnualFigure.objects.exists()
    response = client.post(
        "/api/v1/enterprises/qualifications/",
        {
            "enterprise": e.credit_code,
            "kind": "high_tech",
            "year": 2099,
            "issue_date": "2024-01-02",
        },
        format="json",
    )
    assert response.status_code == 400 and "year" in response.json()


def test_services_and_model_refuse_out_of_window_years():
    staff = make_user(Role.BUREAU_STAFF)
    e = make_enterprise()
    with pytest.raises(ValidationError) as exc:
        services.annual_figure_create(user=staff, enterprise=e, year=2099)
    assert "year" in exc.value.message_dict
    figure = AnnualFigure(enterprise=e, year=NEXT + 1)
    with pytest.raises(ValidationError) as exc:
        figure.full_clean()
    assert "year" in exc.value.message_dict


def test_import_year_column_uses_the_window():
    for name in ("annual_figures", "qualifications"):
        column = SCHEMAS[name].column("year")
        assert column.bounds() == (years.first_year(), years.last_year())


def test_default_year_ignores_a_stray_future_row_and_thin_years():
    e1, e2 = make_enterprise(), make_enterprise()
    make_annual_figure(e1, 2023)
    make_annual_figure(e2, 2023)
    make_annual_figure(e1, 2024)
    # a row outside the window (written before the window existed) never becomes the default
    AnnualFigure.objects.bulk_create([AnnualFigure(enterprise=e2, year=2099)])
    assert years.default_year() == 2024
    assert years.default_year(min_count=2) == 2023
    assert years.data_years() == [2023, 2024]


def test_default_year_without_data_is_last_completed_year():
    assert years.default_year() == dt.date.today().year - 1


@pytest.mark.parametrize(
    "query",
    ["?year=2099", "?year=abc", "?year=99999999999999999999", "?year=-1", "?year=٢٠٢٣", "?year="],
)
def test_selected_year_falls_back_to_default_on_bad_input(query):
    make_annual_figure(make_enterprise(), 2023)
    assert years.selected_year(req(query)) == 2023
    assert years.selected_year(req(query), [2022, 2023]) == 2023


def test_selected_year_takes_a_valid_year():
    make_annual_figure(make_enterprise(), 2023)
    assert years.selected_year(req("?year=2020")) == 2020
    assert years.selected_year(req("?year=2020"), [2022, 2023]) == 2023  # not offered
    assert years.selected_year(req("?year=2022"), [2022, 2023]) == 2022


def test_year_choices_cover_the_window():
    choices = years.year_choices()
    assert choices[0] == (NEXT, str(NEXT)) and choices[-1] == (2015, "2015")


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?year=2099",
        "/enterprises/?year=2099",
        "/rnd/?year=abc",
        "/rnd/zero/?year=99999999999999999999",
        "/reports/",
    ],
)
def test_pages_default_to_latest_accepted_year_despite_future_row(client, url):
    e = make_enterprise()
    make_annual_figure(e, 2023, is_above_scale_industrial=True)
    AnnualFigure.objects.bulk_create([AnnualFigure(enterprise=e, year=2099)])
    client.force_login(make_user(Role.BUREAU_STAFF))
    response = client.get(url)
    assert response.status_code == 200
    context_year = response.context.get("year")
    if context_year is not None:
        assert context_year == 2023
    form = response.context.get("form")
    if form is not None and "year" in getattr(form, "fields", {}):
        assert 2099 not in [c[0] for c in form.fields["year"].choices]
