"""The landing page is the role's workbench; each role's panels; the leader's has no record links."""

from __future__ import annotations

import pytest
from django.test import Client

from kechuang.core.tests.cast import ROLE_NAMES

KINDS = {
    "admin": "staff",
    "staff": "staff",
    "officer": "town",
    "leader": "leader",
    "enterprise": "enterprise",
    "expert": "expert",
    "university": "university",
    "agency": "agency",
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in ROLE_NAMES if r != "anonymous"])
def test_every_role_lands_on_its_workbench(cast, role):
    client = Client()
    client.force_login(cast.users[role])
    response = client.get("/", follow=True)
    assert response.redirect_chain == [("/workbench/", 302)]
    html = response.content.decode()
    if role in KINDS:
        assert f'data-testid="workbench-{KINDS[role]}"' in html
    nav = response.context["nav_items"]
    assert nav[0]["url"] == "/workbench/" and nav[0]["active"]


@pytest.mark.django_db
def test_leader_workbench_has_figures_but_no_links_into_records(cast):
    client = Client()
    client.force_login(cast.users["leader"])
    html = client.get("/workbench/").content.decode()
    assert 'data-testid="targets"' in html and 'data-testid="rankings"' in html
    content = html.split('data-testid="workbench-leader"', 1)[1]
    for prefix in ("/enterprises/", "/campaigns/", "/qualifications/", "/rnd/"):
        assert f'href="{prefix}' not in content


@pytest.mark.django_db
def test_enterprise_sees_its_own_panels_only(cast):
    client = Client()
    client.force_login(cast.users["enterprise"])
    response = client.get("/workbench/")
    own = cast.objects["enterprise"]
    assert response.context["enterprise"] == own
    assert {c["q"].enterprise_id for c in response.context["certificates"]} <= {own.pk}
    assert {d.enterprise_id for d in response.context["demands"]} <= {own.pk}
    assert {d.enterprise_id for d in response.context["delegations"]} <= {own.pk}


@pytest.mark.django_db
def test_staff_sees_recent_changes_across_modules(cast):
    client = Client()
    client.force_login(cast.users["staff"])
    changes = client.get("/workbench/").context["changes"]
    assert changes and len({c["what"] for c in changes}) >= 2
    assert changes == sorted(changes, key=lambda c: c["when"], reverse=True)


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/workbench/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
