"""Optional TOTP second factor for bureau staff and admins (GB/T 22239-2019 8.1.4.1 d)."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from kechuang.accounts.models import AccountEvent, AccountEventKind
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "Right-Password-1"


def code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def reset_throttle(device: TOTPDevice) -> None:
    """A wrong code delays the next try (django-otp's throttling); the tests do not wait."""
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    device.refresh_from_db()


def enrol(client) -> TOTPDevice:
    page = client.get("/accounts/two-factor/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "<svg" in text and "http" not in re.sub(
        r'xmlns(:\w+)?="[^"]+"', "", text.split("<svg", 1)[1].split("</svg>", 1)[0]
    )
    device = TOTPDevice.objects.get(confirmed=False)
    wrong = client.post(
        "/accounts/two-factor/", {"token": "000000" if code(device) != "000000" else "111111"}
    )
    assert wrong.status_code == 200 and "invalid-feedback" in wrong.content.decode()
    reset_throttle(device)
    assert client.post("/accounts/two-factor/", {"token": code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


def login(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD})


def test_staff_enrols_and_then_needs_the_code_to_log_in(client):
    staff = make_user(Role.BUREAU_STAFF, username="liming", password=PASSWORD)
    client.force_login(staff)
    device = enrol(client)
    assert AccountEvent.objects.filter(kind=AccountEventKind.OTP_ENROLLED, user=staff).exists()
    client.logout()

    response = login(client, "liming")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session
    assert client.get("/enterprises/").status_code == 302  # not logged in yet
    bad = client.post("/accounts/login/verify/", {"token": "abc"})
    assert bad.status_code == 200 and "_auth_user_id" not in client.session
    reset_throttle(device)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # the enrolment code's step
    ok = client.post("/accounts/login/verify/", {"token": code(device)})
    assert ok.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert client.get("/enterprises/").status_code == 200


def test_verify_step_without_a_password_goes_back_to_login(client):
    response = client.get("/accounts/login/verify/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"


def test_users_without_a_device_log_in_with_the_password_only(client):
    make_user(Role.BUREAU_STAFF, username="liming", password=PASSWORD)
    assert login(client, "liming")["Location"] == "/"
    assert "_auth_user_id" in client.session


@pytest.mark.parametrize("role", [Role.TOWN_OFFICER, Role.ENTERPRISE, Role.LEADER])
def test_set_up_page_is_for_bureau_staff_and_admins(client, role):
    client.force_login(make_user(role))
    assert client.get("/accounts/two-factor/").status_code == 403


@override_settings(KECHUANG_REQUIRE_2FA_FOR_STAFF=True)
def test_required_for_staff_forces_enrolment(client):
    make_user(Role.BUREAU_ADMIN, username="boss", password=PASSWORD)
    login(client, "boss")
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response["Location"] == "/accounts/two-factor/"
    assert "必须" in client.get("/accounts/two-factor/").content.decode()
    enrol(client)
    assert client.get("/enterprises/").status_code == 200


@override_settings(KECHUANG_REQUIRE_2FA_FOR_STAFF=True)
def test_required_for_staff_leaves_other_roles_alone(client):
    make_user(Role.TOWN_OFFICER, username="town1", password=PASSWORD)
    login(client, "town1")
    assert client.get("/enterprises/").status_code == 200


def test_staff_can_turn_it_off_audited(client):
    staff = make_user(Role.BUREAU_STAFF, password=PASSWORD)
    client.force_login(staff)
    enrol(client)
    assert client.post("/accounts/two-factor/remove/").status_code == 302
    assert not TOTPDevice.objects.filter(user=staff).exists()
    assert AccountEvent.objects.filter(kind=AccountEventKind.OTP_REMOVED, user=staff).exists()


def test_admin_site_never_shows_the_secret_key(client):
    staff = make_user(Role.BUREAU_STAFF, password=PASSWORD)
    device = TOTPDevice.objects.create(user=staff, name="app", confirmed=True)
    admin = make_user(Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)
    client.force_login(admin)
    for url in (
        "/admin/otp_totp/totpdevice/",
        f"/admin/otp_totp/totpdevice/{device.pk}/change/",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert device.key not in response.content.decode()
