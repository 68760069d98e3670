"""Password rules, change page and expiry (GB/T 22239-2019 8.1.4.1 a)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from kechuang.accounts.models import AccountEvent, AccountEventKind, PasswordHistory
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

pytestmark = pytest.mark.django_db

GOOD = "Xq7!mountain-Lake"


def messages_for(password, user=None) -> list[str]:
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


@pytest.mark.parametrize(
    "password",
    ["staff123", "Short1!", "alllowercaseletters", "abcdefghij12", "Password123"],
)
def test_weak_passwords_are_refused(password):
    assert messages_for(password)


def test_staff123_is_refused_with_a_chinese_message():
    text = " ".join(messages_for("staff123"))
    assert "10" in text and "字符" in text


def test_three_of_four_classes_message_is_chinese():
    assert any("四类字符" in m for m in messages_for("abcdefghij12"))


def test_similar_to_user_name_is_refused():
    user = make_user(Role.BUREAU_STAFF, username="zhangwei2024")
    assert messages_for("Zhangwei2024!", user)


def test_a_strong_password_passes():
    assert messages_for(GOOD) == []


def test_demo_password_passes_the_rules():
    from kechuang.demo.services import DEMO_PASSWORD

    assert messages_for(DEMO_PASSWORD) == []


def test_last_five_passwords_are_not_reused():
    user = make_user(Role.BUREAU_STAFF, password="First-Pass-001")
    for i in range(2, 7):
        user.set_password(f"Next-Pass-00{i}")
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert messages_for("Next-Pass-006", user)  # current
    assert messages_for("Next-Pass-002", user)  # fifth last
    assert messages_for("First-Pass-001", user) == []  # sixth last: allowed again


def test_password_change_page(client):
    user = make_user(Role.BUREAU_STAFF, password="Old-Password-1")
    client.force_login(user)
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    assert "修改密码" in page.content.decode()
    weak = client.post(
        "/accounts/password/",
        {
            "old_password": "Old-Password-1",
            "new_password1": "staff123",
            "new_password2": "staff123",
        },
    )
    assert weak.status_code == 200
    assert "invalid-feedback" in weak.content.decode()
    ok = client.post(
        "/accounts/password/",
        {"old_password": "Old-Password-1", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(GOOD)
    event = AccountEvent.objects.get(kind=AccountEventKind.PASSWORD_CHANGED)
    assert event.user == user and event.actor == user
    # still logged in (session hash updated)
    assert client.get("/accounts/security/").status_code == 200


@override_settings(KECHUANG_PASSWORD_MAX_AGE_DAYS=90)
def test_expired_password_redirects_to_the_change_page(client):
    user = make_user(Role.BUREAU_STAFF, password="Old-Password-1")
    user.set_password("Old-Password-1")
    user.save()
    PasswordHistory.objects.filter(user=user).update(created_at=timezone.now() - timedelta(days=91))
    client.post("/accounts/login/", {"username": user.username, "password": "Old-Password-1"})
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    page = client.get("/accounts/password/")
    assert "已过期" in page.content.decode()
    client.post(
        "/accounts/password/",
        {"old_password": "Old-Password-1", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert client.get("/enterprises/").status_code == 200


@override_settings(KECHUANG_PASSWORD_MAX_AGE_DAYS=90)
def test_accounts_never_changed_expire_from_their_creation(client):
    user = make_user(Role.BUREAU_STAFF, password="Old-Password-1")
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=91))
    client.post("/accounts/login/", {"username": user.username, "password": "Old-Password-1"})
    assert client.get("/enterprises/")["Location"] == "/accounts/password/"


@override_settings(KECHUANG_PASSWORD_MAX_AGE_DAYS=0)
def test_expiry_can_be_switched_off(client):
    user = make_user(Role.BUREAU_STAFF, password="Old-Password-1")
    type(user).objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=900))
    client.post("/accounts/login/", {"username": user.username, "password": "Old-Password-1"})
    assert client.get("/enterprises/").status_code == 200


def test_security_page_in_chinese_and_linked_from_the_header(client):
    admin = make_user(Role.BUREAU_ADMIN)
    client.force_login(admin)
    home = client.get("/enterprises/").content.decode()
    assert 'href="/accounts/security/"' in home
    page = client.get("/accounts/security/").content.decode()
    assert "账户安全" in page and "/accounts/lockouts/" in page
    client.force_login(make_user(Role.TOWN_OFFICER))
    page = client.get("/accounts/security/").content.decode()
    assert "/accounts/lockouts/" not in page and "/accounts/two-factor/" not in page
