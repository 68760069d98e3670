"""Hand-written bad query strings on every list page and API list: never a server error.

Each case is one page or API list with one hostile parameter (integers beyond the database's
64-bit range, 1e30, NaN, negatives, unicode digits, SQL-ish text, very long strings, impossible
dates, bad page numbers and sort keys). They run as bureau staff and as a town officer, whose
pages scope by town (PostgreSQL raises DataError on an out-of-range integer where SQLite does
not, so the suite is also run with DATABASE_URL pointing at PostgreSQL). A bad value is either
ignored (the page falls back to its default) or refused: a 400 with a field message in the
API, the form's error on the page.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client

from kechuang.campaigns.services import campaign_create
from kechuang.campaigns.tests.factories import make_world
from kechuang.enterprises.models import IntellectualProperty
from kechuang.platforms.models import RDInstitution
from kechuang.qualifications.services import assessment_run_create, ruleset_seed

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # > 2**63 - 1
NEG_HUGE = "-99999999999999999999"
BIGINT_PLUS_ONE = str(2**63)
INT32_PLUS_ONE = str(2**31)
E30 = "1e30"
NAN = "NaN"
INF = "Infinity"
SUPERSCRIPT = "²"  # str.isdigit() is True, int() refuses it
FULLWIDTH = "１２３"  # int() accepts it
RTL = "\u202e7"  # right-to-left override
NUL = "1\x00"  # PostgreSQL refuses NUL in text
SQL = "1' OR '1'='1"
SQL2 = "1; DROP TABLE enterprises_enterprise;--"
LONG = "9" * 5000
LONG_TEXT = "企" * 10000
EMOJI = "💥" * 50

HTML_LISTS = [
    "/",
    "/enterprises/",
    "/enterprises/qualifications/",
    "/institutions/",
    "/imports/",
    "/qualifications/ladder/",
    "/qualifications/reserve/",
    "/qualifications/risks/",
    "/rnd/",
    "/rnd/enterprises/",
    "/rnd/zero/",
    "/campaigns/",
    "/campaigns/tasks/",
    "/campaigns/coverage/",
    "/campaigns/agencies/",
    "/campaigns/delegations/",
    "/campaigns/submissions/",
    "/indicators/",
    "/indicators/catalogue/",
    "/reports/",
]
API_LISTS = [
    "/api/v1/enterprises/enterprises/",
    "/api/v1/enterprises/annual-figures/",
    "/api/v1/enterprises/ip/",
    "/api/v1/enterprises/qualifications/",
    "/api/v1/platforms/institutions/",
    "/api/v1/campaigns/campaigns/",
    "/api/v1/campaigns/tasks/",
    "/api/v1/campaigns/visit-records/",
    "/api/v1/qualifications/results/",
    "/api/v1/rnd/aggregates/",
    "/api/v1/rnd/zero/",
    "/api/v1/indicators/catalogue/",
    "/api/v1/indicators/sets/",
    "/api/v1/indicators/values/",
    "/api/v1/indicators/targets/",
    "/api/v1/indicators/targets/progress/",
    "/api/v1/indicators/rankings/",
]

# (path, query): one hostile parameter (or a few) per case, written by hand.
CASES: list[tuple[str, dict[str, str]]] = [
    # --- the cases of the audit
    ("/rnd/zero/", {"town": HUGE}),
    ("/api/v1/qualifications/results/", {"enterprise": E30}),
    # --- dashboard and year pickers
    ("/dashboard/", {"year": HUGE}),
    ("/dashboard/", {"year": NAN}),
    ("/qualifications/ladder/", {"year": E30}),
    ("/rnd/", {"year": NEG_HUGE, "by": SQL}),
    ("/rnd/", {"o": LONG_TEXT}),
    ("/rnd/", {"by": "town", "o": "-" + EMOJI}),
    ("/indicators/", {"year": FULLWIDTH}),
    ("/indicators/values/export/", {"year": HUGE}),
    ("/indicators/values/export/", {"year": "-1"}),
    ("/reports/", {"new": HUGE}),
    ("/reports/", {"new": SQL}),
    # --- enterprise registry
    ("/enterprises/", {"town": HUGE}),
    ("/enterprises/", {"town": E30}),
    ("/enterprises/", {"town": "-1"}),
    ("/enterprises/", {"year": HUGE}),
    ("/enterprises/", {"year": "0"}),
    ("/enterprises/", {"q": NUL}),
    ("/enterprises/", {"q": SQL2}),
    ("/enterprises/", {"q": LONG_TEXT}),
    ("/enterprises/", {"industry": RTL, "tier": SQL}),
    ("/enterprises/", {"above_scale": NAN, "has_rd": LONG}),
    ("/enterprises/", {"ordering": "password"}),
    ("/enterprises/", {"ordering": "-" + LONG}),
    ("/enterprises/", {"sort": "__class__"}),
    ("/enterprises/", {"page": HUGE}),
    ("/enterprises/", {"page": "0"}),
    ("/enterprises/", {"page": "-1"}),
    ("/enterprises/", {"page": NAN}),
    ("/enterprises/", {"per_page": HUGE}),
    ("/enterprises/", {"export": "xlsx", "town": HUGE}),
    ("/enterprises/", {"export": "xlsx", "export_entity": SQL, "year": HUGE}),
    ("/enterprises/qualifications/", {"valid_on": "0001-01-01"}),
    ("/enterprises/qualifications/", {"valid_on": "9999-12-31"}),
    ("/enterprises/qualifications/", {"valid_on": "2024-02-30"}),
    ("/enterprises/qualifications/", {"valid_on": "10000-01-01"}),
    ("/enterprises/qualifications/", {"year": BIGINT_PLUS_ONE, "town": BIGINT_PLUS_ONE}),
    ("/enterprises/qualifications/", {"credit_code": LONG_TEXT, "batch": NUL}),
    ("/institutions/", {"recognised_by": HUGE}),
    ("/institutions/", {"year_recognised": E30, "town": INT32_PLUS_ONE}),
    ("/institutions/", {"level": SQL, "status": EMOJI}),
    ("/imports/", {"page": HUGE}),
    # --- qualifications
    ("/qualifications/reserve/", {"tier": SQL}),
    ("/qualifications/reserve/", {"town": HUGE, "status": EMOJI}),
    ("/qualifications/reserve/", {"page": E30, "industry": RTL}),
    ("/qualifications/reserve/", {"q": NUL}),
    ("/qualifications/risks/", {"tier": LONG, "page": "-5"}),
    ("/qualifications/risks/", {"year": INF}),
    # --- R&D
    ("/rnd/enterprises/", {"revenue_band": SQL, "town": NEG_HUGE}),
    ("/rnd/enterprises/", {"year": "2024.5", "page": "1e3"}),
    ("/rnd/zero/", {"town": NEG_HUGE}),
    ("/rnd/zero/", {"town": E30}),
    ("/rnd/zero/", {"town": SUPERSCRIPT}),
    ("/rnd/zero/", {"industry": NUL}),
    ("/rnd/zero/", {"industry": LONG_TEXT, "contradiction_only": SQL}),
    ("/rnd/zero/", {"page": HUGE}),
    ("/rnd/zero/", {"export": "xlsx", "town": HUGE}),
    # --- campaigns
    ("/campaigns/", {"year": HUGE, "kind": SQL}),
    ("/campaigns/tasks/", {"campaign": HUGE}),
    ("/campaigns/tasks/", {"town": E30, "state": NUL}),
    ("/campaigns/tasks/", {"overdue": LONG, "mine": NAN, "unassigned": EMOJI}),
    ("/campaigns/tasks/", {"ordering": "assignee__password"}),
    ("/campaigns/tasks/", {"q": NUL}),
    ("/campaigns/coverage/", {"campaign": SUPERSCRIPT}),
    ("/campaigns/coverage/", {"campaign": HUGE, "outcome_year": HUGE}),
    ("/campaigns/coverage/", {"outcome_year": "-1"}),
    ("/campaigns/submissions/", {"page": HUGE}),
    ("/campaigns/delegations/", {"page": SQL}),
    # --- API lists
    ("/api/v1/enterprises/enterprises/", {"town": HUGE}),
    ("/api/v1/enterprises/enterprises/", {"year": E30, "tier": SQL}),
    ("/api/v1/enterprises/enterprises/", {"ordering": "password"}),
    ("/api/v1/enterprises/enterprises/", {"page": HUGE}),
    ("/api/v1/enterprises/enterprises/", {"page": "0"}),
    ("/api/v1/enterprises/enterprises/", {"q": NUL}),
    ("/api/v1/enterprises/annual-figures/", {"year": HUGE, "town": NEG_HUGE}),
    ("/api/v1/enterprises/annual-figures/", {"credit_code": LONG_TEXT}),
    ("/api/v1/enterprises/ip/", {"town": E30, "kind": RTL}),
    ("/api/v1/enterprises/qualifications/", {"valid_on": "0001-01-01"}),
    ("/api/v1/enterprises/qualifications/", {"valid_on": "9999-12-31"}),
    ("/api/v1/enterprises/qualifications/", {"valid_on": "2024-13-01"}),
    ("/api/v1/platforms/institutions/", {"recognised_by": HUGE, "town": HUGE}),
    ("/api/v1/campaigns/campaigns/", {"year": NAN, "kind": EMOJI}),
    ("/api/v1/campaigns/tasks/", {"campaign": HUGE}),
    ("/api/v1/campaigns/tasks/", {"campaign": E30, "town": HUGE}),
    ("/api/v1/campaigns/visit-records/", {"enterprise": HUGE}),
    ("/api/v1/campaigns/visit-records/", {"enterprise": E30, "task": NAN}),
    ("/api/v1/campaigns/visit-records/", {"task": INF}),
    ("/api/v1/campaigns/visit-records/", {"enterprise": "-" + LONG}),
    ("/api/v1/qualifications/results/", {"enterprise": HUGE}),
    ("/api/v1/qualifications/results/", {"enterprise": NAN}),
    ("/api/v1/qualifications/results/", {"enterprise": "-1e30", "year": INF}),
    ("/api/v1/qualifications/results/", {"held": SQL, "tier": NUL}),
    ("/api/v1/rnd/aggregates/", {"year": HUGE}),
    ("/api/v1/rnd/aggregates/", {"year": "2024", "by": NUL}),
    ("/api/v1/rnd/zero/", {"town": HUGE}),
    ("/api/v1/rnd/zero/", {"town": E30}),
    ("/api/v1/rnd/zero/", {"industry": NUL}),
    ("/api/v1/rnd/zero/", {"limit": HUGE, "offset": HUGE}),
    ("/api/v1/rnd/zero/", {"limit": "-1", "offset": NAN}),
    ("/api/v1/indicators/values/", {"year": HUGE}),
    ("/api/v1/indicators/values/", {"indicator__code": NUL, "region__code": LONG_TEXT}),
    ("/api/v1/indicators/targets/", {"year": E30}),
    ("/api/v1/indicators/targets/progress/", {"year": HUGE}),
    ("/api/v1/indicators/rankings/", {"year": HUGE}),
    ("/api/v1/indicators/rankings/", {"year": NEG_HUGE}),
    ("/api/v1/indicators/sets/", {"page": E30}),
]

# Each parameter a page commonly reads, with the worst values for it, on every list.
GENERIC = [
    {"page": HUGE},
    {"year": HUGE},
    {"town": HUGE},
    {"ordering": SQL},
]
CASES += [(path, query) for path in HTML_LISTS + API_LISTS for query in GENERIC]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One small region for the whole module, rolled back at the end (each test runs in a
    savepoint of it, so writes by a request never leak into the next case)."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = make_world()
        ruleset_seed()
        assessment_run_create(year=2023)
        campaign_create(
            user=w.staff,
            name="零申报走访",
            kind="zero_declaration",
            due_date=dt.date(2024, 6, 30),
            target_spec={"kind": "zero_rd", "year": 2023},
        )
        RDInstitution.objects.create(
            enterprise=w.a1,
            level="municipal_enterprise_rd_centre",
            name="研发中心",
            year_recognised=2020,
        )
        IntellectualProperty.objects.create(
            enterprise=w.a1, kind="invention_patent", number="ZL2020X", title="专利"
        )
        yield w
        transaction.set_rollback(True)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_enough_hand_written_cases():
    assert len(CASES) >= 60
    assert {p for p, _ in CASES} >= set(HTML_LISTS) | set(API_LISTS)


@pytest.mark.parametrize("role", ["staff", "officer_a"])
@pytest.mark.parametrize(("path", "query"), CASES, ids=lambda v: str(v)[:60])
def test_bad_input_is_never_a_server_error(world, role, path, query):
    response = _client(getattr(world, role)).get(f"{path}?{urlencode(query)}")
    assert response.status_code < 500, (path, query, response.status_code)
    if path.startswith("/api/") and response.status_code == 400:
        body = response.json()
        assert isinstance(body, dict) and body, body  # a message per field


def test_api_refuses_an_out_of_range_id_with_a_field_message(world):
    response = _client(world.staff).get("/api/v1/qualifications/results/", {"enterprise": E30})
    assert response.status_code == 400
    assert "enterprise" in response.json()


def test_officer_zero_list_ignores_a_huge_town(world):
    response = _client(world.officer_a).get("/rnd/zero/", {"town": HUGE})
    assert response.status_code == 200


def test_html_list_shows_the_form_error(world):
    response = _client(world.staff).get("/enterprises/", {"town": HUGE})
    assert response.status_code == 200
    assert response.context["filter"].errors["town"]


def test_bad_dates_are_refused_in_the_api(world):
    client = _client(world.staff)
    for value in ("0001-01-01", "9999-12-31"):
        response = client.get("/api/v1/enterprises/qualifications/", {"valid_on": value})
        assert response.status_code == 400, value
        assert "valid_on" in response.json()
    ok = client.get("/api/v1/enterprises/qualifications/", {"valid_on": dt.date.today()})
    assert ok.status_code == 200
