"""Browser tests: Playwright (sync API) in Debian's Chromium against pytest-django's live server.

One small demo region is built once for the e2e package, through the same import service as
`kechuang demo` (see `demo_region`), and every test reads it. pytest-django's own
`transactional_db` (which `live_server` pulls in) would flush every table after each test and
so delete the region, hence the override below: these tests keep the region, tests that write
(imports) use their own credit codes and compare against the database at the time, and the
tables are flushed once when the package is done.

With KECHUANG_SHOTS_DIR set (`make screens`), every page a test visits is saved as a full-page
screenshot named after the test, for reviewing the pages by eye (the browser fixtures are shared
with the browser tests of the apps: tests/e2e/browser.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.e2e.browser import Session, number_in

__all__ = ["DemoRegion", "Session", "number_in"]

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls the tests make between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

N_ENTERPRISES = 400


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
    # {record key: dense-vector fingerprint} of the demo's achievements and demands as built
    match_fingerprints: dict


@pytest.fixture(scope="package")
def region_dense() -> bool:
    """Whether the region's matches use the dense encoder (the browser flows rank suppliers
    with the whole engine; encoding the region's texts costs about 50 s of CPU)."""
    return True


@pytest.fixture(scope="package")
def demo_region(django_db_setup, django_db_blocker, tmp_path_factory, region_dense) -> DemoRegion:
    """Build the demo region (N_ENTERPRISES enterprises, six years, demo users) in the test
    database, committed, so the live server's threads see it on SQLite and PostgreSQL alike.

    Uploaded workbooks go to a temporary MEDIA_ROOT. The tables are flushed afterwards so later
    tests in the session start from an empty database, as they would without this package.
    """
    from kechuang.demo.services import DEMO_PASSWORD, demo_build
    from kechuang.enterprises.models import Enterprise

    media = override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")), KECHUANG_MATCHING_DENSE=region_dense
    )
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
        from kechuang.cooperation import matching

        region = DemoRegion(
            password=DEMO_PASSWORD,
            town_id=town.pk,
            town_name=town.name,
            own_enterprise_id=own,
            town_enterprise_id=in_town.pk,
            other_town_enterprise_id=elsewhere.pk,
            other_town_id=elsewhere.town_id,
            match_fingerprints={
                d.id: matching.engine().fingerprint(d) for d in matching._docs(None)
            },
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
# `browser`, `browser_session`, `Session` and `number_in` come from the shared plugin
# tests/e2e/browser.py (registered in the root conftest.py); re-exported for the tests here.


@pytest.fixture
def open_session(browser_session, demo_region, request):
    """A factory of browser sessions on the demo region: `open_session("staff")` logs in as the
    demo user `staff`; `open_session(None)` stays anonymous. Server and JavaScript errors fail
    the test (see `browser_session`)."""
    test_name = re.sub(r"^test_", "", request.node.name)

    def _open(username: str | None) -> Session:
        return browser_session(
            f"{test_name}-{username or 'anonymous'}", username, demo_region.password
        )

    return _open
