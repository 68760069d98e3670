"""Login lockout per account + IP and per account (GB/T 22239-2019 8.1.4.1 b).

Axes is off in the test settings; these tests switch it on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.utils import timezone

from kechuang.accounts.models import AccountEvent, AccountEventKind
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("axes_on"),
]

PASSWORD = "Right-Password-1"
LOGIN = "/accounts/login/"


@pytest.fixture
def axes_on():
    with override_settings(
        AXES_ENABLED=True,
        AXES_FAILURE_LIMIT=5,
        KECHUANG_LOCKOUT_USERNAME_LIMIT=20,
        AXES_COOLOFF_TIME=timedelta(minutes=30),
    ):
        yield


@pytest.fixture
def staff():
    return make_user(Role.BUREAU_STAFF, username="liming", password=PASSWORD)


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, ip="10.0.0.1"):
    for _ in range(times):
        attempt(client, username, "wrong-password", ip)


def test_fifth_failure_locks_the_account_from_that_ip_with_a_chinese_message(client, staff):
    fail(client, "liming", 4)
    assert attempt(client, "liming", PASSWORD).status_code == 302  # 4 failures: still allowed
    client.logout()
    fail(client, "liming", 5)
    response = attempt(client, "liming", PASSWORD)
    assert response.status_code == 429
    assert not logged_in(client)
    text = response.content.decode()
    assert "锁定" in text and "30" in text and "分钟" in text


def test_lock_does_not_hit_other_accounts_behind_the_same_ip(client, staff):
    other = make_user(Role.BUREAU_STAFF, username="wangfang", password=PASSWORD)
    fail(client, "liming", 12)
    assert attempt(client, other.username, PASSWORD).status_code == 302
    assert logged_in(client)


def test_lock_does_not_hit_the_account_from_another_ip(client, staff):
    fail(client, "liming", 6, ip="10.0.0.1")
    assert attempt(client, "liming", PASSWORD, ip="10.0.0.2").status_code == 302


def test_account_is_locked_from_every_ip_at_the_higher_threshold(client, staff):
    for i in range(5):
        fail(client, "liming", 4, ip=f"10.0.1.{i}")  # 20 failures, never 5 from one IP
    response = attempt(client, "liming", PASSWORD, ip="10.0.2.1")
    assert response.status_code == 429
    assert not logged_in(client)


def test_right_password_during_a_lock_neither_counts_nor_extends_it(client, staff):
    fail(client, "liming", 5)
    before = AccessAttempt.objects.get(username="liming")
    for _ in range(3):
        assert attempt(client, "liming", PASSWORD).status_code == 429
    after = AccessAttempt.objects.get(username="liming")
    assert after.failures_since_start == before.failures_since_start == 5
    assert after.attempt_time == before.attempt_time


def test_right_password_after_the_cool_off_gets_through(client, staff):
    fail(client, "liming", 5)
    assert attempt(client, "liming", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert attempt(client, "liming", PASSWORD).status_code == 302
    assert logged_in(client)


def test_admin_lists_and_releases_a_lock_audited(client, staff):
    fail(client, "liming", 5)
    admin = make_user(Role.BUREAU_ADMIN, username="boss", password=PASSWORD)
    client.force_login(admin)
    page = client.get("/accounts/lockouts/")
    assert page.status_code == 200
    assert "liming" in page.content.decode()
    response = client.post("/accounts/lockouts/release/", {"username": "liming"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="liming").exists()
    event = AccountEvent.objects.get(kind=AccountEventKind.LOCKOUT_RELEASED)
    assert event.actor == admin and event.user == staff
    client.logout()
    assert attempt(client, "liming", PASSWORD).status_code == 302


@pytest.mark.parametrize("role", [Role.BUREAU_STAFF, Role.TOWN_OFFICER, Role.ENTERPRISE])
def test_only_the_admin_sees_and_releases_locks(client, staff, role):
    fail(client, "liming", 5)
    client.force_login(make_user(role))
    assert client.get("/accounts/lockouts/").status_code == 403
    assert client.post("/accounts/lockouts/release/", {"username": "liming"}).status_code == 403
    assert AccessAttempt.objects.filter(username="liming").exists()


def test_anonymous_is_sent_to_login(client):
    response = client.get("/accounts/lockouts/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
