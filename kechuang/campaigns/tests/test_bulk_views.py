"""The enterprise list's bulk action: visit tasks for the selected enterprises."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.campaigns.models import Campaign, VisitTask
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user

pytestmark = pytest.mark.django_db


def test_selected_enterprises_get_tasks_for_their_town_officer():
    town = make_town()
    officer = make_user(Role.TOWN_OFFICER, town=town)
    staff = make_user(Role.BUREAU_STAFF)
    campaign = Campaign.objects.create(
        name="年末走访",
        year=2025,
        kind="diagnosis",
        due_date=dt.date(2025, 12, 31),
        created_by=staff,
    )
    e1, e2 = make_enterprise(town=town), make_enterprise(town=town)
    VisitTask.objects.create(campaign=campaign, enterprise=e1, due_date=campaign.due_date)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(staff)
    url = reverse("campaigns:tasks_assign")
    page = client.get(url, {"selected": [e1.pk, e2.pk, "x"]})
    assert page.status_code == 200 and page.context["ids"] == sorted([e1.pk, e2.pk])
    assert client.post(url, {"campaign": campaign.pk}).context["form"].non_field_errors()
    response = client.post(url, {"campaign": campaign.pk, "selected": [e1.pk, e2.pk]})
    assert response.status_code == 302
    task = VisitTask.objects.get(campaign=campaign, enterprise=e2)
    assert task.assignee == officer and task.history.first().history_user == staff
    assert VisitTask.objects.filter(campaign=campaign).count() == 2
    # The list offers the action to staff, not to the town officer.
    listing = client.get(reverse("enterprises:enterprise_list"))
    assert "campaigns:tasks_assign" in [
        a.url_name for a in listing.context["list_tools"]["actions"]
    ]
    officer_client = Client()
    officer_client.force_login(officer)
    assert officer_client.get(url).status_code == 403
    listing = officer_client.get(reverse("enterprises:enterprise_list"))
    assert "campaigns:tasks_assign" not in [
        a.url_name for a in listing.context["list_tools"]["actions"]
    ]
