"""Pages through real URLs: the role matrix, creating a campaign from a saved filter, recording
a visit, agency access to enterprise pages and the enterprise's confirmation of R&D figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.campaigns import services
from kechuang.campaigns.models import Campaign, Delegation, RDSubmission, VisitTask

from .factories import YEAR, make_delegation, make_world

pytestmark = pytest.mark.django_db
DUE = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture
def w():
    return make_world()


@pytest.fixture
def campaign(w):
    return services.campaign_create(
        user=w.staff, name="零申报走访", kind="zero_declaration", due_date=DUE,
        target_spec={"kind": "zero_rd", "year": YEAR},
    )  # fmt: skip


def _as(client, user):
    client.force_login(user)
    return client


PAGES = ["campaigns:campaign_list", "campaigns:task_list", "campaigns:coverage",
         "campaigns:agency_list", "campaigns:delegation_list", "campaigns:submission_list"]  # fmt: skip
# username → expected status per page (302 = redirected to the page the role uses instead)
MATRIX = {
    "staffer": [200, 200, 200, 200, 200, 200],
    "officer_a": [200, 200, 200, 403, 403, 403],
    "boss": [302, 403, 200, 403, 403, 403],
    "agent": [200, 200, 403, 200, 200, 200],
    "ent_a1": [302, 403, 403, 200, 200, 200],
}


@pytest.mark.parametrize("username", list(MATRIX))
def test_role_matrix(client, w, campaign, username):
    from django.contrib.auth import get_user_model

    _as(client, get_user_model().objects.get(username=username))
    got = [client.get(reverse(name)).status_code for name in PAGES]
    assert got == MATRIX[username]


def test_anonymous_is_sent_to_login(client, w):
    response = client.get(reverse("campaigns:campaign_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_create_from_filter_in_one_step(client, w):
    _as(client, w.staff)
    response = client.post(
        reverse("campaigns:campaign_create_from_filter"),
        {"kind": "zero_rd", "year": str(YEAR), "contradiction_only": "true"},
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.kind == "zero_declaration" and campaign.target_spec["contradiction_only"]
    assert campaign.tasks.count() == 2
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200 and "企业A1" in page.content.decode()


def test_create_from_filter_rejects_bad_specs_and_non_staff(client, w):
    _as(client, w.staff)
    response = client.post(reverse("campaigns:campaign_create_from_filter"), {"kind": "x"})
    assert response.status_code == 400 and not Campaign.objects.exists()
    _as(client, w.officer_a)
    response = client.post(
        reverse("campaigns:campaign_create_from_filter"), {"kind": "zero_rd", "year": YEAR}
    )
    assert response.status_code == 403


def test_campaign_form_creates_campaign(client, w):
    _as(client, w.staff)
    response = client.post(reverse("campaigns:campaign_create"), {
        "name": "诊断全覆盖", "kind": "diagnosis", "target_kind": "above_scale", "year": YEAR,
        "due_date": DUE.isoformat(), "town": w.town_a.pk,
    })  # fmt: skip
    assert response.status_code == 302
    assert Campaign.objects.get().tasks.count() == 2
    bad = client.post(reverse("campaigns:campaign_create"), {"name": "", "year": "x"})
    assert bad.status_code == 200 and "is-invalid" in bad.content.decode()


def test_town_officer_records_a_visit_but_not_on_other_towns(client, w, campaign):
    mine = campaign.tasks.get(enterprise=w.a1)
    other = campaign.tasks.get(enterprise=w.b1)
    _as(client, w.officer_a)
    assert client.get(reverse("campaigns:task_detail", args=[other.pk])).status_code == 404
    listed = client.get(reverse("campaigns:task_list")).content.decode()
    assert "企业A1" in listed and "企业B1" not in listed
    response = client.post(reverse("campaigns:task_visit", args=[mine.pk]), {
        "visit_date": dt.date.today().isoformat(), "people_met": "王总", "findings": "未归集",
        "outcome": "follow_up",
    })  # fmt: skip
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == "follow_up"
    assert client.post(reverse("campaigns:task_visit", args=[other.pk]), {}).status_code == 404
    bad = client.post(reverse("campaigns:task_visit", args=[mine.pk]), {"visit_date": "soon"})
    assert bad.status_code == 400


def test_transition_and_reassign_views(client, w, campaign):
    task = campaign.tasks.get(enterprise=w.c1)
    _as(client, w.staff)
    client.post(reverse("campaigns:task_reassign", args=[task.pk]), {"assignee": w.officer_a.pk})
    task.refresh_from_db()
    assert task.assignee == w.officer_a
    _as(client, w.officer_a)
    assert client.post(reverse("campaigns:task_reassign", args=[task.pk]), {}).status_code == 403
    client.post(reverse("campaigns:task_transition", args=[task.pk]), {"to_state": "visited"})
    task.refresh_from_db()
    assert task.state == "visited"


def test_same_month_tasks_are_shown_together(client, w, campaign):
    services.campaign_create(user=w.staff, name="诊断", kind="diagnosis", due_date=DUE,
                             target_spec={"kind": "above_scale", "year": YEAR})  # fmt: skip
    task = campaign.tasks.get(enterprise=w.a1)
    _as(client, w.officer_a)
    page = client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()
    assert 'data-testid="task-group"' in page and "诊断" in page
    listed = client.get(reverse("campaigns:task_list")).content.decode()
    assert listed.count("bg-purple-lt") == 2  # both tasks of A1 carry the same-month badge


def test_agency_sees_only_delegating_enterprises_everywhere(client, w):
    delegation = make_delegation(w, w.a1)
    _as(client, w.agency_user)
    assert client.get(reverse("enterprises:enterprise_list")).status_code == 403
    assert client.get(w.a1.get_absolute_url()).status_code == 200
    assert client.get(w.b1.get_absolute_url()).status_code == 404
    api = client.get("/api/v1/enterprises/enterprises/").json()
    assert [r["id"] for r in api["results"]] == [w.a1.pk]
    assert client.get(f"/api/v1/enterprises/enterprises/{w.b1.pk}/").status_code == 404
    # The enterprise ends the delegation: the very next request is refused.
    _as(client, w.enterprise_user)
    client.post(reverse("campaigns:delegation_end", args=[delegation.pk]))
    assert Delegation.objects.get().status == "ended"
    _as(client, w.agency_user)
    assert client.get(w.a1.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/enterprises/enterprises/").json()["results"] == []
    assert client.get(reverse("campaigns:submission_create", args=[w.a1.pk])).status_code == 404


def test_enterprise_delegates_and_confirms_agency_figures(client, w):
    _as(client, w.enterprise_user)
    today = dt.date.today()
    response = client.post(reverse("campaigns:delegation_list"), {
        "agency": w.agency.pk, "start_date": today.isoformat(),
        "end_date": (today + dt.timedelta(days=60)).isoformat(),
    })  # fmt: skip
    assert response.status_code == 302 and Delegation.objects.get().enterprise == w.a1
    _as(client, w.agency_user)
    response = client.post(reverse("campaigns:submission_create", args=[w.a1.pk]), {
        "year": YEAR, "rd_hnte_personnel": "80000", "rd_hnte_design": "20000",
    })  # fmt: skip
    assert response.status_code == 302
    submission = RDSubmission.objects.get()
    _as(client, w.enterprise_user)
    client.post(reverse("campaigns:submission_decide", args=[submission.pk, "confirm"]))
    assert w.a1.annual_figures.get(year=YEAR).rd_hnte_total == 100000
    assert RDSubmission.objects.get().status == "confirmed"


def test_leader_reads_coverage_only(client, w, campaign):
    task = VisitTask.objects.first()
    _as(client, w.leader)
    page = client.get(reverse("campaigns:coverage"))
    assert page.status_code == 200 and 'data-testid="coverage-town"' in page.content.decode()
    assert client.get(reverse("campaigns:task_detail", args=[task.pk])).status_code == 403
    assert client.get(campaign.get_absolute_url()).status_code == 403
