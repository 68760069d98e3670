"""One shared cast for the workbench tests (built once, rolled back at the end)."""

from __future__ import annotations

import pytest
from django.db import transaction

from kechuang.core.tests.cast import build_cast


@pytest.fixture(scope="package")
def cast(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_cast()
            transaction.set_rollback(True)
