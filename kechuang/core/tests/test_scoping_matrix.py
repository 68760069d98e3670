"""Role × endpoint × someone else's object: who sees, reads, changes and creates what via the API.

Town A holds enterprise EA, town B enterprise EB; every endpoint has one row of each. The town
officer of A and the enterprise account of EA are the "constrained" users; EB's rows are
"someone else's". Out-of-scope rows must be absent from lists and answer 404 (never 403, which
would reveal they exist); in-scope rows a role may not change answer 403.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises.models import AnnualFigure, IntellectualProperty, Qualification
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_credit_code,
    make_enterprise,
    make_town,
    make_user,
)
from kechuang.platforms.models import RDInstitution

pytestmark = pytest.mark.django_db

BASE = "/api/v1/"
ENDPOINTS = ["enterprises", "annual-figures", "ip", "qualifications", "institutions"]
URLS = {
    "enterprises": "enterprises/enterprises/",
    "annual-figures": "enterprises/annual-figures/",
    "ip": "enterprises/ip/",
    "qualifications": "enterprises/qualifications/",
    "institutions": "platforms/institutions/",
}
PATCHES = {
    "enterprises": {"name": "改名"},
    "annual-figures": {"operating_revenue": "1.00"},
    "ip": {"title": "改名"},
    "qualifications": {"batch": "2024-9"},
    "institutions": {"name": "改名"},
}
ROLES = [
    "admin",
    "staff",
    "officer_a",
    "enterprise_a",
    "leader",
    "expert",
    "university",
    "anonymous",
]
_n = itertools.count(1)


def _rows_for(enterprise):
    """One row per endpoint belonging to `enterprise`."""
    n = next(_n)
    return {
        "enterprises": enterprise,
        "annual-figures": make_annual_figure(enterprise, 2023),
        "ip": IntellectualProperty.objects.create(
            enterprise=enterprise, kind="invention_patent", number=f"ZL{n}", title="专利"
        ),
        "qualifications": Qualification.objects.create(
            enterprise=enterprise, kind="high_tech", year=2023, issue_date=dt.date(2023, 12, 1)
        ),
        "institutions": RDInstitution.objects.create(
            enterprise=enterprise,
            level="municipal_enterprise_rd_centre",
            name="研发中心",
            year_recognised=2020,
        ),
    }


def create_payload(endpoint, enterprise, town):
    n = next(_n)
    code = enterprise.credit_code
    return {
        "enterprises": {
            "credit_code": make_credit_code(900000 + n),
            "name": f"新企业{n}",
            "town": town.pk,
            "industry_code": "3411",
        },
        "annual-figures": {"enterprise": code, "year": 2015 + n % 11, "operating_revenue": "10.00"},
        "ip": {"enterprise": code, "kind": "utility_model", "number": f"NEW{n}", "title": "新"},
        "qualifications": {
            "enterprise": code,
            "kind": "national_tech_sme",
            "year": 2015 + n % 11,
            "issue_date": "2024-05-01",
        },
        "institutions": {
            "enterprise": code,
            "level": "provincial_key_enterprise_research_institute",
            "name": "新院",
            "year_recognised": 2024,
        },
    }[endpoint]


@pytest.fixture
def world():
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    ea, eb = make_enterprise(town=town_a), make_enterprise(town=town_b)
    users = {
        "admin": make_user(Role.BUREAU_ADMIN),
        "staff": make_user(Role.BUREAU_STAFF),
        "officer_a": make_user(Role.TOWN_OFFICER, town=town_a),
        "enterprise_a": make_user(Role.ENTERPRISE, enterprise=ea),
        "leader": make_user(Role.LEADER),
        "expert": make_user(Role.EXPERT),
        "university": make_user(Role.UNIVERSITY),
        "anonymous": None,
    }
    return {
        "town_a": town_a,
        "town_b": town_b,
        "ea": ea,
        "eb": eb,
        "users": users,
        "own": _rows_for(ea),
        "other": _rows_for(eb),
    }


def client_for(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def detail_url(endpoint, obj):
    return f"{BASE}{URLS[endpoint]}{obj.pk}/"


DENIED_ANON = (401, 403)
SEES_ALL = {"admin", "staff"}
SEES_OWN = {"officer_a", "enterprise_a"}


# ------------------------------------------------------------------ list


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_list_hides_other_rows(world, role, endpoint):
    response = client_for(world["users"][role]).get(BASE + URLS[endpoint])
    if role == "anonymous":
        assert response.status_code in DENIED_ANON
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    own, other = world["own"][endpoint].pk, world["other"][endpoint].pk
    if role in SEES_ALL:
        assert {own, other} <= ids
    elif role in SEES_OWN:
        assert ids == {own}
    else:
        assert ids == set()


# ------------------------------------------------------------------ detail


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_detail_of_other_rows_is_404(world, role, endpoint):
    client = client_for(world["users"][role])
    other = client.get(detail_url(endpoint, world["other"][endpoint]))
    own = client.get(detail_url(endpoint, world["own"][endpoint]))
    if role == "anonymous":
        assert other.status_code in DENIED_ANON and own.status_code in DENIED_ANON
    elif role in SEES_ALL:
        assert (other.status_code, own.status_code) == (200, 200)
    elif role in SEES_OWN:
        assert (other.status_code, own.status_code) == (404, 200)
    else:
        assert (other.status_code, own.status_code) == (404, 404)


# ------------------------------------------------------------------ update


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_update_other_rows_is_404_and_own_needs_write_right(world, role, endpoint, method):
    client = client_for(world["users"][role])
    send = getattr(client, method)
    other_obj, own_obj = world["other"][endpoint], world["own"][endpoint]
    model = type(other_obj)
    before = model.objects.get(pk=other_obj.pk).__dict__.copy()

    def body(obj):
        if method == "patch":
            return PATCHES[endpoint]
        # PUT: the object's current representation as staff sees it, plus the change.
        data = client_for(world["users"]["staff"]).get(detail_url(endpoint, obj)).json()
        data.update(PATCHES[endpoint])
        return data

    other = send(detail_url(endpoint, other_obj), body(other_obj), format="json")
    own = send(detail_url(endpoint, own_obj), body(own_obj), format="json")
    if role == "anonymous":
        assert other.status_code in DENIED_ANON and own.status_code in DENIED_ANON
    elif role in SEES_ALL:
        assert (other.status_code, own.status_code) == (200, 200), (other.json(), own.json())
    elif role in SEES_OWN:
        assert (other.status_code, own.status_code) == (404, 403)
    else:
        assert (other.status_code, own.status_code) == (404, 404)
    if role not in SEES_ALL:
        after = model.objects.get(pk=other_obj.pk).__dict__
        changed = {k for k in before if k not in ("_state",) and before[k] != after[k]}
        assert changed == set()


# ------------------------------------------------------------------ create


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_create_needs_write_right(world, role, endpoint):
    client = client_for(world["users"][role])
    model = type(world["own"][endpoint])
    count = model.objects.count()
    # Each role tries to create a row for someone else's enterprise (EB, town B) ...
    response = client.post(
        BASE + URLS[endpoint], create_payload(endpoint, world["eb"], world["town_b"]), format="json"
    )
    if role == "anonymous":
        assert response.status_code in DENIED_ANON
    elif role in SEES_ALL:
        assert response.status_code == 201, response.json()
    else:
        assert response.status_code == 403
    assert model.objects.count() == count + (1 if role in SEES_ALL else 0)


@pytest.mark.parametrize("role", ["officer_a", "leader", "expert", "university"])
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_create_in_own_scope_still_403_without_write_right(world, role, endpoint):
    client = client_for(world["users"][role])
    response = client.post(
        BASE + URLS[endpoint], create_payload(endpoint, world["ea"], world["town_a"]), format="json"
    )
    assert response.status_code == 403


def test_enterprise_user_never_writes_registry_figures(world):
    # An enterprise proposes its figures as a reviewed submission (enterprises tests).
    client = client_for(world["users"]["enterprise_a"])
    url = BASE + URLS["annual-figures"]
    own = client.post(url, {"enterprise": world["ea"].credit_code, "year": 2024}, format="json")
    assert own.status_code == 403
    assert not AnnualFigure.objects.filter(enterprise=world["ea"], year=2024).exists()


def test_enterprise_user_cannot_move_own_figure_to_other_enterprise(world):
    client = client_for(world["users"]["enterprise_a"])
    figure = world["own"]["annual-figures"]
    response = client.patch(
        detail_url("annual-figures", figure), {"enterprise": world["eb"].credit_code}, format="json"
    )
    assert response.status_code == 403
    assert AnnualFigure.objects.get(pk=figure.pk).enterprise == world["ea"]


def test_delete_is_not_offered(world):
    client = client_for(world["users"]["admin"])
    for endpoint in ENDPOINTS:
        response = client.delete(detail_url(endpoint, world["other"][endpoint]))
        assert response.status_code == 405
