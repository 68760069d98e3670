"""The programme cycle through its services: drafts with optimistic concurrency, the server's
deadline to the last minute, the formal check, conflict-free assignment, declare-before-seeing
with refill, scoring, decision, notice with an objection, contract, tranches, acceptance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)
from kechuang.experts.models import ExpertRelationship
from kechuang.experts.tests.factories import make_expert, make_organisation
from kechuang.notices.choices import ObjectionAction
from kechuang.notices.services import notice_finalise, objection_file, objection_handle
from kechuang.programmes import selectors, services
from kechuang.programmes.choices import (
    ApplicationStatus,
    AssignmentStatus,
    CallStatus,
    ProjectStatus,
    ReportOutcome,
    TrancheStatus,
)
from kechuang.programmes.models import ConflictRecord, Project, ReviewAssignment, WorkflowEvent

from .factories import GOOD_CONTENT, make_application, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    town = make_town("甲镇")
    a = make_enterprise(town=town, name="申报企业A")
    b = make_enterprise(town=town, name="申报企业B")
    for e in (a, b):
        make_annual_figure(e, 2024)
    staff = make_user(Role.BUREAU_STAFF)
    user_a = make_user(Role.ENTERPRISE, enterprise=a)
    call = make_call()
    experts = []
    for i in range(5):
        user = make_user(Role.EXPERT, username=f"exp{i}")
        experts.append(make_expert(user=user, summary="电池 储能 新能源 材料"))
    # an expert working for the applicant: always a conflict
    own = make_expert(
        organisation=make_organisation(name="A企业研究院", kind="enterprise", enterprise=a),
        user=make_user(Role.EXPERT, username="own"),
        summary="电池 储能",
    )
    return {
        "a": a,
        "b": b,
        "staff": staff,
        "user_a": user_a,
        "call": call,
        "experts": experts,
        "own": own,
    }


def test_draft_save_with_version_and_stale_edit(world):
    app = services.application_create(
        call=world["call"], enterprise=world["a"], user=world["user_a"]
    )
    assert [k["indicator"] for k in app.kpis]  # the programme's KPI template
    saved = services.application_save(
        application=app,
        data={"title": "标题一", **{k: GOOD_CONTENT[k] for k in ("budget", "kpis")}},
        version=1,
        user=world["user_a"],
    )
    assert saved.version == 2 and saved.requested_yuan == Decimal(400000)
    with pytest.raises(services.StaleEdit):
        services.application_save(
            application=app, data={"title": "另一人"}, version=1, user=world["user_a"]
        )
    app.refresh_from_db()
    assert app.title == "标题一"
    assert app.history.count() >= 2


def test_deadline_is_the_servers_to_the_last_minute(world):
    call = world["call"]
    app = make_application(call, world["a"])
    last_minute = call.closes_at - dt.timedelta(seconds=1)
    with pytest.raises(ValidationError):
        services.application_submit(
            application=app, user=world["user_a"], now=call.closes_at, pdf=False
        )
    done = services.application_submit(
        application=app, user=world["user_a"], now=last_minute, pdf=False
    )
    assert done.status == ApplicationStatus.SUBMITTED and done.tracking_number.startswith("KC2025")
    assert {c["id"] for c in done.checks} >= {"eligibility", "budget", "kpis", "overlap"}
    assert WorkflowEvent.objects.filter(object_id=app.pk, action="submit").exists()
    call.closes_at = timezone.now() - dt.timedelta(minutes=1)
    call.save()
    draft = make_application(call, world["b"])
    with pytest.raises(ValidationError):
        services.application_save(
            application=draft, data={"title": "迟到"}, version=1, user=world["user_a"]
        )


def test_submit_writes_a_pdf(world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    app = make_application(world["call"], world["a"])
    done = services.application_submit(application=app, user=world["user_a"])
    assert done.submitted_pdf.read(5) == b"%PDF-"


def test_formal_check_return_needs_comment_and_resubmit(world):
    app = make_application(world["call"], world["a"])
    services.application_submit(application=app, user=world["user_a"], pdf=False)
    with pytest.raises(ValidationError):
        services.formal_check_decide(
            application=app, user=world["staff"], decision="return", comment=" "
        )
    with pytest.raises(PermissionDenied):
        services.formal_check_decide(application=app, user=world["user_a"], decision="pass")
    services.formal_check_decide(
        application=app, user=world["staff"], decision="return", comment="补充预算明细"
    )
    assert app.status == ApplicationStatus.RETURNED
    services.application_submit(application=app, user=world["user_a"], pdf=False)
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.enterprise.pk == world["a"].pk
    assert world["user_a"].programme_notifications.exists()


def _checked(world, enterprise, **kw):
    return make_application(world["call"], enterprise, status=ApplicationStatus.CHECKED, **kw)


def test_assignment_skips_conflicts_and_same_applicant(world):
    a1 = _checked(world, world["a"])
    a2 = _checked(world, world["a"], title="第二个项目")
    b1 = _checked(world, world["b"])
    proposal = services.assignments_propose(call=world["call"], user=world["staff"], k=2)
    own = world["own"].pk
    assert own not in proposal[a1.pk] and own not in proposal[a2.pk]
    assert not set(proposal[a1.pk]) & set(proposal[a2.pk])
    assert all(len(v) == 2 for v in proposal.values())
    reason = ConflictRecord.objects.get(expert=world["own"], application=a1).reason
    assert "A企业研究院" in reason
    a1.refresh_from_db()
    assert a1.status == ApplicationStatus.IN_REVIEW
    with pytest.raises(ValidationError):
        services.assignment_add(application=a1, expert=world["own"], user=world["staff"])
    seated_on_a1 = next(iter(proposal[a1.pk]))
    with pytest.raises(ValidationError):  # already reviews a1 of the same applicant
        services.assignment_add(
            application=a2,
            expert=ReviewAssignment.objects.get(application=a1, expert_id=seated_on_a1).expert,
            user=world["staff"],
        )
    assert b1.pk in proposal


def test_declared_relationship_and_past_project_conflicts(world):
    expert = world["experts"][0]
    ExpertRelationship.objects.create(
        expert=expert, kind="relative", enterprise=world["a"], since=dt.date(2020, 1, 1)
    )
    partner_org = make_organisation(name="合作大学")
    past_expert = make_expert(organisation=partner_org)
    old_call = make_call(year=timezone.now().year - 1, status=CallStatus.FINAL)
    past = make_application(
        old_call,
        world["a"],
        status=ApplicationStatus.APPROVED,
        partners=[{"name": "合作大学", "organisation": partner_org.pk}],
        team=[{"name": "x", "expert": world["experts"][1].pk}],
    )
    Project.objects.create(application=past, number="POLD1")
    app = _checked(world, world["a"])
    pairs = services.conflicts_record(
        applications=[app], expert_ids=[e.pk for e in world["experts"]] + [past_expert.pk]
    )
    kinds = dict(ConflictRecord.objects.filter(application=app).values_list("expert_id", "kind"))
    assert (expert.pk, app.pk) in pairs
    assert kinds[world["experts"][1].pk] == "past_project_team"
    assert kinds[past_expert.pk] == "past_project_partner"
    assert world["experts"][2].pk not in kinds


def test_declare_before_seeing_and_recusal_refills(world):
    app = _checked(world, world["a"])
    services.assignments_propose(call=world["call"], user=world["staff"], k=2)
    seat = ReviewAssignment.objects.filter(application=app).first()
    user = seat.expert.user
    with pytest.raises(Http404):
        selectors.application_for(user, app.pk)  # not before the declaration
    services.assignment_declare(
        assignment=seat, user=user, conflict=True, note="近亲属在该企业任职"
    )
    seat.refresh_from_db()
    assert seat.status == AssignmentStatus.RECUSED
    live = ReviewAssignment.objects.filter(application=app).exclude(status=AssignmentStatus.RECUSED)
    assert live.count() == 2  # the seat was refilled
    assert not selectors.expert_assignments(user).exists()
    with pytest.raises(Http404):
        selectors.application_for(user, app.pk)
    other = live.first()
    services.assignment_declare(assignment=other, user=other.expert.user, conflict=False)
    assert selectors.application_for(other.expert.user, app.pk) == app


def test_scores_aggregate_and_rank(world):
    apps = [_checked(world, world["a"]), _checked(world, world["b"])]
    services.assignments_propose(call=world["call"], user=world["staff"], k=3)
    criteria = services._scheme(world["call"])["criteria"]
    with pytest.raises(ValidationError) as err:
        seat = ReviewAssignment.objects.filter(application=apps[0]).first()
        services.assignment_declare(assignment=seat, user=seat.expert.user, conflict=False)
        services.score_submit(assignment=seat, user=seat.expert.user, scores={"innovation": "99"})
    assert "innovation" in err.value.message_dict
    for app, level in zip(apps, (9, 6), strict=True):
        for seat in ReviewAssignment.objects.filter(application=app):
            if seat.status == AssignmentStatus.ASSIGNED:
                services.assignment_declare(assignment=seat, user=seat.expert.user, conflict=False)
            seat.refresh_from_db()
            services.score_submit(
                assignment=seat, user=seat.expert.user, scores={c["key"]: level for c in criteria}
            )
    for app in apps:
        app.refresh_from_db()
    assert apps[0].score == Decimal("90.00") and apps[0].rank == 1 and apps[1].rank == 2


def test_full_cycle_notice_objection_contract_tranche_acceptance(
    world, django_capture_on_commit_callbacks, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    staff, call = world["staff"], world["call"]
    app = make_application(call, world["a"], status=ApplicationStatus.IN_REVIEW)
    with pytest.raises(ValidationError) as err:
        services.decision_record(
            application=app,
            user=staff,
            decision="approve",
            reasons="",
            amount_yuan=Decimal(9_000_000),
        )
    assert set(err.value.message_dict) == {"reasons", "amount_yuan"}
    services.decision_record(
        application=app,
        user=staff,
        decision="approve",
        reasons="排名第一",
        amount_yuan=Decimal(400_000),
    )
    call.status = CallStatus.DECIDED
    call.save()
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.call_notice_publish(call=call, user=staff)
    project = Project.objects.get(application=app)
    item = notice.items.get()
    assert ["项目名称", app.title] in item.fields and not any("预算" in f[0] for f in item.fields)
    with django_capture_on_commit_callbacks(execute=True):
        objection = objection_file(
            notice=notice, item=item, name="张三", contact="138", reasons="数据不实"
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.HELD
    with django_capture_on_commit_callbacks(execute=True):
        objection_handle(
            objection=objection, action=ObjectionAction.DISMISS, user=staff, reply="经核查不成立"
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.NOTICED
    with django_capture_on_commit_callbacks(execute=True):
        notice_finalise(
            notice=notice, user=staff, now=notice.window_ends_at + dt.timedelta(minutes=1)
        )
    project.refresh_from_db()
    assert project.status == ProjectStatus.CONFIRMED
    assert services.contract_pdf(project=project)[:5] == b"%PDF-"
    with pytest.raises(ValidationError):
        services.project_sign(
            project=project, user=staff, signed_copy=SimpleUploadedFile("x.exe", b"MZ")
        )
    services.project_sign(
        project=project,
        user=staff,
        signed_copy=SimpleUploadedFile("signed.pdf", b"%PDF-1.4 signed"),
        starts_on=dt.date.today() - dt.timedelta(days=800),
    )
    tranches = list(project.tranches.order_by("seq"))
    assert sum(t.amount_yuan for t in tranches) == Decimal(400_000)
    held = services.tranche_pay(tranche=tranches[1], user=staff)  # the mid-term report is overdue
    assert held.status == TrancheStatus.HELD and "逾期" in held.hold_reason
    mid, acceptance = project.reports.order_by("due_on")
    services.report_submit(
        report=mid,
        user=world["user_a"],
        kpis=[{"indicator": "申请发明专利", "reported": "3"}],
        narrative="进展顺利",
    )
    assert services.reminders_send(today=dt.date.today()) >= 1  # the acceptance report is overdue
    services.report_submit(
        report=acceptance,
        user=world["user_a"],
        kpis=[{"indicator": "申请发明专利", "reported": "3"}],
        narrative="完成",
    )
    row = selectors.report_comparison(acceptance)[0]
    assert (
        row["measured"] == 0 and row["met"] is False and row["mismatch"]
    )  # registry shows no patent
    services.report_decide(
        report=acceptance, user=staff, outcome=ReportOutcome.FAILED, reasons="指标未完成"
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.FAILED
    new_call = make_call(title="下一年度")
    result = selectors.eligibility_for(world["a"], new_call)
    failed = next(c for c in result["conditions"] if c["id"] == "no_failed")
    assert failed["status"] == "fail" and result["status"] == "fail"
