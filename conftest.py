"""Session-wide test set-up shared by every app."""

from __future__ import annotations

import os
import sys

import pytest

# The browser fixtures (`browser`, `browser_session`) of every browser test, wherever it lives.
pytest_plugins = ["tests.e2e.browser"]

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_finish(session):
    """Browser tests need Debian's Chromium: without it, stop once with the command to run.

    (One clear line instead of one launch error per browser test.)
    """
    wants_browser = "playwright" in sys.modules or any(
        "browser" in getattr(item, "fixturenames", ()) for item in session.items
    )
    if wants_browser and not os.path.exists(CHROMIUM):
        pytest.exit(
            f"{CHROMIUM} is missing. Install it with: "
            "sudo apt-get install -y chromium fonts-noto-cjk   (or run `make test` as root)",
            returncode=1,
        )


def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (`make test` runs `-n auto --dist loadgroup`), keep each module's tests
    on one worker, so a module- or package-scoped region is built once, not once per worker; the
    packages whose tests share one package-scoped region (the browser tests, the reports) go
    to one worker as a whole."""
    shared_packages = ("tests/e2e/", "kechuang/reports/tests/")
    for item in items:
        path = item.nodeid.split("::", 1)[0]
        group = next((p for p in shared_packages if path.startswith(p)), path)
        item.add_marker(pytest.mark.xdist_group(name=group))
