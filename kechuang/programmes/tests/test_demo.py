"""The demo step on a small registry: 15 key R&D projects noticed in 2024 (the figure counts
the notice items), one objection handled, running projects with paid tranches, one 拨改投
investment, two open 2025 calls, the demo expert seated and conflicted; a second run adds
nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise, Qualification
from kechuang.enterprises.tests.factories import make_credit_code, make_town, make_user
from kechuang.experts.tests.factories import make_expert
from kechuang.notices.models import Objection
from kechuang.programmes.choices import CallStatus, ProjectStatus, TrancheStatus
from kechuang.programmes.demo import programmes_demo
from kechuang.programmes.models import (
    Application,
    Call,
    ConflictRecord,
    Investment,
    Project,
    ReviewAssignment,
    Tranche,
)
from kechuang.programmes.selectors import programme_figures

pytestmark = pytest.mark.django_db


def test_demo_step(django_capture_on_commit_callbacks):
    town = make_town("浒山街道")
    enterprises = Enterprise.objects.bulk_create(
        Enterprise(
            credit_code=make_credit_code(9000 + i),
            name=f"演示企业{i}",
            industry_code="3411",
            town=town,
        )
        for i in range(32)
    )
    Qualification.objects.bulk_create(
        Qualification(
            enterprise=e,
            kind="high_tech",
            year=2023,
            issue_date=dt.date(2023, 12, 1),
            expiry_date=dt.date(2026, 11, 30),
        )
        for e in enterprises
    )
    make_user(Role.BUREAU_STAFF, username="staff")
    make_user(Role.ENTERPRISE, username="enterprise", enterprise=enterprises[-1])
    for _i in range(8):
        make_expert(summary="电池 储能 智能制造 材料")
    make_expert(user=make_user(Role.EXPERT, username="expert"))
    with django_capture_on_commit_callbacks(execute=True):
        created = programmes_demo(generated=True)
    assert created > 20
    assert programme_figures(2024)["key_rd_projects_noticed"] == 15
    assert Objection.objects.filter(status="dismissed").count() == 1
    assert Project.objects.filter(status=ProjectStatus.RUNNING).count() >= 12
    assert Tranche.objects.filter(status=TrancheStatus.PAID).exists()
    assert Investment.objects.count() == 1
    assert Call.objects.filter(status=CallStatus.OPEN, year=2025).count() == 2
    assert ReviewAssignment.objects.filter(expert__user__username="expert").exists()
    assert ConflictRecord.objects.filter(expert__user__username="expert").count() == 1
    assert Application.objects.filter(enterprise=enterprises[-1], status="draft").exists()
    before = Application.objects.count()
    assert programmes_demo(generated=False) == 0
    assert Application.objects.count() == before
