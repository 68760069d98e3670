"""Notifications in the browser, one whole flow: the daily job's certificate-expiry reminder of
the demo enterprise's high-tech certificate appears in the bell and the list of the enterprise
user and of its town's officer, and not for another enterprise's user nor another town's
officer; marking it read (htmx) lowers the bell's count; the settings and rules pages."""

from __future__ import annotations

import datetime as dt

from kechuang.accounts.services import user_create
from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise, Qualification
from kechuang.notifications.services import deliver, rules_ensure
from kechuang.qualifications.reminders import CERTIFICATE_EXPIRY, certificate_expiry

from .conftest import number_in


def _titles(s) -> str:
    s.goto("/notifications/", "list")
    return s.page.get_by_test_id("notification-list").inner_text()


def test_certificate_expiry_reaches_the_enterprise_and_its_town_only(open_session, demo_region):
    own = Enterprise.objects.get(pk=demo_region.own_enterprise_id)
    certificate = (
        Qualification.objects.filter(enterprise=own, kind="high_tech", expiry_date__isnull=False)
        .order_by("-issue_date")
        .first()
    )
    assert certificate is not None, "the demo's enterprise user holds a high-tech certificate"
    # The daily job of the day one month before that certificate's last day of validity.
    day = certificate.expiry_date - dt.timedelta(days=30)
    rule = rules_ensure()[CERTIFICATE_EXPIRY]
    deliver(CERTIFICATE_EXPIRY, certificate_expiry(rule, day), rule=rule)
    other = Enterprise.objects.get(pk=demo_region.other_town_enterprise_id)
    user_create(
        username="notify_other",
        password=demo_region.password,
        role=Role.ENTERPRISE,
        display_name="另一企业用户",
        enterprise=other,
    )
    mark = f"{own.name}"
    expiry = certificate.expiry_date.isoformat()

    e = open_session("enterprise")
    bell = e.page.get_by_test_id("notification-count")
    before = number_in(bell.inner_text())
    assert before >= 1
    e.goto("/notifications/?state=unread", "unread")
    row = e.page.get_by_test_id("notification").filter(has_text=mark).filter(has_text=expiry)
    assert row.count() == 1
    assert "证书" in row.inner_text()
    row.get_by_test_id("mark-read").click()
    e.page.get_by_test_id("notification").filter(has_text=mark).filter(
        has_text=expiry
    ).get_by_test_id("mark-read").wait_for(state="detached")
    count = e.page.get_by_test_id("notification-count")
    assert (number_in(count.inner_text()) if count.is_visible() else 0) == before - 1
    e.shot("after-mark-read")
    e.goto("/notifications/settings/", "settings")
    assert e.page.get_by_test_id(f"kind-{CERTIFICATE_EXPIRY}").is_visible()

    town = open_session("town")
    assert mark in _titles(town) and expiry in _titles(town)

    for username in ("notify_other", "town02"):
        s = open_session(username)
        text = _titles(s)
        assert not (mark in text and expiry in text), username

    admin = open_session("admin")
    admin.goto("/notifications/rules/", "rules")
    assert admin.page.get_by_test_id(f"rule-{CERTIFICATE_EXPIRY}").is_visible()
