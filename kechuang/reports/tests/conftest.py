"""The demo region, built once for the reports tests (the full 5,200-enterprise demo, so the
report can be checked against the seed's figures), committed so the live server of the browser
test sees it too, and flushed when the package is done (the pattern of
kechuang/reports/tests/test_seed_figures.py shares it)."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    from kechuang.demo.services import demo_build

    with django_db_blocker.unblock():
        demo_build()
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def transactional_db(demo, django_db_blocker):
    """Database access for the browser test and its live server without pytest-django's flush
    after the test, which would delete the shared demo region (the package flushes once)."""
    with django_db_blocker.unblock():
        yield
