"""Review-assigned reminders (docs/notifications.md#kinds): to the expert of a seat not yet
declared on, once per seat; experts without an account are skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.experts.tests.factories import make_expert
from kechuang.notifications.models import Notification
from kechuang.notifications.services import run_daily
from kechuang.programmes.models import ReviewAssignment
from kechuang.programmes.reminders import REVIEW_ASSIGNED

from .factories import make_application, make_call

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


def test_review_assigned_to_the_expert_once():
    user = make_user(Role.EXPERT)
    with_account, without = make_expert(user=user), make_expert()
    application = make_application(make_call(), make_enterprise(), status="submitted")
    ReviewAssignment.objects.bulk_create(
        [
            ReviewAssignment(application=application, expert=with_account),
            ReviewAssignment(application=application, expert=without),
        ]
    )
    assert run_daily(TODAY)[REVIEW_ASSIGNED] == 1
    assert run_daily(TODAY)[REVIEW_ASSIGNED] == 0
    note = Notification.objects.get(kind=REVIEW_ASSIGNED)
    assert note.recipient_id == user.pk and "/programmes/review/" in note.link
    ReviewAssignment.objects.update(status="declared")
    Notification.objects.all().delete()
    assert run_daily(TODAY)[REVIEW_ASSIGNED] == 0
