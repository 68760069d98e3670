"""The programme objects of the shared access-matrix cast (kechuang.core.tests.cast): an open
call, A1's submitted application with the cast expert seated on it (declaration pending), a
running project with a tranche and a due report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..choices import ApplicationStatus, ProjectStatus, ReportKind
from ..models import ProgressReport, Project, ReviewAssignment, Tranche
from .factories import make_application, make_call

__all__ = ["build_programmes_cast"]


def build_programmes_cast(users: dict, objects: dict) -> dict:
    call = make_call()
    application = make_application(call, objects["enterprise"], status=ApplicationStatus.SUBMITTED)
    expert = objects.get("expert_record")  # from the experts cast
    seat = (
        ReviewAssignment.objects.create(application=application, expert=expert) if expert else None
    )
    won = make_application(
        call, objects["enterprise"], status=ApplicationStatus.APPROVED, title="已立项项目"
    )
    project = Project.objects.create(
        application=won,
        number="PCAST001",
        status=ProjectStatus.RUNNING,
        grant_yuan=Decimal(400_000),
        starts_on=dt.date.today() - dt.timedelta(days=30),
        ends_on=dt.date.today() + dt.timedelta(days=700),
    )
    Tranche.objects.create(
        project=project, seq=1, label="签约后拨付", share_pct=50, amount_yuan=Decimal(200_000)
    )
    report = ProgressReport.objects.create(
        project=project, kind=ReportKind.MID_TERM, due_on=dt.date.today() + dt.timedelta(days=10)
    )
    return {
        "programme_type": call.programme_type,
        "programme_call": call,
        "programme_application": application,
        "programme_seat": seat,
        "programme_project": project,
        "programme_report": report,
    }
