"""Pages through real URLs: the role matrix, creating a campaign from a saved filter, recording
a visit, agency access to enterprise pages and the enterprise's confirmation of R&D figures."""

from __future__ import annotations

import datetime as dt
import re

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


def test_create_from_filter_asks_first_and_shows_what_it_will_create(client, w):
    """The list's button opens a confirm step: name, kind, due date and description, and how
    many tasks for which towns and officers; nothing is created until it is confirmed."""
    _as(client, w.staff)
    spec = {"kind": "zero_rd", "year": str(YEAR)}
    response = client.post(reverse("campaigns:campaign_create_from_filter"), spec)
    assert response.status_code == 200 and not Campaign.objects.exists()
    html = response.content.decode()
    for field in ("name", "campaign_kind", "due_date", "description"):
        assert f'name="{field}"' in html, field
    # A1 (甲镇, officer_a), B1 and B2 (乙镇, officer_b), C1 (丙镇, no officer)
    preview = response.context["preview"]
    assert preview["total"] == 4 and preview["unassigned"] == 1
    assert [(r["town"], r["officer"], r["n"]) for r in preview["rows"]] == [
        ("甲镇", "officer_a", 1), ("乙镇", "officer_b", 2), ("丙镇", None, 1),
    ]  # fmt: skip
    assert 'data-testid="preview-total"' in html and "4" in html
    assert "研发费用为零" in html or "zero or empty" in html
    confirm = client.post(reverse("campaigns:campaign_create_from_filter"), {
        **spec, "contradiction_only": "true", "confirm": "1", "name": "矛盾企业走访",
        "campaign_kind": "zero_declaration", "due_date": DUE.isoformat(),
        "description": "先走访高企、科小",
    })  # fmt: skip
    campaign = Campaign.objects.get()
    assert confirm.status_code == 302 and confirm["Location"] == campaign.get_absolute_url()
    assert (campaign.name, campaign.due_date, campaign.description) == (
        "矛盾企业走访", DUE, "先走访高企、科小",
    )  # fmt: skip
    assert campaign.kind == "zero_declaration" and campaign.target_spec["contradiction_only"]
    assert campaign.tasks.count() == 2
    page = client.get(campaign.get_absolute_url())
    assert page.status_code == 200 and "企业A1" in page.content.decode()


def test_confirm_step_keeps_the_filter_and_reports_field_errors(client, w):
    _as(client, w.staff)
    response = client.post(reverse("campaigns:campaign_create_from_filter"), {
        "kind": "zero_rd", "year": str(YEAR), "town": str(w.town_b.pk), "confirm": "1",
        "name": "", "campaign_kind": "nope", "due_date": "2000-01-01",
    })  # fmt: skip
    assert response.status_code == 400 and not Campaign.objects.exists()
    form = response.context["form"]
    assert {"name", "campaign_kind", "due_date"} <= set(form.errors)
    assert response.context["preview"]["total"] == 2  # B1, B2 of 乙镇
    assert f'name="town" value="{w.town_b.pk}"' in response.content.decode()


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
    assert RDSubmission.objects.get().status == "confirmed"
    # The bureau reviews the resulting yearly submission before the registry changes.
    yearly = w.a1.figure_submissions.get(year=YEAR)
    assert yearly.status == "submitted" and yearly.rd_hnte_total == 100000


def test_leader_reads_coverage_only(client, w, campaign):
    task = VisitTask.objects.first()
    _as(client, w.leader)
    page = client.get(reverse("campaigns:coverage"))
    assert page.status_code == 200 and 'data-testid="coverage-town"' in page.content.decode()
    assert client.get(reverse("campaigns:task_detail", args=[task.pk])).status_code == 403
    assert client.get(campaign.get_absolute_url()).status_code == 403


def test_task_page_shows_contact_rd_history_reason_and_diagnosis(client, w, campaign):
    from kechuang.campaigns.models import EnterpriseContact

    task = campaign.tasks.get(enterprise=w.a1)
    _as(client, w.officer_a)
    html = client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()
    history = html.split('data-testid="task-rd-history"', 1)[1].split("</table>", 1)[0]
    assert f">{YEAR + 1}<" in history and f">{YEAR}<" in history  # newest first
    assert history.index(str(YEAR + 1)) < history.index(f">{YEAR}<")
    assert "30.0" in history  # 300 000 yuan = 30.0 万元 in 2024
    reason = html.split('data-testid="task-reason"', 1)[1].split("</div>\n    </div>", 1)[0]
    assert str(YEAR) in reason and not re.search(r"zero_rd|\{", reason)
    assert f'href="{reverse("rnd:diagnosis", args=[w.a1.pk])}"' in html
    response = client.post(reverse("campaigns:task_contact", args=[task.pk]), {
        "person": "王会计", "position": "财务负责人", "phone": "0574-63001234",
    })  # fmt: skip
    assert response.status_code == 302
    contact = EnterpriseContact.objects.get(enterprise=w.a1)
    assert contact.history.get().history_user == w.officer_a
    html = client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()
    shown = html.split('data-testid="task-contact"', 1)[1].split("</dd>", 1)[0]
    assert "王会计" in shown and "0574-63001234" in shown
    bad = client.post(reverse("campaigns:task_contact", args=[task.pk]), {
        "person": "王会计", "phone": "call me maybe",
    })  # fmt: skip
    assert bad.status_code == 400 and "is-invalid" in bad.content.decode()
    other = campaign.tasks.get(enterprise=w.b1)
    assert (
        client.post(reverse("campaigns:task_contact", args=[other.pk]), {"person": "x"}).status_code
        == 404
    )


def test_confirm_step_names_campaigns_already_on_the_same_list(client, w, campaign):
    _as(client, w.staff)
    response = client.post(
        reverse("campaigns:campaign_create_from_filter"), {"kind": "zero_rd", "year": str(YEAR)}
    )
    assert [c.pk for c in response.context["same_list"]] == [campaign.pk]
    assert 'data-testid="same-list"' in response.content.decode()
