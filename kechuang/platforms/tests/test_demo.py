"""The demo step of platforms (on a small region): the 2024 figures of docs/platforms.md#figures through `kechuang
stats` (3 / 1 / 1 / 2 / 1), drill-down lists whose counts equal them, a second run adds nothing."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from kechuang.platforms.models import Evaluation, Platform, PlatformEvent, ThreeReturns
from kechuang.platforms.platform_figures import (
    CONCEPT_VERIFICATION_CENTRES_LISTED,
    ENCLAVES_TENDERED,
    PLATFORM_FIGURES,
    PLATFORMS_UNVEILED,
    PROVINCIAL_INCUBATORS_NEW,
    PROVINCIAL_MAKER_SPACES_NEW,
)
from kechuang.platforms.platform_selectors import platforms_by_type_level


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from .cast_platforms import build_platform_world

    with django_db_blocker.unblock():
        build_platform_world()
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def stats(demo, db):
    out = StringIO()
    call_command("stats", year=2024, json=True, stdout=out)
    return json.loads(out.getvalue())


def test_seed_figures(stats):
    assert stats[PLATFORMS_UNVEILED] == 3
    assert stats[PROVINCIAL_INCUBATORS_NEW] == 1
    assert stats[PROVINCIAL_MAKER_SPACES_NEW] == 1
    assert stats[ENCLAVES_TENDERED] == 2
    assert stats[CONCEPT_VERIFICATION_CENTRES_LISTED] == 1
    by_type = stats["platforms_by_type_level"]
    assert by_type["maker_space"] == {"provincial": 2}
    assert by_type["incubator"] == {"provincial": 1}
    assert "science_park" not in by_type  # planned in 2025: not valid at the end of 2024


def test_drill_downs_list_exactly_the_counted_platforms(stats, django_user_model):
    from kechuang.core.roles import Role
    from kechuang.enterprises.tests.factories import make_user

    client = Client()
    client.force_login(make_user(Role.BUREAU_STAFF, username="drill_staff"))
    for item in PLATFORM_FIGURES:
        if item.key not in (
            PLATFORMS_UNVEILED,
            PROVINCIAL_INCUBATORS_NEW,
            PROVINCIAL_MAKER_SPACES_NEW,
            ENCLAVES_TENDERED,
            CONCEPT_VERIFICATION_CENTRES_LISTED,
        ):
            continue
        response = client.get(item.drill_down(2024))
        assert response.status_code == 200
        assert response.context["table"].paginator.count == stats[item.key], item.key
    response = client.get(
        next(f for f in PLATFORM_FIGURES if f.key == "platforms_by_type_level").drill_down(2024)
    )
    total = sum(sum(levels.values()) for levels in stats["platforms_by_type_level"].values())
    assert response.context["table"].paginator.count == total


def test_demo_content_and_second_run(demo, db):
    from kechuang.platforms.demo import platforms_demo

    assert Evaluation.objects.filter(year=2024).exclude(grade="").count() == 3
    assert ThreeReturns.objects.filter(year=2024).count() >= 2
    counts = (Platform.objects.count(), PlatformEvent.objects.count(), ThreeReturns.objects.count())
    assert platforms_demo(generated=True) == []
    assert (
        Platform.objects.count(),
        PlatformEvent.objects.count(),
        ThreeReturns.objects.count(),
    ) == counts
    assert platforms_by_type_level(2024)["enclave"] == {"none": 2}
