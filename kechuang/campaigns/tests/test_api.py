"""/api/v1/campaigns/: scoped lists, writes through the services, field-level 400s (never 500)."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from kechuang.campaigns import services
from kechuang.campaigns.models import Campaign

from .factories import YEAR, make_delegation, make_world

pytestmark = pytest.mark.django_db
BASE = "/api/v1/campaigns/"
DUE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


@pytest.fixture
def w():
    return make_world()


@pytest.fixture
def campaign(w):
    return services.campaign_create(
        user=w.staff, name="零申报走访", kind="zero_declaration", due_date=dt.date.fromisoformat(DUE),
        target_spec={"kind": "zero_rd", "year": YEAR},
    )  # fmt: skip


def _api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def test_staff_creates_a_campaign(w):
    response = _api(w.staff).post(BASE + "campaigns/", {
        "name": "诊断", "kind": "diagnosis", "due_date": DUE,
        "target_spec": {"kind": "above_scale", "year": YEAR},
    }, format="json")  # fmt: skip
    assert response.status_code == 201, response.content
    assert response.json()["n_tasks"] == 5


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"kind": "diagnosis", "due_date": DUE, "target_spec": {"kind": "above_scale", "year": YEAR}}, "name"),
        ({"name": "x", "kind": "bogus", "due_date": DUE, "target_spec": {}}, "kind"),
        ({"name": "x", "kind": "diagnosis", "due_date": "tomorrow", "target_spec": {}}, "due_date"),
        ({"name": "x", "kind": "diagnosis", "due_date": DUE, "target_spec": [1]}, "target_spec"),
        ({"name": "x", "kind": "diagnosis", "due_date": DUE, "target_spec": {"kind": "zero_rd"}}, "target_spec"),
        ({"name": "x", "kind": "diagnosis", "due_date": DUE, "target_spec": {"kind": "zero_rd", "year": "abc"}}, "target_spec"),
    ],
)  # fmt: skip
def test_bad_campaign_input_is_a_field_level_400(w, payload, field):
    response = _api(w.staff).post(BASE + "campaigns/", payload, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Campaign.objects.exists()


def test_only_staff_create(w):
    payload = {"name": "x", "kind": "diagnosis", "due_date": DUE,
               "target_spec": {"kind": "above_scale", "year": YEAR}}  # fmt: skip
    assert _api(w.officer_a).post(BASE + "campaigns/", payload, format="json").status_code == 403
    assert _api().post(BASE + "campaigns/", payload, format="json").status_code in (401, 403)


def test_tasks_are_scoped(w, campaign):
    ids = lambda user: {t["enterprise"] for t in _api(user).get(BASE + "tasks/").json()["results"]}  # noqa: E731
    assert ids(w.staff) == {w.a1.pk, w.b1.pk, w.b2.pk, w.c1.pk}
    assert ids(w.officer_a) == {w.a1.pk}
    assert ids(w.leader) == set() and ids(w.agency_user) == set()
    other = campaign.tasks.get(enterprise=w.b1)
    assert _api(w.officer_a).get(f"{BASE}tasks/{other.pk}/").status_code == 404
    unassigned = _api(w.staff).get(BASE + "tasks/", {"unassigned": "true"}).json()["results"]
    assert [t["enterprise"] for t in unassigned] == [w.c1.pk]


def test_transition_and_visit_record_through_the_api(w, campaign):
    task = campaign.tasks.get(enterprise=w.a1)
    api = _api(w.officer_a)
    bad = api.post(f"{BASE}tasks/{task.pk}/transition/", {"to_state": "closed"}, format="json")
    assert bad.status_code == 403  # closing an unvisited task is the bureau's call
    bad = api.post(f"{BASE}tasks/{task.pk}/transition/", {"to_state": "nope"}, format="json")
    assert bad.status_code == 400 and "to_state" in bad.json()
    record = api.post(BASE + "visit-records/", {
        "task": task.pk, "visit_date": dt.date.today().isoformat(), "people_met": "王总",
        "findings": "研发费用未归集", "outcome": "closed",
    }, format="json")  # fmt: skip
    assert record.status_code == 201, record.content
    assert api.get(f"{BASE}tasks/{task.pk}/").json()["state"] == "closed"
    again = api.post(BASE + "visit-records/", {
        "task": task.pk, "visit_date": dt.date.today().isoformat(), "people_met": "王总",
        "findings": "再访",
    }, format="json")  # fmt: skip
    assert again.status_code == 400 and "outcome" in again.json()
    missing = api.post(BASE + "visit-records/", {"task": 999999, "visit_date": "x"}, format="json")
    assert missing.status_code == 400 and "visit_date" in missing.json()
    assert len(api.get(BASE + "visit-records/").json()["results"]) == 1
    assert _api(w.officer_b).get(BASE + "visit-records/").json()["results"] == []


def test_reassign_through_the_api(w, campaign):
    task = campaign.tasks.get(enterprise=w.c1)
    url = f"{BASE}tasks/{task.pk}/reassign/"
    bad = _api(w.staff).post(url, {"assignee": w.agency_user.pk}, format="json")
    assert bad.status_code == 400 and "assignee" in bad.json()
    make_delegation(w, w.c1)
    ok = _api(w.staff).post(url, {"assignee": w.agency_user.pk}, format="json")
    assert ok.status_code == 200 and ok.json()["assignee"] == w.agency_user.pk
    assert _api(w.officer_a).post(url, {"assignee": None}, format="json").status_code == 404
    tasks = _api(w.agency_user).get(BASE + "tasks/").json()["results"]
    assert [t["enterprise"] for t in tasks] == [w.c1.pk]
