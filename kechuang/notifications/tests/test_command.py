"""`kechuang notify --date`: runs every generator; twice adds nothing; bad dates refused."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.notifications.models import Notification
from kechuang.notifications.tasks import notify_daily

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db


def test_notify_command_twice_creates_once(test_kind):
    user = make_user(Role.EXPERT)
    test_kind.append(([user.pk], "x"))
    out = StringIO()
    call_command("notify", "--date", "2026-12-01", stdout=out)
    assert f"{TEST_KIND}\t测试\t1" in out.getvalue()
    call_command("notify", "--date", "2026-12-01", stdout=StringIO())
    notify_daily.enqueue(day="2026-12-02")  # the immediate backend of the tests
    assert Notification.objects.filter(recipient=user).count() == 1
    with pytest.raises(CommandError):
        call_command("notify", "--date", "01/12/2026")
