"""Bad input to the expert-pool and notices APIs: field-level 400s, never a server error."""

import pytest
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.notices.tests.factories import make_notice

from .factories import make_expert, make_organisation

pytestmark = pytest.mark.django_db
HUGE = 10**30


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(make_user(Role.BUREAU_STAFF))
    return client


@pytest.mark.parametrize(
    "path, body",
    [
        ("/api/v1/experts/organisations/", {"name": "", "kind": "nope", "enterprise": HUGE}),
        (
            "/api/v1/experts/organisations/",
            {"name": "x" * 500, "kind": "university", "credit_code": "1"},
        ),
        ("/api/v1/experts/experts/", {"name": "甲", "organisation": HUGE, "fields": ["no-such"]}),
        (
            "/api/v1/experts/experts/",
            {"name": "甲", "organisation": "abc", "email": "bad", "phone": "☎"},
        ),
        ("/api/v1/experts/experts/", {"name": "甲", "available_from": "2025-02-30"}),
        ("/api/v1/experts/relationships/", {"expert": HUGE, "kind": "relative"}),
        ("/api/v1/experts/relationships/", {"expert": -1, "kind": "nonsense", "since": "x"}),
    ],
)
def test_bad_writes_are_400(api, path, body):
    response = api.post(path, body, format="json")
    assert response.status_code == 400, response.content


def test_relationship_needs_a_counterpart_and_ordered_dates(api):
    expert = make_expert()
    body = {"expert": expert.pk, "kind": "relative", "since": "2024-01-01", "until": "2023-01-01"}
    response = api.post("/api/v1/experts/relationships/", body, format="json")
    assert response.status_code == 400
    assert {"enterprise", "until"} & set(response.json()) or "non_field_errors" in response.json()
    body = {"expert": expert.pk, "kind": "relative", "organisation": make_organisation().pk}
    assert api.post("/api/v1/experts/relationships/", body, format="json").status_code == 201


@pytest.mark.parametrize(
    "query",
    [
        {"field": "x"},
        {"organisation": str(HUGE)},
        {"availability": "?"},
        {"active": "maybe"},
        {"q": "\x00"},
    ],
)
def test_bad_filters_never_500(api, query):
    assert api.get("/api/v1/experts/experts/", query).status_code in (200, 400)


def test_objection_handling_api(api):
    notice, _objs, _staff = make_notice()
    from kechuang.notices.services import objection_file

    objection = objection_file(
        notice=notice, item=notice.items.first(), name="甲", contact="1", reasons="理由"
    )
    url = f"/api/v1/notices/objections/{objection.pk}/handle/"
    assert api.post(url, {"action": "dismiss"}, format="json").status_code == 400
    assert api.post(url, {"action": "bogus"}, format="json").status_code == 400
    ok = api.post(url, {"action": "dismiss", "reply": "不成立"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "dismissed"
    assert api.get("/api/v1/notices/notices/").status_code == 200
    other = APIClient()
    other.force_authenticate(make_user(Role.ENTERPRISE))
    assert other.get("/api/v1/notices/objections/").status_code == 403
    listing = other.get("/api/v1/notices/notices/").json()
    assert "contact" not in str(listing)
