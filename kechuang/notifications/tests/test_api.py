"""API: the user's own notifications only; another user's answers 404; mark read."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.notifications import services
from kechuang.notifications.models import Notification

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db
BASE = "/api/v1/notifications/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_scoped_list_detail_and_mark_read(test_kind):
    me, other = make_user(Role.ENTERPRISE), make_user(Role.BUREAU_ADMIN)
    services.notify([me], TEST_KIND, "a", "我的")
    services.notify([other], TEST_KIND, "b", "管理员的")
    mine = Notification.objects.get(recipient=me)
    theirs = Notification.objects.get(recipient=other)
    api = _api(me)
    rows = api.get(BASE).json()
    rows = rows.get("results", rows) if isinstance(rows, dict) else rows
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["kind_label"] == "测试" and rows[0]["is_read"] is False
    assert api.get(f"{BASE}{theirs.pk}/").status_code == 404
    assert api.post(f"{BASE}{theirs.pk}/read/").status_code == 404
    assert api.post(f"{BASE}{'9' * 25}/read/").status_code == 404
    assert _api(other).get(BASE).json() != []  # the admin sees only its own too
    assert api.post(f"{BASE}{mine.pk}/read/").json() == {"marked": 1}
    unread = api.get(BASE + "?state=unread").json()
    assert (unread.get("results", unread) if isinstance(unread, dict) else unread) == []
    assert _api(other).post(f"{BASE}read-all/").json() == {"marked": 1}
    assert APIClient().get(BASE).status_code in (401, 403)
