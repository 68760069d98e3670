"""Browser test: reserve pool → enterprise → what-if slider flips a tier; the enterprise's own
self-assessment only (Playwright in Debian's Chromium against pytest-django's live server)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.qualifications.services import assessment_run_create

from .builders import YEAR, figures, ip

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
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
def page():
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(15_000)
        yield page
        browser.close()


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_whatif_slider_flips_the_status_and_the_owner_sees_only_its_own(page, live_server, pilot):
    base = live_server.url
    _login(page, base, "e2e-staff")
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
    page.screenshot(path=str(_artifact("whatif-flipped.png")), full_page=True)

    # The enterprise itself: its own self-assessment, nobody else's, no reserve pool.
    page.context.clear_cookies()
    _login(page, base, "e2e-owner")
    own = page.goto(f"{base}/qualifications/enterprise/{pilot['pilot'].pk}/?year={YEAR}")
    assert own.status == 200 and "试点科技有限公司" in page.locator("h2.page-title").inner_text()
    assert page.goto(f"{base}/qualifications/enterprise/{pilot['other'].pk}/").status == 404
    assert page.goto(f"{base}/qualifications/reserve/").status == 403


def _artifact(name):
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.BASE_DIR) / "test-artifacts" / "screens"
    path.mkdir(parents=True, exist_ok=True)
    return path / f"qualifications-{name}"
