"""Browser test: reserve pool → enterprise → what-if slider flips a tier; the enterprise's own
self-assessment only (Playwright in Debian's Chromium against pytest-django's live server)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.qualifications.services import assessment_run_create

from .builders import YEAR, figures, ip

PASSWORD = "pw-123456"


@pytest.fixture
def pilot(transactional_db):
    """An enterprise whose tech-SME score is 42 (staff 12 + IP 30, no R&D): 40 万元 of R&D
    (4 % of sales → 30 points) lifts it to 72."""
    town = make_town("试点镇")
    pilot = make_enterprise(
        town=town, name="试点科技有限公司", registration_date=dt.date(2015, 1, 1)
    )
    other = make_enterprise(town=town, name="邻居有限公司", registration_date=dt.date(2015, 1, 1))
    zero = {
        "rd_hnte_total": Decimal("0.00"),
        "rd_hnte_domestic": Decimal("0.00"),
        "rd_deduction_scope": Decimal("0.00"),
    }
    for y in (2022, 2023, 2024):
        figures(pilot, y, **zero)
        figures(other, y)
    ip(pilot, "invention_patent", 1)
    assessment_run_create(year=YEAR)
    staff = make_user(Role.BUREAU_STAFF, username="e2e-staff", password=PASSWORD)
    owner = make_user(Role.ENTERPRISE, enterprise=pilot, username="e2e-owner", password=PASSWORD)
    return {"pilot": pilot, "other": other, "staff": staff, "owner": owner}


@pytest.fixture
def session(browser_session):
    """A browser session of the shared browser fixtures (tests/e2e/browser.py)."""
    return browser_session("qualifications", viewport={"width": 1400, "height": 1000}, locale=None)


def test_whatif_slider_flips_the_status_and_the_owner_sees_only_its_own(
    session, live_server, pilot
):
    base = live_server.url
    page = session.page
    session.login("e2e-staff", PASSWORD)
    page.goto(f"{base}/qualifications/reserve/?year={YEAR}&q=试点")
    page.get_by_test_id("reserve-enterprise").first.click()
    page.wait_for_load_state("networkidle")
    tier = page.get_by_test_id("tier-tech_sme_national")
    assert "试点科技有限公司" in page.locator("h2.page-title").inner_text()
    assert page.get_by_test_id("cond-tech_sme_national-C5").get_attribute("data-status") == "fail"

    # Declarations the registry does not hold, then the R&D slider past the 3–4 % band.
    for name, answer in [
        ("not_prohibited", "yes"),
        ("no_incidents", "yes"),
        ("credit_clean", "yes"),
        ("national_award", "no"),
        ("led_standard", "no"),
    ]:
        page.get_by_test_id(f"decl-{name}").select_option(answer)
    page.wait_for_selector('[data-testid="tier-tech_sme_national"][data-status="fail"]')
    page.get_by_test_id("slider-rd").fill("40")
    page.wait_for_selector('[data-testid="tier-tech_sme_national"][data-status="pass"]')
    assert tier.get_by_test_id("tier-tech_sme_national-score").inner_text() == "72"
    assert page.get_by_test_id("whatif-note").is_visible()
    session.shot("whatif-flipped")

    # The enterprise itself: its own self-assessment, nobody else's, no reserve pool.
    page.context.clear_cookies()
    session.login("e2e-owner", PASSWORD)
    own = page.goto(f"{base}/qualifications/enterprise/{pilot['pilot'].pk}/?year={YEAR}")
    assert own.status == 200 and "试点科技有限公司" in page.locator("h2.page-title").inner_text()
    assert page.goto(f"{base}/qualifications/enterprise/{pilot['other'].pk}/").status == 404
    assert page.goto(f"{base}/qualifications/reserve/").status == 403
