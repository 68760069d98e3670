"""Demo accounts (published password) exist only under the demo settings."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from kechuang.demo.services import demo_build

pytestmark = pytest.mark.django_db


@override_settings(KECHUANG_DEMO_ENABLED=False)
def test_demo_users_are_refused_outside_demo_settings():
    from django.contrib.auth import get_user_model

    with pytest.raises(ImproperlyConfigured):
        demo_build(n_enterprises=5)
    assert not get_user_model().objects.exists()


def test_production_settings_keep_the_demo_off():
    from config.settings import base

    assert base.KECHUANG_DEMO_ENABLED is False
