"""API of stored index computations: bureau staff compute, leaders and staff read runs and
scores, other roles are refused; bad input gets field messages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

from .test_index import YEAR, index_set  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/runs/"


def _client(role: Role) -> APIClient:
    client = APIClient()
    client.force_authenticate(make_user(role))
    return client


def test_compute_list_detail_and_scores(index_set):  # noqa: F811
    s, regions = index_set
    staff = _client(Role.BUREAU_STAFF)
    created = staff.post(URL, {"indicator_set": s.code, "year": YEAR}, format="json")
    assert created.status_code == 201, created.content
    run = created.json()
    assert run["indicator_set"] == s.code and run["tree_version"] == 1 and run["units"] == 10
    assert run["methodology"]["normalise"]["method"] == "min_max" and "imputed" in run["stages"]
    leader = _client(Role.LEADER)
    listed = leader.get(URL, {"indicator_set__code": s.code, "year": YEAR}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [run["id"]] and "methodology" not in rows[0]
    scores = leader.get(f"{URL}{run['id']}/scores/").json()
    index = sorted((r for r in scores if r["node"] == "Index"), key=lambda r: r["rank"])
    assert [r["rank"] for r in index] == list(range(1, 11))
    assert {r["node"] for r in scores} == {"Index", "p", "q"}
    assert {r["region"] for r in index} == {r.code for r in regions}
    assert leader.post(URL, {"indicator_set": s.code, "year": YEAR}).status_code == 403
    assert _client(Role.ENTERPRISE).get(URL).status_code == 403
    assert _client(Role.TOWN_OFFICER).get(f"{URL}{run['id']}/scores/").status_code == 403


def test_bad_input_is_a_field_message(index_set):  # noqa: F811
    s, _regions = index_set
    staff = _client(Role.BUREAU_STAFF)
    for body, field in [
        ({"indicator_set": "nope", "year": YEAR}, "indicator_set"),
        ({"indicator_set": s.code, "year": 99999}, "year"),
        ({"indicator_set": s.code, "year": 2000}, "year"),  # no values that year
        ({"indicator_set": s.code}, "year"),
    ]:
        response = staff.post(URL, body, format="json")
        assert response.status_code == 400 and field in response.json(), (body, response.content)
    assert staff.get(f"{URL}999999/scores/").status_code == 404
    assert staff.get(URL, {"year": "1e30"}).status_code == 400
    assert staff.get(URL, {"year": str(2**70)}).status_code == 400
