"""Submission-returned notifications (docs/notifications.md#submission-returned): the
enterprise's users and the submitter, once per return, with the reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kechuang.core.roles import Role
from kechuang.enterprises.models import FigureSubmission
from kechuang.enterprises.reminders import SUBMISSION_RETURNED, notify_submission_returned
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_returned_submission_notifies_the_enterprise_once_per_return():
    enterprise, other = make_enterprise(), make_enterprise()
    user, colleague = (make_user(Role.ENTERPRISE, enterprise=enterprise) for _ in range(2))
    outsider = make_user(Role.ENTERPRISE, enterprise=other)
    submission = FigureSubmission.objects.create(
        enterprise=enterprise,
        year=2025,
        status="returned",
        reason="研发费用合计与分项不符",
        submitted_by=user,
        reviewed_at=timezone.now(),
    )
    assert notify_submission_returned(submission, link="/x/") == 2
    assert notify_submission_returned(submission, link="/x/") == 0
    rows = Notification.objects.filter(kind=SUBMISSION_RETURNED)
    assert set(rows.values_list("recipient_id", flat=True)) == {user.pk, colleague.pk}
    assert outsider.pk not in set(rows.values_list("recipient_id", flat=True))
    assert "研发费用合计与分项不符" in rows.first().body
    submission.reviewed_at = timezone.now() + dt.timedelta(minutes=5)  # a second return
    assert notify_submission_returned(submission) == 2
