"""The browser fixtures of every browser test (a pytest plugin, registered by the root conftest.py):
Playwright's sync API in Debian's Chromium against pytest-django's live server.

- `browser`: Chromium, launched once per session;
- `browser_session`: a factory of `Session`s (one browser context each, optionally logged in),
  closed after the test, which fails if any page answered 5xx or raised a JavaScript error;
- `Session.shot` saves a full-page screenshot, named after the session, for reviewing the pages
  by eye, when KECHUANG_SHOTS_DIR names a folder (`make screens`: test-artifacts/screens/,
  git-ignored); a regular run takes none (about a quarter of a second each, ~300 of them);
  `Session.login` fills the login form.

The demo region of tests/e2e/ (and its `open_session`, logged in with the demo password) is in
tests/e2e/conftest.py; tests elsewhere build their own data and use `browser_session` directly.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # imported when a browser is launched, so plain test runs do not load it
    from playwright.sync_api import Browser, Page, Response

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS_DIR = (
    Path(os.environ["KECHUANG_SHOTS_DIR"]) if os.environ.get("KECHUANG_SHOTS_DIR") else None
)
TIMEOUT_MS = 30_000  # generous: a loaded CI machine is slow, tests assert results not time
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, once per session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
    # ORM calls the tests make between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Session:
    """One logged-in (or anonymous) browser context: visits pages, screenshots each one and
    collects server errors and JavaScript errors (`problems`)."""

    def __init__(
        self,
        browser: Browser,
        base_url: str,
        name: str,
        *,
        viewport: dict[str, int] | None = None,
        locale: str | None = "zh-CN",
    ):
        options: dict[str, Any] = {
            "base_url": base_url,
            "accept_downloads": True,
            "viewport": viewport or VIEWPORT,
            # Charts drawn at once, not animated for a second (static/js/app.js).
            "reduced_motion": "reduce",
        }
        if locale:
            options["locale"] = locale
        self.context = browser.new_context(**options)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page: Page = self.context.new_page()
        self.name = name
        self.shots = 0
        self.server_errors: list[str] = []
        self.js_errors: list[str] = []
        self.page.on("response", self._on_response)
        self.page.on("pageerror", lambda exc: self.js_errors.append(f"{self.page.url}: {exc}"))

    def _on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.server_errors.append(f"{response.status} {response.request.method} {response.url}")

    @property
    def problems(self) -> list[str]:
        return self.server_errors + self.js_errors

    def shot(self, label: str) -> None:
        """Save a full-page screenshot of the current page (when screenshots are on)."""
        self.shots += 1
        if SCREENS_DIR is None:
            return
        SCREENS_DIR.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label).strip("-") or "page"
        self.page.screenshot(
            path=SCREENS_DIR / f"{self.name}-{self.shots:02d}-{safe}.png", full_page=True
        )

    def goto(self, path: str, label: str, *, status: int = 200) -> Response:
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


OpenSession = Callable[..., Session]


@pytest.fixture
def browser_session(browser: Browser, live_server: Any) -> Iterator[OpenSession]:
    """A factory of browser sessions on the live server: `browser_session("reports-staff",
    "staff", password)` logs in; `browser_session("docs")` stays anonymous. Keyword arguments go
    to `Session` (viewport, locale). After the test every session is closed, and the test fails
    if any page answered 5xx or raised a JavaScript error."""
    sessions: list[Session] = []

    def _open(
        name: str, username: str | None = None, password: str | None = None, **options: Any
    ) -> Session:
        session = Session(browser, live_server.url, name, **options)
        sessions.append(session)
        if username:
            assert password is not None, "a login needs a password"
            session.login(username, password)
        return session

    yield _open
    problems = []
    for session in sessions:
        problems += session.problems
        session.close()
    assert not problems, "server or JavaScript errors:\n" + "\n".join(problems)


def number_in(text: str) -> int:
    """The integer shown in `text` (thousands separators and units ignored)."""
    digits = re.sub(r"[^\d]", "", text)
    assert digits, f"no number in {text!r}"
    return int(digits)
