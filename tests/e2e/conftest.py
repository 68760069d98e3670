"""Browser tests: Playwright (sync API) in Debian's Chromium against pytest-django's live server.

One small demo region is built once for the e2e package, through the same import service as
`kechuang demo` (see `demo_region`), and every test reads it. pytest-django's own
`transactional_db` (which `live_server` pulls in) would flush every table after each test and
so delete the region, hence the override below: these tests keep the region, tests that write
(imports) use their own credit codes and compare against the database at the time, and the
tables are flushed once when the package is done.

Every page a test visits is saved as a full-page screenshot under test-artifacts/screens/
(git-ignored), named after the test, for reviewing the pages by eye.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls the tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
N_ENTERPRISES = 400
SCREENS_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screens"
TIMEOUT_MS = 30_000  # generous: a loaded CI machine is slow, tests assert results not time


# ------------------------------------------------------------------ data


@dataclass(frozen=True)
class DemoRegion:
    """What the tests need to know about the demo region (read once, after it is built)."""

    password: str
    town_id: int  # the town officer's town
    town_name: str
    own_enterprise_id: int  # the enterprise user's enterprise (in the officer's town)
    town_enterprise_id: int  # another enterprise of the officer's town
    other_town_enterprise_id: int  # an enterprise of another town
    other_town_id: int


@pytest.fixture(scope="package")
def demo_region(django_db_setup, django_db_blocker, tmp_path_factory) -> DemoRegion:
    """Build the demo region (N_ENTERPRISES enterprises, six years, demo users) in the test
    database, committed, so the live server's threads see it on SQLite and PostgreSQL alike.

    Uploaded workbooks go to a temporary MEDIA_ROOT. The tables are flushed afterwards so later
    tests in the session start from an empty database, as they would without this package.
    """
    from kechuang.demo.services import DEMO_PASSWORD, demo_build
    from kechuang.enterprises.models import Enterprise

    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    media.enable()
    with django_db_blocker.unblock():
        demo_build(n_enterprises=N_ENTERPRISES)
        from django.contrib.auth import get_user_model

        profiles = {
            u.username: u.profile
            for u in get_user_model()
            .objects.select_related("profile")
            .filter(username__in=["town", "enterprise"])
        }
        town = profiles["town"].town
        own = profiles["enterprise"].enterprise_id
        in_town = (
            Enterprise.objects.filter(town=town).exclude(pk=own).order_by("credit_code").first()
        )
        elsewhere = Enterprise.objects.exclude(town=town).order_by("credit_code").first()
        region = DemoRegion(
            password=DEMO_PASSWORD,
            town_id=town.pk,
            town_name=town.name,
            own_enterprise_id=own,
            town_enterprise_id=in_town.pk,
            other_town_enterprise_id=elsewhere.pk,
            other_town_id=elsewhere.town_id,
        )
    yield region
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
    media.disable()


@pytest.fixture
def transactional_db(demo_region, django_db_blocker):
    """Database access for the test and the live server, without pytest-django's flush after
    the test (which would delete the shared demo region; see the module docstring)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def db(transactional_db):
    """The same for a test that asks for `db`: with the live server running, pytest-django
    would otherwise make it transactional and flush the region too."""


# ------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def browser() -> Browser:
    """Debian's Chromium, once per session; the last run's screenshots are cleared first."""
    for old in SCREENS_DIR.glob("*.png"):
        old.unlink()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Session:
    """One logged-in (or anonymous) browser context: visits pages, screenshots each one and
    collects server errors and JavaScript errors, which fail the test at the end."""

    def __init__(self, browser: Browser, base_url: str, name: str):
        self.context = browser.new_context(
            base_url=base_url,
            accept_downloads=True,
            viewport={"width": 1400, "height": 900},
            locale="zh-CN",
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        self.name = name
        self.shots = 0
        self.server_errors: list[str] = []
        self.js_errors: list[str] = []
        self.page.on("response", self._on_response)
        self.page.on("pageerror", lambda exc: self.js_errors.append(f"{self.page.url}: {exc}"))

    def _on_response(self, response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    def shot(self, label: str) -> None:
        """Save a full-page screenshot of the current page."""
        self.shots += 1
        SCREENS_DIR.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-") or "page"
        self.page.screenshot(
            path=SCREENS_DIR / f"{self.name}-{self.shots:02d}-{safe}.png", full_page=True
        )

    def goto(self, path: str, label: str, *, status: int = 200):
        """Open `path`, check the HTTP status of the page and screenshot it."""
        response = self.page.goto(path)
        assert response is not None, path
        assert response.status == status, f"{path}: expected {status}, got {response.status}"
        self.shot(label)
        return response

    def login(self, username: str, password: str) -> None:
        self.goto("/accounts/login/", f"login-{username}")
        form = self.page.get_by_test_id("login-form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(password)
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "/accounts/login/" not in self.page.url, f"login as {username} failed"
        self.shot(f"after-login-{username}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(browser, live_server, demo_region, request):
    """A factory of browser sessions: `open_session("staff")` logs in as the demo user `staff`;
    `open_session(None)` stays anonymous."""
    sessions: list[Session] = []
    test_name = re.sub(r"^test_", "", request.node.name)

    def _open(username: str | None) -> Session:
        session = Session(browser, live_server.url, f"{test_name}-{username or 'anonymous'}")
        sessions.append(session)
        if username:
            session.login(username, demo_region.password)
        return session

    yield _open
    problems = []
    for session in sessions:
        problems += session.server_errors + session.js_errors
        session.close()
    assert not problems, "server or JavaScript errors:\n" + "\n".join(problems)


def number_in(text: str) -> int:
    """The integer shown in `text` (thousands separators and units ignored)."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)
