"""Playwright in Debian's Chromium: /api/docs/ (Swagger UI) opens for a logged-in user, renders
the operations from /api/schema/, and makes no request to any other host (the assets come from
the vendored sidecar; no CDN favicon, no online validator)."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
TIMEOUT_MS = 30_000


def test_api_docs_load_only_from_this_host(live_server, transactional_db):
    user = make_user(Role.BUREAU_STAFF)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value

    requested: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
        page = context.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )
        response = page.goto("/api/docs/")
        assert response.status == 200
        # The operations are rendered from the schema (same host, with the session cookie).
        page.locator(".opblock").first.wait_for()
        assert page.locator(".opblock").count() > 20
        page.wait_for_load_state("networkidle")
        browser.close()

    hosts = {
        urlsplit(url).hostname for url in requested if urlsplit(url).scheme in ("http", "https")
    }
    assert hosts and hosts <= LOCAL_HOSTS, sorted(hosts - LOCAL_HOSTS)
    assert any("/api/schema/" in url for url in requested)
    assert not errors, errors


def test_api_docs_send_anonymous_users_to_login(live_server, transactional_db):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(f"{live_server.url}/api/docs/")
        assert "/accounts/login/" in page.url
        browser.close()


@pytest.mark.parametrize("path", ["/api/schema/", "/api/schema/?format=json"])
def test_schema_refuses_anonymous_users(client, db, path):
    assert client.get(path).status_code in (401, 403)
