"""Every workbench to-do equals the list it links to, for every role (docs/workbench.md#to-dos).

The shared cast (every role, one object of each kind in its scope) plus one record waiting in
each queue: a checked import, yearly-figure submissions at each review step, an overdue
task of the town officer, a high-tech certificate ending in two months in town A and one in
town B, a contract accepted a while ago. For each role, the card's count is compared with the
rows of the page its link opens (with the client, as the user).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from kechuang.campaigns.choices import SubmissionStatus as RDStatus
from kechuang.campaigns.models import VisitTask
from kechuang.core.tests.cast import ROLE_NAMES
from kechuang.enterprises.choices import SubmissionStatus
from kechuang.enterprises.models import FigureSubmission, Qualification
from kechuang.imports.models import ImportBatch, ImportStatus
from kechuang.programmes.choices import AssignmentStatus
from kechuang.workbench.todos import todos_for

ROLES = [r for r in ROLE_NAMES if r != "anonymous"]


def _certificate(enterprise, today: dt.date) -> Qualification:
    issued = today.replace(year=today.year - 3) + dt.timedelta(days=60)
    return Qualification(
        enterprise=enterprise,
        kind="high_tech",
        year=issued.year,
        batch=f"{issued.year}-1",
        issue_date=issued,
        expiry_date=issued.replace(year=issued.year + 3) - dt.timedelta(days=1),
    )


@pytest.fixture(scope="module")
def world(cast, django_db_blocker):
    """The cast with one record waiting in each queue (undone at the module's end)."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            o, u = cast.objects, cast.users
            today = dt.date.today()
            a1 = o["enterprise"]
            b1 = type(a1).objects.exclude(town=a1.town).order_by("pk").first()
            ImportBatch.objects.bulk_create(
                [
                    ImportBatch(
                        entity=o["batch"].entity,
                        file_name="已检查.xlsx",
                        status=ImportStatus.VALIDATED,
                        file="imports/x.xlsx",
                        created_by=u["staff"],
                    )
                ]
            )
            FigureSubmission.objects.bulk_create(
                [
                    FigureSubmission(enterprise=a1, year=2022, status=SubmissionStatus.SUBMITTED),
                    FigureSubmission(enterprise=b1, year=2022, status=SubmissionStatus.SUBMITTED),
                    FigureSubmission(enterprise=a1, year=2020, status=SubmissionStatus.TOWN_PASSED),
                    FigureSubmission(enterprise=a1, year=2021, status=SubmissionStatus.RETURNED),
                    FigureSubmission(enterprise=b1, year=2021, status=SubmissionStatus.RETURNED),
                ]
            )
            VisitTask.objects.filter(pk=o["task"].pk).update(
                due_date=today - dt.timedelta(days=3), assignee=u["officer"]
            )
            Qualification.objects.bulk_create([_certificate(a1, today), _certificate(b1, today)])
            yield cast
            transaction.set_rollback(True)


def _rows(code: str, context) -> int:
    """The number of rows the page behind to-do `code` shows."""
    if code == "imports_waiting":
        return len(context["batches"])
    if code in ("submissions_review", "returned_submissions"):
        return context["page"].paginator.count
    if code == "certificates_expiring":
        return context["expiring6"]
    if code == "failed_tier":
        return context["holders"].paginator.count if context["holders"] else 0
    if code == "zero_rd_untasked":
        return context["total"]
    if code == "platform_reports_review":
        return sum(r.submitted for r in context["rounds"])
    if code == "platform_reports_to_fill":
        done = {"submitted", "accepted"}
        return sum(1 for _r, _p, rep in context["mine"] if rep is None or rep.status not in done)
    if code == "programme_reports_due":
        return len(context["reports"])
    if code == "rd_submissions_pending":
        return sum(1 for s in context["submissions"] if s.status == RDStatus.PENDING)
    if code == "review_seats":
        waiting = {AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED}
        return sum(1 for s in context["seats"] if s.status in waiting)
    return context["table"].paginator.count


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_card_equals_the_list_it_links_to(world, role):
    user = world.users[role]
    client = Client()
    client.force_login(user)
    page = client.get("/workbench/")
    assert page.status_code == 200
    cards = page.context["todos"]
    assert [c["code"] for c in cards] == [t["code"] for t in todos_for(user)]
    for card in cards:
        response = client.get(card["url"])
        assert response.status_code == 200, (role, card["url"])
        assert card["count"] == _rows(card["code"], response.context), (role, card)
        assert f'href="{card["url"].replace("&", "&amp;")}"' in page.content.decode()


@pytest.mark.django_db
def test_the_queues_of_the_bureau_are_not_empty(world):
    counts = {t["code"]: t["count"] for t in todos_for(world.users["staff"])}
    for code in (
        "imports_waiting",
        "submissions_review",
        "tasks_overdue",
        "certificates_expiring",
        "objections_open",
        "programme_reports_due",
    ):
        assert counts[code] >= 1, code
    assert counts["certificates_expiring"] == 2  # both towns
    # The bureau's step: those passed by the town.
    passed = FigureSubmission.objects.filter(status=SubmissionStatus.TOWN_PASSED).count()
    assert counts["submissions_review"] == passed


@pytest.mark.django_db
def test_scoping_town_and_enterprise(world):
    officer = {t["code"]: t["count"] for t in todos_for(world.users["officer"])}
    assert officer["certificates_expiring"] == 1  # town A's only
    assert officer["my_tasks_overdue"] == 1
    submitted = FigureSubmission.objects.filter(status=SubmissionStatus.SUBMITTED)
    town_a = world.objects["enterprise"].town
    # The town's step, town A's only (town B's submitted one is not counted).
    assert officer["submissions_review"] == submitted.filter(enterprise__town=town_a).count()
    assert 1 <= officer["submissions_review"] < submitted.count()
    assert "imports_waiting" not in officer and "objections_open" not in officer
    own = {t["code"]: t["count"] for t in todos_for(world.users["enterprise"])}
    assert own == {
        "returned_submissions": 1,
        "rd_submissions_pending": own["rd_submissions_pending"],
    }
    assert todos_for(world.users["leader"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_api_returns_the_same_todos(world, role):
    user = world.users[role]
    api = APIClient()
    api.force_authenticate(user)
    response = api.get("/api/v1/workbench/")
    assert response.status_code == 200
    expected = [{k: t[k] for k in ("code", "label", "count", "url")} for t in todos_for(user)]
    assert response.json() == expected


@pytest.mark.django_db
def test_api_refuses_anonymous():
    assert APIClient().get("/api/v1/workbench/").status_code in (401, 403)
