"""Pages: the bell's count, the list (own only, unread/read filter, mark read with htmx), the
settings page (mutes), the rules page (bureau admin only, field errors, history)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.notifications import services
from kechuang.notifications.models import Notification, NotificationRule, UserMute

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pair(test_kind):
    me, other = make_user(Role.ENTERPRISE), make_user(Role.TOWN_OFFICER)
    services.notify([me], TEST_KIND, "mine-1", "我的提醒一", "正文", "/x/")
    services.notify([me], TEST_KIND, "mine-2", "我的提醒二")
    services.notify([other], TEST_KIND, "theirs", "别人的提醒")
    return me, other


def test_bell_and_list_show_only_ones_own(pair):
    me, _other = pair
    page = _client(me).get(reverse("notifications:notification_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="notification-count">2<' in html
    assert "我的提醒一" in html and "我的提醒二" in html
    assert "别人的提醒" not in html


def test_unread_and_read_filters(pair):
    me, _other = pair
    services.mark_read(me, [Notification.objects.get(key=f"{TEST_KIND}:mine-1").pk])
    client = _client(me)
    unread = client.get(reverse("notifications:notification_list") + "?state=unread")
    read = client.get(reverse("notifications:notification_list") + "?state=read")
    assert "我的提醒二" in unread.content.decode() and "我的提醒一" not in unread.content.decode()
    assert "我的提醒一" in read.content.decode() and "我的提醒二" not in read.content.decode()
    bad = client.get(reverse("notifications:notification_list") + "?state=<x>&page=zz")
    assert bad.status_code == 200


def test_mark_read_with_htmx_returns_the_row_and_the_count(pair):
    me, other = pair
    mine = Notification.objects.get(key=f"{TEST_KIND}:mine-1")
    theirs = Notification.objects.get(recipient=other)
    client = _client(me)
    response = client.post(
        reverse("notifications:mark_read"), {"id": mine.pk}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{mine.pk}"' in html and 'hx-swap-oob="true"' in html
    assert 'data-testid="mark-read"' not in html
    client.post(reverse("notifications:mark_read"), {"id": [theirs.pk, "x", "9" * 25]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(
        reverse("notifications:mark_read"), {"all": "1", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse(
        "notifications:notification_list"
    )
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()


def test_settings_mutes_a_kind(pair):
    me, _other = pair
    client = _client(me)
    assert client.get(reverse("notifications:notification_settings")).status_code == 200
    url = reverse("notifications:notification_settings")
    bogus = client.post(url, {"receive": ["bogus"]})
    assert bogus.status_code == 200 and 'data-testid="mute-errors"' in bogus.content.decode()
    response = client.post(url, {})
    assert response.status_code == 302
    assert set(UserMute.objects.filter(user=me).values_list("kind", flat=True)) >= {TEST_KIND}
    assert services.notify([me], TEST_KIND, "after-mute", "t") == 0


def test_rules_page_is_the_bureau_admins(test_kind):
    admin, staff = make_user(Role.BUREAU_ADMIN), make_user(Role.BUREAU_STAFF)
    url = reverse("notifications:rule_list")
    assert _client(staff).get(url).status_code == 403
    client = _client(admin)
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": TEST_KIND, "enabled": "on", "lead": "9999"})
    assert response.status_code == 200
    assert "最多" in response.content.decode() or "at most" in response.content.decode()
    assert client.post(url, {"kind": "nope", "lead": "1"}).status_code == 200
    assert client.post(url, {"kind": TEST_KIND, "lead": "abc"}).status_code == 200
    response = client.post(url, {"kind": TEST_KIND, "lead": "10", "email": "on"})
    assert response.status_code == 302
    rule = NotificationRule.objects.get(kind=TEST_KIND)
    assert (rule.enabled, rule.lead, rule.email) == (False, 10, True)
    page = client.get(url).content.decode()
    assert 'data-testid="rule-history"' in page and admin.username in page
