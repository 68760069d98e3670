"""Campaign creation (targets, assignment), the task workflow, visits serving several tasks,
training attendance, delegations and agency R&D submissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.campaigns import services
from kechuang.campaigns.choices import DelegationStatus, SubmissionStatus, TaskState
from kechuang.campaigns.models import Campaign, RDSubmission, VisitRecord, VisitTask
from kechuang.core.permissions import user_scope
from kechuang.enterprises.models import AnnualFigure, Enterprise, FigureSubmission
from kechuang.enterprises.submissions import submission_accept, submission_town_pass

from .factories import YEAR, make_delegation, make_world

pytestmark = pytest.mark.django_db
DUE = dt.date.today() + dt.timedelta(days=30)


@pytest.fixture
def w():
    return make_world()


def _campaign(w, spec, **kw):
    values = {"name": "走访", "kind": "zero_declaration", "due_date": DUE}
    values.update(kw)
    return services.campaign_create(user=w.staff, target_spec=spec, **values)


# ------------------------------------------------------------------ generation and assignment


def test_zero_rd_campaign_creates_one_task_per_target_assigned_to_the_town_officer(w):
    campaign = _campaign(w, {"kind": "zero_rd", "year": YEAR})
    tasks = {t.enterprise_id: t for t in campaign.tasks.all()}
    assert set(tasks) == {w.a1.pk, w.b1.pk, w.b2.pk, w.c1.pk}  # A2 has R&D, A3 not above-scale
    assert tasks[w.a1.pk].assignee == w.officer_a
    assert tasks[w.b1.pk].assignee == w.officer_b
    assert tasks[w.c1.pk].assignee is None and tasks[w.c1.pk].needs_assignment
    assert {t.due_date for t in tasks.values()} == {DUE}
    assert campaign.year == YEAR
    assert campaign.history.first().history_user == w.staff
    assert VisitTask.history.filter(history_user=w.staff).count() == 4


def test_contradiction_only_keeps_high_tech_and_tech_sme_enterprises(w):
    campaign = _campaign(w, {"kind": "zero_rd", "year": YEAR, "contradiction_only": True})
    assert set(campaign.tasks.values_list("enterprise_id", flat=True)) == {w.a1.pk, w.b2.pk}


def test_above_scale_campaign_of_one_town(w):
    campaign = _campaign(w, {"kind": "above_scale", "year": YEAR, "town": w.town_a.pk},
                         kind="diagnosis")  # fmt: skip
    assert set(campaign.tasks.values_list("enterprise_id", flat=True)) == {w.a1.pk, w.a2.pk}


def test_campaign_creation_is_one_bulk_insert(w, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        _campaign(w, {"kind": "above_scale", "year": YEAR})


def test_only_staff_create_campaigns_and_bad_specs_are_field_errors(w):
    with pytest.raises(PermissionDenied):
        services.campaign_create(user=w.officer_a, name="x", kind="diagnosis", due_date=DUE,
                                 target_spec={"kind": "above_scale", "year": YEAR})  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        _campaign(w, {"kind": "nope"})
    assert "target_spec" in exc.value.message_dict
    assert not Campaign.objects.exists()


def test_uses_the_rnd_selector_when_it_exists(w, monkeypatch):
    from kechuang.campaigns import selectors

    monkeypatch.setattr(
        selectors, "zero_rd_enterprises", lambda spec, user: Enterprise.objects.filter(pk=w.a2.pk)
    )
    campaign = _campaign(w, {"kind": "zero_rd", "year": YEAR})
    assert list(campaign.tasks.values_list("enterprise_id", flat=True)) == [w.a2.pk]


# ------------------------------------------------------------------ workflow


def test_assignee_moves_own_task_through_the_workflow(w):
    task = _campaign(w, {"kind": "zero_rd", "year": YEAR}).tasks.get(enterprise=w.a1)
    for state in (TaskState.VISITED, TaskState.FOLLOW_UP, TaskState.CLOSED):
        services.task_transition(task=task, to_state=state, user=w.officer_a)
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    assert task.history.first().history_user == w.officer_a


def test_others_may_not_move_a_task(w):
    task = _campaign(w, {"kind": "zero_rd", "year": YEAR}).tasks.get(enterprise=w.a1)
    for user in (w.officer_b, w.leader, w.agency_user, w.enterprise_user):
        with pytest.raises(PermissionDenied):
            services.task_transition(task=task, to_state=TaskState.VISITED, user=user)
    with pytest.raises(ValidationError):
        services.task_transition(task=task, to_state=TaskState.FOLLOW_UP, user=w.officer_a)
    with pytest.raises(PermissionDenied):  # closing an unvisited task is the bureau's call
        services.task_transition(task=task, to_state=TaskState.CLOSED, user=w.officer_a)
    services.task_transition(task=task, to_state=TaskState.CLOSED, user=w.staff)


def test_reassign_to_agency_only_for_delegating_enterprise(w):
    campaign = _campaign(w, {"kind": "zero_rd", "year": YEAR})
    task = campaign.tasks.get(enterprise=w.b1)
    with pytest.raises(ValidationError):
        services.task_reassign(task=task, assignee=w.agency_user, user=w.staff)
    make_delegation(w, w.b1)
    services.task_reassign(task=task, assignee=w.agency_user, user=w.staff)
    services.task_transition(task=task, to_state=TaskState.VISITED, user=w.agency_user)
    with pytest.raises(ValidationError):
        services.task_reassign(task=task, assignee=w.leader, user=w.staff)
    with pytest.raises(PermissionDenied):
        services.task_reassign(task=task, assignee=w.officer_a, user=w.officer_b)


# ------------------------------------------------------------------ one visit, several tasks


def test_one_visit_record_closes_same_month_tasks_of_two_campaigns(w):
    zero = _campaign(w, {"kind": "zero_rd", "year": YEAR})
    diag = _campaign(w, {"kind": "above_scale", "year": YEAR}, kind="diagnosis",
                     due_date=DUE.replace(day=1))  # fmt: skip
    later = _campaign(w, {"kind": "above_scale", "year": YEAR}, kind="training",
                      due_date=DUE + dt.timedelta(days=62))  # fmt: skip
    task = zero.tasks.get(enterprise=w.a1)
    from kechuang.campaigns.selectors import task_group

    group = task_group(task, w.officer_a)
    assert [t.campaign_id for t in group] == [zero.pk, diag.pk]  # not the later month's
    record = services.visit_record_create(
        user=w.officer_a,
        task=task,
        visit_date=dt.date.today(),
        people_met="财务总监 王某",
        findings="研发费用未归集",
        outcome=TaskState.CLOSED,
        also_task_ids=[group[1].pk],
        files=[SimpleUploadedFile("签到表.pdf", b"%PDF-1.4 test", "application/pdf")],
    )
    states = dict(VisitTask.objects.filter(enterprise=w.a1).values_list("campaign_id", "state"))
    assert states == {zero.pk: "closed", diag.pk: "closed", later.pk: "pending"}
    assert record.tasks.count() == 2 and record.attachments.count() == 1
    assert VisitRecord.history.first().history_user == w.officer_a


def test_visit_is_all_or_nothing_and_checks_attachments(w):
    task = _campaign(w, {"kind": "zero_rd", "year": YEAR}).tasks.get(enterprise=w.a1)
    with pytest.raises(ValidationError) as exc:
        services.visit_record_create(
            user=w.officer_a, task=task, visit_date=dt.date.today(), people_met="x",
            findings="y", files=[SimpleUploadedFile("virus.exe", b"MZ", "application/x-msdos")],
        )  # fmt: skip
    assert "attachments" in exc.value.message_dict
    task.refresh_from_db()
    assert task.state == TaskState.PENDING and not VisitRecord.objects.exists()
    with pytest.raises(ValidationError):
        services.visit_record_create(
            user=w.officer_a, task=task, visit_date=dt.date.today() + dt.timedelta(days=1),
            people_met="x", findings="y",
        )  # fmt: skip


def test_visit_cannot_pull_in_another_enterprises_task(w):
    campaign = _campaign(w, {"kind": "zero_rd", "year": YEAR})
    task, other = campaign.tasks.get(enterprise=w.a1), campaign.tasks.get(enterprise=w.b1)
    with pytest.raises(ValidationError):
        services.visit_record_create(user=w.staff, task=task, visit_date=dt.date.today(),
                                     people_met="x", findings="y", also_task_ids=[other.pk])  # fmt: skip


def test_training_attendance_is_bulk_and_marks_tasks_visited(w):
    campaign = _campaign(w, {"kind": "above_scale", "year": YEAR}, kind="training")
    n = services.training_attendance_record(
        campaign=campaign, user=w.staff, enterprise_ids=[w.a1.pk, w.b1.pk],
        session_date=dt.date.today(),
    )  # fmt: skip
    assert n == 2
    again = services.training_attendance_record(
        campaign=campaign, user=w.staff, enterprise_ids=[w.a1.pk], session_date=dt.date.today()
    )
    assert again == 0
    visited = set(campaign.tasks.filter(state="visited").values_list("enterprise_id", flat=True))
    assert visited == {w.a1.pk, w.b1.pk}
    # A town officer records only the enterprises of their own town.
    services.training_attendance_record(
        campaign=campaign, user=w.officer_a, enterprise_ids=[w.a2.pk, w.b2.pk],
        session_date=dt.date.today(),
    )  # fmt: skip
    assert set(campaign.attendance.values_list("enterprise_id", flat=True)) == {
        w.a1.pk, w.b1.pk, w.a2.pk,
    }  # fmt: skip


# ------------------------------------------------------------------ delegations and submissions


def test_delegation_gives_access_and_ending_it_removes_access_at_once(w):
    delegation = services.delegation_create(
        user=w.enterprise_user, agency=w.agency, start_date=dt.date.today(),
        end_date=dt.date.today() + dt.timedelta(days=90), enterprise=w.b1,  # ignored
    )  # fmt: skip
    assert delegation.enterprise == w.a1
    assert Enterprise.objects.for_user(w.agency_user).get() == w.a1
    assert not Enterprise.objects.for_user(w.other_agency_user).exists()
    services.delegation_end(delegation=delegation, user=w.enterprise_user)
    assert delegation.status == DelegationStatus.ENDED
    # user_scope caches per request on the user object; a new request starts afresh.
    w.agency_user._kechuang_scope = None
    assert not Enterprise.objects.for_user(w.agency_user).exists()


def test_expired_or_future_delegation_gives_no_access(w):
    today = dt.date.today()
    make_delegation(w, w.a1, days_left=-1)
    assert user_scope(w.agency_user).none
    w.agency_user._kechuang_scope = None
    d = make_delegation(w, w.a2)
    d.start_date = today + dt.timedelta(days=1)
    d.save()
    assert user_scope(w.agency_user).none


def test_only_the_enterprise_or_staff_ends_a_delegation(w):
    delegation = make_delegation(w, w.a1)
    for user in (w.agency_user, w.officer_a):
        with pytest.raises(PermissionDenied):
            services.delegation_end(delegation=delegation, user=user)
    with pytest.raises(PermissionDenied):
        services.delegation_create(user=w.officer_a, agency=w.agency, start_date=dt.date.today(),
                                   end_date=dt.date.today())  # fmt: skip


def test_overlapping_delegation_to_same_agency_is_refused(w):
    make_delegation(w, w.a1)
    with pytest.raises(ValidationError):
        services.delegation_create(user=w.enterprise_user, agency=w.agency,
                                   start_date=dt.date.today(), end_date=dt.date.today())  # fmt: skip


def test_agency_submission_is_written_only_on_confirmation(w):
    make_delegation(w, w.a1)
    submission = services.rd_submission_create(
        user=w.agency_user, enterprise=w.a1, year=YEAR,
        rd_hnte_personnel=Decimal("120000"), rd_hnte_direct=Decimal("30000.50"),
    )  # fmt: skip
    figure = AnnualFigure.objects.get(enterprise=w.a1, year=YEAR)
    assert figure.rd_hnte_personnel is None
    with pytest.raises(PermissionDenied):  # the agency cannot confirm its own work
        services.rd_submission_confirm(submission=submission, user=w.agency_user)
    services.rd_submission_confirm(submission=submission, user=w.enterprise_user)
    # Confirmed figures go to the bureau as the enterprise's yearly submission; the registry
    # is unchanged until the bureau accepts it.
    figure.refresh_from_db()
    assert figure.rd_hnte_personnel is None
    assert RDSubmission.objects.get().status == SubmissionStatus.CONFIRMED
    yearly = FigureSubmission.objects.get(enterprise=w.a1, year=YEAR)
    assert yearly.status == "submitted" and yearly.rd_hnte_total == Decimal("150000.50")
    submission_town_pass(submission=yearly, user=w.officer_a)  # the town reviews first
    submission_accept(submission=yearly, user=w.staff)
    figure.refresh_from_db()
    assert figure.rd_hnte_personnel == Decimal("120000")
    assert figure.rd_hnte_total == Decimal("150000.50")
    assert figure.history.first().history_user == w.staff
    with pytest.raises(ValidationError):
        services.rd_submission_confirm(submission=submission, user=w.enterprise_user)


def test_agency_cannot_submit_for_a_non_delegating_enterprise(w):
    make_delegation(w, w.a1, agency=w.other_agency)
    with pytest.raises(PermissionDenied):
        services.rd_submission_create(user=w.agency_user, enterprise=w.a1, year=YEAR,
                                      rd_hnte_other=Decimal("1"))  # fmt: skip
    make_delegation(w, w.a1)
    with pytest.raises(ValidationError):
        services.rd_submission_create(user=w.agency_user, enterprise=w.a1, year=YEAR,
                                      rd_hnte_other=Decimal("-1"))  # fmt: skip
