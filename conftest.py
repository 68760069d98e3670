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


# Packages whose tests share one package-scoped demo region: each runs on one worker as a whole.
# The page sweep is a unit of its own (it builds its own copy of the browser tests' region on
# the worker it lands on), so the two longest units run side by side; the first prefix that
# matches a test decides its unit.
SHARED_PACKAGES = ("tests/e2e/sweep/", "tests/e2e/", "kechuang/reports/tests/")


def _work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its shared package, or else its module."""
    path = nodeid.split("::", 1)[0]
    return next((p for p in SHARED_PACKAGES if path.startswith(p)), path)


# Modules that take a minute or more of one worker (measured on the 2-core machine), started
# right after the shared packages: a long unit started last would keep one worker busy after
# the other has finished.
LONG_MODULES = (
    "kechuang/core/tests/test_production.py",  # replays every migration
    "kechuang/core/tests/test_access_matrix.py",
    "kechuang/core/tests/test_api_fuzz.py",
)


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, absent with -p no:xdist
def pytest_xdist_make_scheduler(config, log):
    """With pytest-xdist (`make test` runs `-n auto`), send each work unit whole to one worker,
    so a module- or package-scoped region is built once, not once per worker and again whenever
    a worker comes back to it. (xdist's own `loadgroup` marks do not take effect with this
    pytest, which no longer reads the node id xdist rewrites.) The units go out in the order
    `pytest_collection_modifyitems` gives them, not xdist's most-tests-first order, which
    would start the few-test long modules last."""
    from xdist.scheduler import LoadScopeScheduling

    class WorkUnitScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return _work_unit(nodeid)

    config.option.loadscopereorder = False
    return WorkUnitScheduling(config, log)


def _unit_rank(unit: str, sizes: dict[str, int]) -> tuple[int, int]:
    if unit in SHARED_PACKAGES:
        return (0, SHARED_PACKAGES.index(unit))
    if unit in LONG_MODULES:
        return (1, LONG_MODULES.index(unit))
    return (2, -sizes[unit])  # then the units with the most tests


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The longest units first (the shared packages, then LONG_MODULES), so none of them is the
    last one a worker starts; the order inside each unit is kept."""
    sizes: dict[str, int] = {}
    for item in items:
        unit = _work_unit(item.nodeid)
        sizes[unit] = sizes.get(unit, 0) + 1
    items.sort(key=lambda item: _unit_rank(_work_unit(item.nodeid), sizes))
