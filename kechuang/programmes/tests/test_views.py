"""Pages and API by role: public calls without sign-in, the applicant's own application, another
enterprise and another town refused (404), an expert assigned / not assigned / conflicted, the
leader's portfolio; bad input answers field messages, never a server error."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.experts.tests.factories import make_expert
from kechuang.programmes.choices import ApplicationStatus, AssignmentStatus
from kechuang.programmes.models import ConflictRecord, ReviewAssignment

from .factories import make_application, make_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    a, b = make_enterprise(town=town_a), make_enterprise(town=town_b)
    call = make_call()
    app = make_application(call, a, status=ApplicationStatus.IN_REVIEW)
    users = {
        "staff": make_user(Role.BUREAU_STAFF),
        "applicant": make_user(Role.ENTERPRISE, enterprise=a),
        "other": make_user(Role.ENTERPRISE, enterprise=b),
        "officer_a": make_user(Role.TOWN_OFFICER, town=town_a),
        "officer_b": make_user(Role.TOWN_OFFICER, town=town_b),
        "leader": make_user(Role.LEADER),
    }
    seats = {}
    for key, status in [
        ("assigned", AssignmentStatus.DECLARED),
        ("pending", AssignmentStatus.ASSIGNED),
        ("conflicted", AssignmentStatus.DECLARED),
    ]:
        users[key] = make_user(Role.EXPERT)
        seats[key] = ReviewAssignment.objects.create(
            application=app, expert=make_expert(user=users[key]), status=status
        )
    users["unassigned"] = make_user(Role.EXPERT)
    make_expert(user=users["unassigned"])
    ConflictRecord.objects.create(
        application=app,
        expert=seats["conflicted"].expert,
        kind="declared",
        reason="亲属",
        source="test",
    )
    return {"call": call, "app": app, "users": users, "seats": seats}


def _get(user, url, api=False):
    client = APIClient() if api else Client()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_public_call_pages_without_sign_in(world):
    assert _get(None, reverse("programmes:call_list")).status_code == 200
    page = _get(None, reverse("programmes:call_detail", args=[world["call"].pk]))
    assert page.status_code == 200 and world["call"].title in page.content.decode()
    assert _get(None, reverse("programmes:call_detail", args=[999999])).status_code == 404
    assert _get(None, reverse("programmes:home")).status_code == 302


def test_eligibility_shown_to_the_enterprise(world):
    page = _get(
        world["users"]["applicant"], reverse("programmes:call_detail", args=[world["call"].pk])
    )
    html = page.content.decode()
    assert 'data-testid="eligibility"' in html and "待政策核实" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("staff", 200),
        ("applicant", 200),
        ("officer_a", 200),
        ("other", 404),
        ("officer_b", 404),
        ("leader", 404),
        ("assigned", 200),
        ("pending", 404),
        ("conflicted", 404),
        ("unassigned", 404),
    ],
)
def test_application_page_and_api_by_role(world, who, status):
    user, app = world["users"][who], world["app"]
    page = _get(user, reverse("programmes:application_detail", args=[app.pk]))
    assert page.status_code == status
    api = _get(user, f"/api/v1/programmes/applications/{app.pk}/", api=True)
    assert api.status_code == (200 if status == 200 else 404)  # detail: refused after lookup
    listing = _get(user, "/api/v1/programmes/applications/", api=True)
    if listing.status_code == 200:
        ids = (
            [row["id"] for row in listing.json()["results"]]
            if isinstance(listing.json(), dict)
            else [row["id"] for row in listing.json()]
        )
        assert (app.pk in ids) == (status == 200)


def test_conflicted_expert_sees_no_trace_of_the_seat(world):
    user = world["users"]["conflicted"]
    assert (
        _get(user, reverse("programmes:review_list")).content.decode().count(world["app"].title)
        == 0
    )
    seat = world["seats"]["conflicted"]
    assert _get(user, reverse("programmes:assignment_detail", args=[seat.pk])).status_code == 404
    assert (
        _get(user, reverse("programmes:application_pdf", args=[world["app"].pk])).status_code == 404
    )
    seats = _get(user, "/api/v1/programmes/assignments/", api=True).json()
    rows = seats["results"] if isinstance(seats, dict) else seats
    assert rows == []


def test_pending_expert_sees_title_only_until_declaring(world):
    user, seat = world["users"]["pending"], world["seats"]["pending"]
    page = _get(user, reverse("programmes:assignment_detail", args=[seat.pk])).content.decode()
    assert 'data-testid="declare-form"' in page and world["app"].summary not in page


def test_bad_input_gives_field_messages_not_500(world):
    staff, expert = world["users"]["staff"], world["users"]["assigned"]
    client = Client()
    client.force_login(expert)
    seat = world["seats"]["assigned"]
    bad = client.post(
        reverse("programmes:assignment_detail", args=[seat.pk]), {"innovation": "abc", "team": "99"}
    )
    assert bad.status_code == 200 and "invalid-feedback" in bad.content.decode()
    client.force_login(staff)
    url = reverse("programmes:call_review", args=[world["call"].pk])
    for data in (
        {"action": "panel_decision", "application": "x"},
        {"action": "add_expert", "application": world["app"].pk, "expert": "zz"},
        {"action": "??"},
    ):
        assert client.post(url, data).status_code == 302
    client.force_login(world["users"]["applicant"])
    draft = make_application(world["call"], world["app"].enterprise)
    edit = client.post(
        reverse("programmes:application_edit", args=[draft.pk]),
        {
            "version": "x",
            "total_yuan": "-5",
            "kpis-TOTAL_FORMS": "1",
            "kpis-INITIAL_FORMS": "0",
            "kpis-0-baseline": "abc",
        },
    )
    assert edit.status_code == 200


def test_leader_reads_the_portfolio(world):
    assert _get(world["users"]["leader"], reverse("programmes:portfolio")).status_code == 200
    assert _get(world["users"]["leader"], reverse("programmes:project_list")).status_code == 403


def _post(user, url, data):
    client = Client()
    client.force_login(user)
    return client.post(url, data)


def test_staff_configure_a_call_as_a_draft_with_topics(world):
    from kechuang.programmes.models import Call, ProgrammeType

    staff = world["users"]["staff"]
    data = {
        "programme_type": ProgrammeType.objects.get(code="key_rd").pk,
        "year": "2025",
        "title": "测试指南",
        "guide": "指南正文",
        "opens_at": "2025-03-01T09:00",
        "closes_at": "2025-03-31T17:00",
        "total_budget_yuan": "1000000",
        "awards_expected": "3",
        "topics": "新材料：涂层 复合材料\n智能制造",
    }
    page = _post(staff, reverse("programmes:call_new"), data)
    call = Call.objects.get(title="测试指南")
    assert page.status_code == 302 and call.status == "draft"
    assert [(t.name, t.fields) for t in call.topics.all()] == [
        ("新材料", "涂层 复合材料"),
        ("智能制造", ""),
    ]
    assert call.history.count() == 1 and call.topics.first().history.count() == 1
    # Drafts are the bureau's: anonymous visitors and enterprises get a 404.
    assert _get(None, call.get_absolute_url()).status_code == 404
    assert _get(staff, call.get_absolute_url()).status_code == 200
    # Edit: a topic renamed, dates reversed → field messages, no 500.
    bad = _post(
        staff,
        reverse("programmes:call_edit", args=[call.pk]),
        {**data, "closes_at": "2025-02-01T09:00", "topics": "   "},
    )
    assert bad.status_code == 200
    assert "请至少填写一个申报方向" in bad.content.decode()
    assert Call.objects.get(pk=call.pk).closes_at.month == 3
    _post(staff, reverse("programmes:call_edit", args=[call.pk]), {**data, "topics": "智能制造"})
    assert [t.name for t in call.topics.all()] == ["智能制造"]
    # Nobody but the bureau configures calls.
    for who in ("applicant", "officer_a", "leader", "assigned"):
        assert _get(world["users"][who], reverse("programmes:call_new")).status_code == 403


def test_topic_in_use_cannot_be_dropped_and_closed_call_is_fixed(world):
    call, staff = world["call"], world["users"]["staff"]
    topic = call.topics.first()
    world["app"].topic = topic
    world["app"].save()
    data = {
        "programme_type": call.programme_type_id,
        "year": str(call.year),
        "title": call.title,
        "opens_at": "2025-03-01T09:00",
        "closes_at": "2025-03-31T17:00",
        "topics": "全新方向",
    }
    page = _post(staff, reverse("programmes:call_edit", args=[call.pk]), data)
    assert page.status_code == 200 and topic.name in page.content.decode()
    call.status = "closed"
    call.save()
    page = _post(staff, reverse("programmes:call_edit", args=[call.pk]), data)
    assert page.status_code == 200 and "只有草稿或正在受理的指南可以修改" in page.content.decode()


def test_due_reports_page_sends_reminders_for_staff_only(world):
    import datetime as dt
    from decimal import Decimal

    from kechuang.programmes.models import Notification, ProgressReport, Project

    app = world["app"]
    project = Project.objects.create(
        application=app, number="PT001", status="running", grant_yuan=Decimal(100000)
    )
    ProgressReport.objects.create(
        project=project, kind="mid_term", due_on=dt.date.today() - dt.timedelta(days=3)
    )
    url = reverse("programmes:due_reports")
    page = _get(world["users"]["applicant"], url)
    assert page.status_code == 200 and "PT001" in page.content.decode()
    assert "发送提醒" not in page.content.decode()
    assert _post(world["users"]["applicant"], url, {}).status_code == 403
    assert _post(world["users"]["staff"], url, {}).status_code == 302
    assert Notification.objects.filter(user=world["users"]["applicant"]).count() == 1
    _post(world["users"]["staff"], url, {})  # once per report and state
    assert Notification.objects.filter(user=world["users"]["applicant"]).count() == 1


def test_portfolio_rows_drill_down_to_their_projects(world):
    import re
    from decimal import Decimal

    from kechuang.programmes.models import Project, Tranche

    project = Project.objects.create(
        application=world["app"], number="PT777", status="running", grant_yuan=Decimal(300000)
    )
    Tranche.objects.create(
        project=project, seq=1, label="签约后拨付", share_pct=50, amount_yuan=150000, status="paid"
    )
    staff = world["users"]["staff"]
    for by in ("programme", "year", "town", "industry", "status"):
        page = _get(staff, reverse("programmes:portfolio") + f"?by={by}").content.decode()
        links = re.findall(r'href="(/programmes/projects/\?[^"]+)"', page)
        assert links, by
        listed = _get(staff, links[0].replace("&amp;", "&")).content.decode()
        assert "PT777" in listed, by
    page = _get(staff, reverse("programmes:portfolio")).content.decode()
    assert "重点研发专项" in page and "30.00" in page and "15.00" in page


def test_staff_record_an_investment_exit_on_the_project_page(world):
    import datetime as dt
    from decimal import Decimal

    from kechuang.programmes.models import Investment, Project

    project = Project.objects.create(application=world["app"], number="PT888", status="running")
    investment = Investment.objects.create(
        project=project,
        amount_yuan=Decimal(1_000_000),
        pre_money_yuan=Decimal(9_000_000),
        stake_pct=Decimal(10),
        invested_on=dt.date(2024, 7, 1),
    )
    url = project.get_absolute_url()
    staff = world["users"]["staff"]
    bad = {"action": "exit", "exited_on": "2024-01-01", "proceeds_yuan": "1200000"}
    assert _post(staff, url, bad).status_code == 302
    assert Investment.objects.get(pk=investment.pk).status == "holding"
    assert _post(world["users"]["applicant"], url, {**bad, "exited_on": "2026-07-01"}).status_code
    assert Investment.objects.get(pk=investment.pk).status == "holding"
    _post(staff, url, {**bad, "exited_on": "2026-07-01"})
    investment.refresh_from_db()
    assert investment.status == "exited" and investment.exit_proceeds_yuan == Decimal(1_200_000)
    assert "120.00" in _get(staff, reverse("programmes:investments")).content.decode()


def test_staff_record_an_investment_with_milestone_tranches(world):
    from kechuang.programmes.models import Investment, Project

    project = Project.objects.create(application=world["app"], number="PT889", status="running")
    url = project.get_absolute_url()
    staff = world["users"]["staff"]
    post = {
        "action": "invest",
        "amount_yuan": "3000000",
        "pre_money_yuan": "27000000",
        "invested_on": "2025-03-01",
        "exit_kind": "buyback",
        "milestones": "完成中试,1000000\n量产,2000001",
    }
    _post(staff, url, post)  # the tranches exceed the amount: refused, nothing written
    assert not Investment.objects.filter(project=project).exists()
    _post(staff, url, {**post, "milestones": "完成中试,1000000\n量产,2000000"})
    investment = Investment.objects.get(project=project)
    assert [m["label"] for m in investment.milestones] == ["完成中试", "量产"]
    page = _get(staff, url).content.decode()
    assert "完成中试 100.00 万元" in page and "量产 200.00 万元" in page


def test_acceptance_panel_seated_with_the_conflict_rules(world):
    from decimal import Decimal

    from kechuang.programmes.models import Project

    project = Project.objects.create(
        application=world["app"], number="PT999", status="running", grant_yuan=Decimal(100000)
    )
    url = project.get_absolute_url()
    assert _post(world["users"]["applicant"], url, {"action": "acceptance_panel"})
    assert not world["app"].assignments.filter(stage="acceptance").exists()
    _post(world["users"]["staff"], url, {"action": "acceptance_panel"})
    seated = set(
        world["app"].assignments.filter(stage="acceptance").values_list("expert_id", flat=True)
    )
    assert seated and world["seats"]["conflicted"].expert_id not in seated
    page = _get(world["users"]["staff"], url).content.decode()
    seat = world["app"].assignments.filter(stage="acceptance").select_related("expert").first()
    assert seat.expert.name in page


def test_mark_the_call_decided_is_the_calls_own_step(world):
    """ "Mark as decided" moves the call; it is not read as an application's panel decision."""
    call = world["call"]
    call.status = "under_review"
    call.save()
    url = reverse("programmes:call_review", args=[call.pk])
    assert _post(world["users"]["staff"], url, {"action": "decide"}).status_code == 302
    call.refresh_from_db()
    assert call.status == "decided"
