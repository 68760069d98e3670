"""Enterprise registry and R&D institution API: shapes, filters, validation, no 500s."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from kechuang.accounts.services import token_create
from kechuang.core.roles import Role
from kechuang.enterprises.models import AnnualFigure, Enterprise, Qualification

from .factories import make_annual_figure, make_credit_code, make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db

E = "/api/v1/enterprises/enterprises/"
F = "/api/v1/enterprises/annual-figures/"
IP = "/api/v1/enterprises/ip/"
Q = "/api/v1/enterprises/qualifications/"
INST = "/api/v1/platforms/institutions/"
_n = itertools.count(1)


@pytest.fixture
def staff():
    return make_user(Role.BUREAU_STAFF)


@pytest.fixture
def api(staff):
    client = APIClient()
    client.force_authenticate(staff)
    return client


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# ------------------------------------------------------------------ shapes


def test_token_authentication_works(staff):
    _token, key = token_create(user=staff, name="test")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(E).status_code == 200


def test_figures_show_credit_code_and_money_as_decimal_strings(api):
    e = make_enterprise()
    make_annual_figure(e, 2024, operating_revenue=Decimal("123456789.50"))
    row = api.get(F).json()["results"][0]
    assert row["enterprise"] == e.credit_code
    assert row["enterprise_name"] == e.name
    assert row["operating_revenue"] == "123456789.50"


def test_create_enterprise_and_figure_by_credit_code(api, staff):
    town = make_town()
    code = make_credit_code()
    r = api.post(
        E,
        {
            "credit_code": f" {code.lower()} ",
            "name": "甲",
            "town": town.pk,
            "industry_code": "3411",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["credit_code"] == code
    r = api.post(
        F, {"enterprise": code, "year": 2024, "rd_expense_stat": "2500000.00"}, format="json"
    )
    assert r.status_code == 201, r.json()
    figure = AnnualFigure.objects.get(enterprise__credit_code=code, year=2024)
    assert (figure.source, figure.updated_by, figure.rd_expense_stat) == (
        "form",
        staff,
        Decimal("2500000"),
    )
    assert figure.history.latest().history_user == staff


def test_wrong_check_character_names_expected_character(api):
    good = make_credit_code()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    r = api.post(
        E,
        {"credit_code": bad, "name": "甲", "town": make_town().pk, "industry_code": "3411"},
        format="json",
    )
    assert r.status_code == 400
    assert f"“{good[17]}”" in r.json()["credit_code"][0]
    r = api.post(F, {"enterprise": bad, "year": 2024}, format="json")
    assert r.status_code == 400
    assert f"“{good[17]}”" in r.json()["enterprise"][0]


def test_duplicate_figures_year_is_400(api):
    e = make_enterprise()
    make_annual_figure(e, 2024)
    r = api.post(F, {"enterprise": e.credit_code, "year": 2024}, format="json")
    assert r.status_code == 400


def test_cross_field_check_is_field_level(api):
    e = make_enterprise()
    r = api.post(
        F,
        {
            "enterprise": e.credit_code,
            "year": 2024,
            "employees_year_end": 5,
            "tech_staff_year_end": 9,
        },
        format="json",
    )
    assert r.status_code == 400
    assert "tech_staff_year_end" in r.json()


def test_high_tech_qualification_gets_default_expiry(api):
    e = make_enterprise()
    r = api.post(
        Q,
        {
            "enterprise": e.credit_code,
            "kind": "high_tech",
            "year": 2024,
            "issue_date": "2024-12-20",
        },
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert r.json()["expiry_date"] == "2027-12-19"


def test_partial_update_keeps_other_fields(api):
    f = make_annual_figure(make_enterprise(), 2024, operating_revenue=Decimal("10"))
    r = api.patch(f"{F}{f.pk}/", {"rd_expense_stat": "3.00"}, format="json")
    assert r.status_code == 200, r.json()
    f.refresh_from_db()
    assert (f.operating_revenue, f.rd_expense_stat) == (Decimal("10"), Decimal("3"))


def test_schema_is_served(api):
    assert api.get("/api/schema/").status_code == 200


# ------------------------------------------------------------------ filters


@pytest.fixture
def registry():
    a, b = make_town("甲镇"), make_town("乙镇")
    e1 = make_enterprise(name="宁波精密机械", town=a, industry_code="3411")
    e2 = make_enterprise(name="慈溪电器", town=b, industry_code="3851")
    e3 = make_enterprise(name="软件公司", town=b, industry_code="6511")
    make_annual_figure(e1, 2023, is_above_scale_industrial=True, rd_expense_stat=Decimal("100"))
    make_annual_figure(e1, 2024, is_above_scale_industrial=True, rd_expense_stat=Decimal("0"))
    make_annual_figure(e2, 2024, is_above_scale_industrial=True, rd_expense_stat=Decimal("50"))
    make_annual_figure(e3, 2024, is_above_scale_industrial=False, rd_expense_stat=None)
    Qualification.objects.create(
        enterprise=e1,
        kind="high_tech",
        year=2021,
        issue_date=dt.date(2021, 12, 1),
        expiry_date=dt.date(2024, 11, 30),
    )
    Qualification.objects.create(
        enterprise=e2,
        kind="high_tech",
        year=2023,
        issue_date=dt.date(2023, 12, 1),
        expiry_date=dt.date(2026, 11, 30),
    )
    return {"a": a, "b": b, "e1": e1, "e2": e2, "e3": e3}


def test_enterprise_filters(api, registry):
    r = registry
    e1, e2, e3 = r["e1"].pk, r["e2"].pk, r["e3"].pk
    assert ids(api.get(E, {"q": "慈溪"})) == {e2}
    assert ids(api.get(E, {"q": r["e3"].credit_code[-6:].lower()})) == {e3}
    assert ids(api.get(E, {"town": r["b"].pk})) == {e2, e3}
    assert ids(api.get(E, {"industry": "34"})) == {e1}
    assert ids(api.get(E, {"tier": "high_tech", "year": 2023})) == {e1, e2}
    assert ids(api.get(E, {"tier": "high_tech", "year": 2024})) == {e2}
    assert ids(api.get(E, {"above_scale": "true", "year": 2024})) == {e1, e2}
    assert ids(api.get(E, {"above_scale": "false", "year": 2024})) == {e3}
    assert ids(api.get(E, {"above_scale": "true", "year": 2023})) == {e1}
    assert ids(api.get(E, {"has_rd": "true", "year": 2024})) == {e2}
    assert ids(api.get(E, {"has_rd": "true", "year": 2023})) == {e1}
    assert ids(api.get(E, {"has_rd": "false", "year": 2024})) == {e1, e3}
    # Without a year, the figure filters use the latest year on record (2024).
    assert ids(api.get(E, {"has_rd": "true"})) == {e2}
    assert ids(api.get(E, {"above_scale": "true", "town": r["b"].pk, "year": 2024})) == {e2}


def test_figure_ip_qualification_institution_filters(api, registry):
    r = registry
    rows = api.get(F, {"year": 2024, "has_rd": "true"}).json()["results"]
    assert [row["enterprise"] for row in rows] == [r["e2"].credit_code]
    assert len(api.get(F, {"credit_code": r["e1"].credit_code.lower()}).json()["results"]) == 2
    assert len(api.get(F, {"town": r["b"].pk, "above_scale": "false"}).json()["results"]) == 1
    q = api.get(Q, {"valid_on": "2025-01-01"}).json()["results"]
    assert [row["enterprise"] for row in q] == [r["e2"].credit_code]
    assert len(api.get(Q, {"kind": "high_tech", "year": 2021}).json()["results"]) == 1
    api.post(
        IP,
        {
            "enterprise": r["e1"].credit_code,
            "kind": "utility_model",
            "number": "U1",
            "title": "实用新型",
        },
        format="json",
    )
    assert [row["ip_class"] for row in api.get(IP, {"ip_class": "II"}).json()["results"]] == ["II"]
    assert api.get(IP, {"ip_class": "I"}).json()["results"] == []
    api.post(
        INST,
        {
            "enterprise": r["e2"].credit_code,
            "level": "municipal_enterprise_rd_centre",
            "name": "中心",
            "year_recognised": 2022,
        },
        format="json",
    )
    assert len(api.get(INST, {"year_recognised": 2022, "status": "active"}).json()["results"]) == 1
    assert api.get(INST, {"level": "provincial_institute"}).status_code == 400


def test_enterprise_list_query_count_does_not_grow(api, registry):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert (
                api.get(
                    E, {"tier": "high_tech", "has_rd": "true", "above_scale": "true"}
                ).status_code
                == 200
            )
        return len(ctx.captured_queries)

    count()  # warm up: the user's role and scope are cached on the first request
    before = count()
    for _ in range(5):
        e = make_enterprise()
        make_annual_figure(e, 2024, is_above_scale_industrial=True)
    assert count() == before


def test_figure_list_query_count_does_not_grow(api, registry):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(F).status_code == 200
        return len(ctx.captured_queries)

    count()
    before = count()
    for _ in range(5):
        make_annual_figure(make_enterprise(), 2024)
    assert count() == before


# ------------------------------------------------------------------ garbage never 500s

HUGE = "9" * 40
GARBAGE_VALUES = [
    None,
    "",
    "abc",
    -1,
    "-0.01",
    HUGE,
    10**30,
    1e308,
    "NaN",
    "Infinity",
    [],
    {},
    True,
    "2024-13-45",
    "99999-01-01",
    "\x00",
    "x" * 5000,
    "１２３",
]


def valid_payloads():
    n = next(_n)
    e = make_enterprise()
    return {
        E: {
            "credit_code": make_credit_code(800000 + n),
            "name": "新",
            "town": make_town().pk,
            "industry_code": "3411",
            "registration_date": "2020-01-01",
            "address": "",
            "tags": "",
            "is_resident_enterprise": True,
        },
        F: {
            "enterprise": e.credit_code,
            "year": 2024,
            "is_above_scale_industrial": True,
            "operating_revenue": "1.00",
            "employees_avg": "3.5",
            "employees_year_end": 3,
            "tech_staff_year_end": 1,
            "rd_expense_stat": "1.00",
            "rd_hnte_total": "1.00",
        },
        IP: {
            "enterprise": e.credit_code,
            "kind": "invention_patent",
            "number": f"G{n}",
            "title": "t",
            "application_date": "2020-01-01",
            "grant_date": "2021-01-01",
            "status": "granted",
            "used_in_hnte_application_year": 2022,
        },
        Q: {
            "enterprise": e.credit_code,
            "kind": "high_tech",
            "year": 2024,
            "batch": "1",
            "issue_date": "2024-01-01",
            "expiry_date": "2026-12-31",
            "status": "active",
        },
        INST: {
            "enterprise": e.credit_code,
            "level": "municipal_enterprise_rd_centre",
            "name": "n",
            "year_recognised": 2020,
            "status": "active",
        },
    }


@pytest.mark.parametrize("url", [E, F, IP, Q, INST])
def test_garbage_field_values_never_500(api, url):
    base = valid_payloads()[url]
    ok = api.post(url, base, format="json")
    assert ok.status_code == 201, ok.json()
    detail = f"{url}{ok.json()['id']}/"
    for field in base:
        for value in GARBAGE_VALUES:
            payload = valid_payloads()[url] | {field: value}
            r = api.post(url, payload, format="json")
            assert r.status_code < 500, (field, value, r.content[:300])
            r = api.patch(detail, {field: value}, format="json")
            assert r.status_code < 500, (field, value, r.content[:300])


def test_negative_and_huge_money_are_field_errors(api):
    e = make_enterprise()
    for value, year in (("-1.00", 2020), ("1" + "0" * 17, 2021), ("1.234", 2022), (10**16, 2023)):
        r = api.post(
            F, {"enterprise": e.credit_code, "year": year, "rd_expense_stat": value}, format="json"
        )
        assert r.status_code == 400 and "rd_expense_stat" in r.json(), (value, r.json())


def test_unknown_choices_and_bad_dates_are_field_errors(api):
    e = make_enterprise()
    r = api.post(
        Q,
        {"enterprise": e.credit_code, "kind": "dragon", "year": 2024, "issue_date": "2024-02-30"},
        format="json",
    )
    assert r.status_code == 400
    assert {"kind", "issue_date"} <= set(r.json())
    r = api.post(F, {"enterprise": e.credit_code, "year": 99999}, format="json")
    assert r.status_code == 400 and "year" in r.json()


@pytest.mark.parametrize("body", ["not json", "[1,2]", '{"year": ', "null", "123"])
def test_malformed_bodies_never_500(api, body):
    for url in (E, F, IP, Q, INST):
        r = api.post(url, body, content_type="application/json")
        assert 400 <= r.status_code < 500


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": HUGE},
        {"year": "-5"},
        {"town": "abc"},
        {"town": HUGE},
        {"tier": "nope"},
        {"industry": "zz"},
        {"above_scale": "maybe"},
        {"has_rd": HUGE},
        {"valid_on": "2024-13-45"},
        {"credit_code": "\x00"},
        {"q": "\x00" * 3},
        {"page": "abc"},
        {"page": HUGE},
        {"ordering": "password"},
        {"year_recognised": HUGE},
        {"ip_class": "IX"},
    ],
)
def test_garbage_query_strings_never_500(api, registry, params):
    for url in (E, F, IP, Q, INST):
        r = api.get(url, params)
        assert r.status_code < 500, (url, params, r.content[:300])


def test_garbage_ids_never_500(api):
    for url in (E, F, IP, Q, INST):
        for pk in ("abc", HUGE, "-1", "0"):
            assert api.get(f"{url}{pk}/").status_code == 404
            assert api.patch(f"{url}{pk}/", {}, format="json").status_code == 404


def test_enterprise_count_unchanged_by_rejected_posts(api):
    before = Enterprise.objects.count()
    api.post(E, {"credit_code": "bad"}, format="json")
    assert Enterprise.objects.count() == before
