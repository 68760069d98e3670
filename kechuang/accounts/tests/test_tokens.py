"""Personal API tokens: hashed, expiring, revocable, shown once (GB/T 22239-2019 8.1.4.1)."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from kechuang.accounts.models import AccountEvent, AccountEventKind, ApiToken
from kechuang.accounts.services import token_create
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

pytestmark = pytest.mark.django_db

API = "/api/v1/enterprises/enterprises/"


def api_client(key: str, keyword: str = "Token") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


def test_drf_authtoken_is_gone():
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    classes = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert "rest_framework.authentication.TokenAuthentication" not in classes


def test_only_a_hash_is_stored_and_the_key_works():
    user = make_user(Role.BUREAU_STAFF)
    token, key = token_create(user=user, name="统计系统")
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert key.startswith(token.prefix) and len(token.prefix) < len(key) // 2
    assert token.expires_at - timezone.now() > timedelta(days=89)
    assert api_client(key).get(API).status_code == 200
    assert api_client(key, "Bearer").get(API).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_wrong_expired_and_revoked_tokens_are_refused():
    user = make_user(Role.BUREAU_STAFF)
    token, key = token_create(user=user, name="a")
    assert api_client(key + "x").get(API).status_code in (401, 403)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_client(key).get(API).status_code in (401, 403)
    token2, key2 = token_create(user=user, name="b")
    ApiToken.objects.filter(pk=token2.pk).update(revoked_at=timezone.now())
    assert api_client(key2).get(API).status_code in (401, 403)


def test_token_page_creates_shows_once_and_revokes(client):
    user = make_user(Role.TOWN_OFFICER)
    client.force_login(user)
    assert client.get("/accounts/tokens/").status_code == 200
    response = client.post("/accounts/tokens/", {"name": "报表工具", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'data-testid="new-token-key">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    listing = client.get("/accounts/tokens/").content.decode()
    assert key not in listing and token.prefix in listing
    assert api_client(key).get("/api/v1/enterprises/enterprises/").status_code == 200
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api_client(key).get(API).status_code in (401, 403)
    kinds = set(AccountEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert kinds == {AccountEventKind.TOKEN_CREATED, AccountEventKind.TOKEN_REVOKED}
    assert token.history.count() == 2


def test_bad_input_gets_field_messages(client):
    client.force_login(make_user(Role.BUREAU_STAFF))
    response = client.post("/accounts/tokens/", {"name": "x" * 500, "days": "99999"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(client):
    owner = make_user(Role.BUREAU_STAFF)
    token, key = token_create(user=owner, name="a")
    client.force_login(make_user(Role.BUREAU_ADMIN))
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert api_client(key).get(API).status_code == 200


def test_admin_site_never_shows_keys_or_hashes(client):
    admin = make_user(Role.BUREAU_ADMIN, is_superuser=True, is_staff=True)
    token, key = token_create(user=admin, name="a")
    client.force_login(admin)
    for url in (
        "/admin/",
        "/admin/accounts/apitoken/",
        f"/admin/accounts/apitoken/{token.pk}/change/",
    ):
        text = client.get(url).content.decode()
        assert key not in text and token.key_hash not in text
