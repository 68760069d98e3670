"""Session-wide test set-up shared by every app."""

from __future__ import annotations

import os
import sys

import pytest

CHROMIUM = "/usr/bin/chromium"


def pytest_collection_finish(session):
    """Browser tests need Debian's Chromium: without it, stop once with the command to run.

    (One clear line instead of one launch error per browser test.)
    """
    if "playwright" in sys.modules and not os.path.exists(CHROMIUM):
        pytest.exit(
            f"{CHROMIUM} is missing. Install it with: "
            "sudo apt-get install -y chromium fonts-noto-cjk   (or run `make test` as root)",
            returncode=1,
        )
