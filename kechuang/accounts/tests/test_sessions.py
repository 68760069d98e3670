"""Idle timeout and absolute session lifetime (GB/T 22239-2019 8.1.4.1 b)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from kechuang.accounts import session_policy
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

pytestmark = pytest.mark.django_db


def shift(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.fixture
def staff_client(client):
    client.force_login(make_user(Role.BUREAU_STAFF))
    return client


@override_settings(KECHUANG_SESSION_IDLE_MINUTES=30)
def test_idle_session_ends_with_a_chinese_notice(staff_client):
    assert staff_client.get("/enterprises/").status_code == 200
    shift(staff_client, session_policy.SEEN_AT, 31 * 60)
    response = staff_client.get("/enterprises/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?expired=idle")
    page = staff_client.get(response["Location"])
    assert "30 分钟" in page.content.decode()
    assert "_auth_user_id" not in staff_client.session
    assert staff_client.get("/enterprises/").status_code == 302


@override_settings(KECHUANG_SESSION_IDLE_MINUTES=30)
def test_activity_keeps_the_session(staff_client):
    shift(staff_client, session_policy.SEEN_AT, 29 * 60)
    assert staff_client.get("/enterprises/").status_code == 200
    shift(staff_client, session_policy.SEEN_AT, 29 * 60)
    assert staff_client.get("/enterprises/").status_code == 200


@override_settings(KECHUANG_SESSION_MAX_HOURS=12)
def test_absolute_lifetime(staff_client):
    shift(staff_client, session_policy.AUTH_AT, 12 * 3600 + 60)
    response = staff_client.get("/enterprises/")
    assert response.status_code == 302
    assert "expired=max" in response["Location"]
    page = staff_client.get(response["Location"])
    assert "12 小时" in page.content.decode()


def test_htmx_requests_are_redirected_by_header(staff_client):
    shift(staff_client, session_policy.SEEN_AT, 31 * 60)
    response = staff_client.get("/enterprises/", HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith("/accounts/login/?expired=idle")


def test_api_session_ends_too(staff_client):
    assert staff_client.get("/api/v1/enterprises/enterprises/").status_code == 200
    shift(staff_client, session_policy.SEEN_AT, 31 * 60)
    assert staff_client.get("/api/v1/enterprises/enterprises/").status_code in (401, 403)
