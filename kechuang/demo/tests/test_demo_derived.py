"""A fresh `kechuang demo --no-serve` carries every derived computation: the stored
assessments of every year, so the ladder, the reserve pool and the risk lists are filled on
first start (nobody has to press 重新评估)."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from kechuang.qualifications.models import AssessmentRun
from kechuang.qualifications.selectors import (
    available_assessment_years,
    latest_run,
    run_is_current,
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", "--no-serve", "--enterprises", "300", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def staff(demo, db, client):
    client.force_login(get_user_model().objects.get(username="staff"))
    return client


def test_every_year_has_a_current_assessment(demo, db):
    years = available_assessment_years()
    assert years
    for year in years:
        assert run_is_current(latest_run(year)), year


def test_a_second_build_does_not_assess_again(demo, db):
    before = AssessmentRun.objects.count()
    call_command("demo", "--no-serve", stdout=StringIO())
    assert AssessmentRun.objects.count() == before


def test_ladder_reserve_pool_and_risk_lists_are_filled(staff):
    ladder = staff.get(reverse("qualifications:ladder")).content.decode()
    assert 'data-state="current"' in ladder
    assert ladder.count('data-testid="ladder-') >= 4
    reserve = staff.get(reverse("qualifications:reserve_pool")).content.decode()
    assert 'data-testid="reserve-row"' in reserve
    risks = staff.get(reverse("qualifications:risk_list")).content.decode()
    holders = re.search(r'data-testid="count-holders">([\d,]+)<', risks)
    assert holders and int(holders.group(1).replace(",", "")) > 0
