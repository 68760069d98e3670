"""Assessment runs, staleness (hook + safety net), rule-set edits."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from kechuang.enterprises.models import AnnualFigure
from kechuang.enterprises.services import annual_figure_update
from kechuang.qualifications.models import AssessmentResult, AssessmentRun, RunStatus
from kechuang.qualifications.selectors import latest_run, ruleset_in_force, run_state
from kechuang.qualifications.services import assessment_run_create, ruleset_update

from .builders import YEAR, small_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    return small_region()


def test_run_stores_results_in_bulk(region, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        run = assessment_run_create(year=YEAR)
    assert run.status == RunStatus.DONE and run.enterprise_count == 5
    assert AssessmentResult.objects.filter(run=run).count() == 20
    assert sum(run.summary["high_tech"].values()) == 5
    assert run.rule_set_version == "2016+2017" and run.data_as_of is not None
    assert run_state(run)["current"]


def test_only_bureau_staff_may_run(region):
    with pytest.raises(PermissionDenied):
        assessment_run_create(year=YEAR, user=region["users"]["town_a"])


@override_settings(KECHUANG_AUTO_ASSESS=False)
def test_editing_a_figure_makes_the_run_stale_and_a_rerun_is_current(
    region, django_capture_on_commit_callbacks
):
    run = assessment_run_create(year=YEAR)
    figure = AnnualFigure.objects.get(enterprise=region["weak"], year=2023)
    with django_capture_on_commit_callbacks(execute=True):
        annual_figure_update(
            figure=figure, user=region["users"]["staff"], rd_hnte_total=Decimal("900000.00")
        )
    run.refresh_from_db()
    assert run.stale_at is not None
    assert run_state(latest_run(YEAR))["current"] is False
    rerun = assessment_run_create(year=YEAR)
    assert latest_run(YEAR) == rerun and run_state(rerun)["current"]


def test_figures_outside_the_window_do_not_stale_the_run(
    region, django_capture_on_commit_callbacks
):
    run = assessment_run_create(year=2022)
    figure = AnnualFigure.objects.get(enterprise=region["weak"], year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        annual_figure_update(
            figure=figure, user=region["users"]["staff"], rd_hnte_total=Decimal("800000.00")
        )
    run.refresh_from_db()
    assert run.stale_at is None


def test_hook_schedules_a_reassessment(region, django_capture_on_commit_callbacks):
    assessment_run_create(year=YEAR)
    figure = AnnualFigure.objects.get(enterprise=region["weak"], year=2024)
    with django_capture_on_commit_callbacks(execute=True):
        annual_figure_update(
            figure=figure, user=region["users"]["staff"], rd_hnte_total=Decimal("700000.00")
        )
    # The immediate task backend of the test settings ran the task: a new current run exists.
    assert AssessmentRun.objects.filter(year=YEAR, status=RunStatus.DONE).count() == 2
    assert run_state(latest_run(YEAR))["current"]


def test_writes_that_bypass_the_hook_are_caught_by_the_safety_net(region):
    run = assessment_run_create(year=YEAR)
    AnnualFigure.objects.filter(enterprise=region["weak"], year=2024).update(
        rd_hnte_total=Decimal("1.00"), updated_at=timezone.now()
    )
    state = run_state(run)
    assert state["current"] is False and state["reason"] == "data_changed"


def test_rule_set_edit_needs_the_admin_validates_and_stales_runs(region):
    run = assessment_run_create(year=YEAR)
    rule_set = ruleset_in_force(run.evaluation_date)
    with pytest.raises(PermissionDenied):
        ruleset_update(rule_set=rule_set, user=region["users"]["staff"], changes={})
    admin = region["users"]["admin"]
    with pytest.raises(ValidationError) as exc:
        ruleset_update(
            rule_set=rule_set, user=admin, changes={"ht.min_tech_staff_ratio": {"value": [1, 2]}}
        )
    assert "ht.min_tech_staff_ratio" in exc.value.message_dict
    with pytest.raises(ValidationError):
        ruleset_update(
            rule_set=rule_set, user=admin, changes={"ht.min_tech_staff_ratio": {"value": "-0.1"}}
        )
    ruleset_update(
        rule_set=rule_set, user=admin, changes={"ht.min_tech_staff_ratio": {"value": "0.12"}}
    )
    rule_set.refresh_from_db()
    assert rule_set.revision == 2 and rule_set.history.count() == 2
    assert run_state(run)["reason"] == "rules_changed"
