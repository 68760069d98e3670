"""Delivering notifications: once per recipient and key, mutes, rules off, inactive users,
e-mail when configured, the daily job idempotent, marking read only one's own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.notifications import selectors, services
from kechuang.notifications.models import Notification, NotificationRule, UserMute

from .conftest import TEST_KIND

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def users():
    return [make_user(Role.ENTERPRISE, email=f"u{i}@example.org") for i in range(3)]


def test_notify_twice_stores_once(test_kind, users):
    assert services.notify(users[:2], TEST_KIND, "k1", "标题", "正文", "/x/") == 2
    assert services.notify(users, TEST_KIND, "k1", "标题", "正文", "/x/") == 1
    assert Notification.objects.filter(kind=TEST_KIND).count() == 3
    assert services.notify(users, TEST_KIND, "k2", "标题") == 3


def test_muted_user_and_disabled_rule_get_nothing(test_kind, users):
    services.mutes_set(users[0], [TEST_KIND])
    assert services.notify(users, TEST_KIND, "k", "t") == 2
    assert not Notification.objects.filter(recipient=users[0]).exists()
    services.rule_update(TEST_KIND, enabled=False, lead=3, email=False)
    assert services.notify(users, TEST_KIND, "k2", "t") == 0


def test_inactive_users_get_nothing(test_kind, users):
    users[1].is_active = False
    users[1].save()
    assert services.notify(users, TEST_KIND, "k", "t") == 2


def test_email_only_when_the_rule_says_so(test_kind, users):
    services.notify(users[:1], TEST_KIND, "quiet", "t")
    assert mail.outbox == []
    services.rule_update(TEST_KIND, enabled=True, lead=3, email=True)
    services.notify(users[:2], TEST_KIND, "loud", "到期提醒", "正文", "/x/")
    assert sorted(m.to[0] for m in mail.outbox) == ["u0@example.org", "u1@example.org"]
    assert mail.outbox[0].subject == "到期提醒"
    emailed = Notification.objects.filter(key=f"{TEST_KIND}:loud")
    assert all(n.emailed_at for n in emailed)
    assert not Notification.objects.get(key=f"{TEST_KIND}:quiet").emailed_at


def test_email_not_sent_without_mail_settings(test_kind, users, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    services.rule_update(TEST_KIND, enabled=True, lead=3, email=True)
    assert services.notify(users[:1], TEST_KIND, "k", "t") == 1
    assert mail.outbox == []


def test_daily_job_is_idempotent(test_kind, users):
    test_kind.append(([users[0].pk, users[1].pk], "a"))
    first = services.run_daily(TODAY)
    assert first[TEST_KIND] == 2
    assert services.run_daily(TODAY)[TEST_KIND] == 0
    test_kind.append(([users[2].pk], "b"))
    assert services.run_daily(TODAY + dt.timedelta(days=1))[TEST_KIND] == 1
    assert Notification.objects.count() == 3


def test_rules_are_created_with_the_kind_defaults_and_audited(test_kind, users):
    rule = services.rules_ensure()[TEST_KIND]
    assert (rule.enabled, rule.lead, rule.email) == (True, 3, False)
    services.rule_update(TEST_KIND, enabled=True, lead=5, email=True, user=users[0])
    history = NotificationRule.history.filter(kind=TEST_KIND).order_by("history_date")
    assert [h.lead for h in history] == [3, 5]
    assert history.last().history_user == users[0]


def test_mutes_set_replaces_and_records(test_kind, users):
    services.mutes_set(users[0], [TEST_KIND, "unknown"])
    assert selectors.muted_kinds(users[0]) == {TEST_KIND}
    services.mutes_set(users[0], [])
    assert not UserMute.objects.filter(user=users[0]).exists()
    assert UserMute.history.filter(user_id=users[0].pk).count() == 2  # added, removed


def test_mark_read_touches_only_ones_own(test_kind, users):
    services.notify(users[:2], TEST_KIND, "k", "t")
    theirs = Notification.objects.get(recipient=users[1])
    assert services.mark_read(users[0], [theirs.pk]) == 0
    assert selectors.unread_count(users[1]) == 1
    assert services.mark_read(users[0]) == 1
    assert selectors.unread_count(users[0]) == 0
    assert selectors.latest_for(users[1], 5) == [theirs]
