"""Certificate-expiry and tech-SME filing reminders (docs/notifications.md#kinds): the window's
boundaries to the day, the recipients (the enterprise's users and its town officer, nobody
else), renewed certificates, and a second run adding nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.models import Qualification
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.notifications.models import Notification
from kechuang.notifications.services import rule_update, run_daily
from kechuang.qualifications.reminders import CERTIFICATE_EXPIRY, TECH_SME_FILING

pytestmark = pytest.mark.django_db
EXPIRY = dt.date(2027, 6, 1)


@pytest.fixture
def world():
    town_a, town_b = make_town("甲镇"), make_town("乙镇")
    a1, a2 = make_enterprise(town=town_a), make_enterprise(town=town_a)
    b1 = make_enterprise(town=town_b)
    people = {
        "user_a1": make_user(Role.ENTERPRISE, enterprise=a1),
        "user_a2": make_user(Role.ENTERPRISE, enterprise=a2),
        "user_b1": make_user(Role.ENTERPRISE, enterprise=b1),
        "officer_a": make_user(Role.TOWN_OFFICER, town=town_a),
        "officer_b": make_user(Role.TOWN_OFFICER, town=town_b),
        "staff": make_user(Role.BUREAU_STAFF),
    }
    certificate = Qualification.objects.create(
        enterprise=a1,
        kind="high_tech",
        year=2024,
        number="GR202433000001",
        issue_date=dt.date(2024, 6, 2),
        expiry_date=EXPIRY,
    )
    return {"a1": a1, "a2": a2, "b1": b1, "certificate": certificate, **people}


def _recipients(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_expiry_from_exactly_n_months_before_to_the_day(world):
    run_daily(dt.date(2026, 11, 30))  # 6 months and a day before
    assert _recipients(CERTIFICATE_EXPIRY) == set()
    created = run_daily(dt.date(2026, 12, 1))  # exactly 6 months before
    assert created[CERTIFICATE_EXPIRY] == 2
    assert _recipients(CERTIFICATE_EXPIRY) == {world["user_a1"].pk, world["officer_a"].pk}
    note = Notification.objects.filter(kind=CERTIFICATE_EXPIRY).first()
    assert "2027-06-01" in note.title and note.link.endswith(f"/{world['a1'].pk}/")
    assert run_daily(dt.date(2026, 12, 1))[CERTIFICATE_EXPIRY] == 0  # twice → once
    assert run_daily(EXPIRY)[CERTIFICATE_EXPIRY] == 0  # same certificate, same date


def test_expiry_day_itself_and_after(world):
    assert run_daily(EXPIRY)[CERTIFICATE_EXPIRY] == 2
    Notification.objects.all().delete()
    assert run_daily(EXPIRY + dt.timedelta(days=1))[CERTIFICATE_EXPIRY] == 0


def test_lead_is_the_bureau_setting(world):
    rule_update(CERTIFICATE_EXPIRY, enabled=True, lead=3, email=False)
    assert run_daily(dt.date(2026, 12, 1))[CERTIFICATE_EXPIRY] == 0
    assert run_daily(dt.date(2027, 3, 1))[CERTIFICATE_EXPIRY] == 2


def test_renewed_or_revoked_certificates_are_not_reminded(world):
    Qualification.objects.create(
        enterprise=world["a1"],
        kind="high_tech",
        year=2027,
        issue_date=dt.date(2027, 5, 1),
        expiry_date=dt.date(2030, 4, 30),
    )
    assert run_daily(dt.date(2027, 5, 15))[CERTIFICATE_EXPIRY] == 0
    Qualification.objects.filter(year=2027).delete()
    Qualification.objects.filter(pk=world["certificate"].pk).update(status="revoked")
    assert run_daily(dt.date(2027, 5, 15))[CERTIFICATE_EXPIRY] == 0


def test_tech_sme_filing_window(world):
    for enterprise, year in ((world["b1"], 2025), (world["a2"], 2025), (world["a2"], 2026)):
        Qualification.objects.create(
            enterprise=enterprise,
            kind="national_tech_sme",
            year=year,
            issue_date=dt.date(year, 3, 20),
        )
    assert run_daily(dt.date(2026, 2, 28))[TECH_SME_FILING] == 0  # 31 days before
    assert run_daily(dt.date(2026, 3, 1))[TECH_SME_FILING] == 1  # exactly 30 days before
    assert _recipients(TECH_SME_FILING) == {world["user_b1"].pk}
    assert run_daily(dt.date(2026, 3, 31))[TECH_SME_FILING] == 0  # once a year
    Notification.objects.all().delete()
    assert run_daily(dt.date(2026, 4, 1))[TECH_SME_FILING] == 0
