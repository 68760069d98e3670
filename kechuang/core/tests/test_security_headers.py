"""Security headers on every response; nothing confidential is cached."""

from __future__ import annotations

import pytest

from kechuang.enterprises.tests.factories import make_enterprise, make_user

pytestmark = pytest.mark.django_db


def test_confidential_pages_and_exports_are_never_cached(client):
    staff = make_user("bureau_staff")
    make_enterprise()
    client.force_login(staff)
    for url in ["/enterprises/", "/enterprises/?export=xlsx"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_every_response_carries_csp_and_permissions_policy(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "geolocation=()" in response["Permissions-Policy"]
