"""Playwright in Debian's Chromium: /api/docs/ (Swagger UI) opens for a logged-in user, renders
the operations from /api/schema/, and makes no request to any other host (the assets come from
the vendored sidecar; no CDN favicon, no online validator)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

LOCAL_HOSTS = {"localhost", "127.0.0.1"}


def test_api_docs_load_only_from_this_host(browser_session, live_server, transactional_db):
    user = make_user(Role.BUREAU_STAFF)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value

    requested: list[str] = []
    errors: list[str] = []
    docs = browser_session("api-docs", locale=None)
    docs.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page = docs.page
    page.on("request", lambda r: requested.append(r.url))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = page.goto("/api/docs/")
    assert response.status == 200
    # The operations are rendered from the schema (same host, with the session cookie).
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 20
    page.wait_for_load_state("networkidle")
    docs.shot("api-docs")

    hosts = {
        urlsplit(url).hostname for url in requested if urlsplit(url).scheme in ("http", "https")
    }
    assert hosts and hosts <= LOCAL_HOSTS, sorted(hosts - LOCAL_HOSTS)
    assert any("/api/schema/" in url for url in requested)
    assert not errors, errors


def test_api_docs_send_anonymous_users_to_login(browser_session, live_server, transactional_db):
    page = browser_session("api-docs-anonymous", locale=None).page
    page.goto(f"{live_server.url}/api/docs/")
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize("path", ["/api/schema/", "/api/schema/?format=json"])
def test_schema_refuses_anonymous_users(client, db, path):
    assert client.get(path).status_code in (401, 403)
