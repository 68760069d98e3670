"""Browser story (Playwright in Debian's Chromium against the live server): bureau staff turn
the zero-R&D list into a visit campaign (after a confirm step), the town officer records a visit, and the
coverage page moves. Screenshots go to test-artifacts/screens/ for reviewing the pages by eye."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from kechuang.campaigns.models import Campaign, VisitTask

from .factories import YEAR, make_world

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the ORM
# calls the test makes between browser steps.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = Path(settings.BASE_DIR) / "test-artifacts" / "screens"
PASSWORD = "pw-123456"


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Session:
    def __init__(self, browser, base_url, username):
        self.context = browser.new_context(
            base_url=base_url, viewport={"width": 1400, "height": 900}, locale="zh-CN"
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.name = f"campaigns-{username}"
        self.shots = 0
        self.errors: list[str] = []
        self.page.on(
            "response",
            lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
        )
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.goto("/accounts/login/")
        form = self.page.get_by_test_id("login-form")
        form.locator("input[name=username]").fill(username)
        form.locator("input[name=password]").fill(PASSWORD)
        with self.page.expect_navigation():
            form.locator("button[type=submit]").click()
        assert "/accounts/login/" not in self.page.url

    def goto(self, path, label):
        response = self.page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        self.shot(label)

    def shot(self, label):
        self.shots += 1
        SCREENS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", label)
        self.page.screenshot(
            path=SCREENS / f"{self.name}-{self.shots:02d}-{safe}.png", full_page=True
        )


def _coverage(session, town_name) -> dict[str, int]:
    row = session.page.get_by_test_id("coverage-town").locator("tbody tr", has_text=town_name)
    return {
        col: int(row.locator(f"td[data-col={col}]").inner_text().strip())
        for col in ("targets", "visited", "closed")
    }


def test_zero_rd_list_to_campaign_to_visit_to_coverage(live_server, browser, transactional_db):
    w = make_world()
    sessions = []

    # Bureau staff: the zero-R&D list → "create visit tasks for these" → the new campaign.
    staff = Session(browser, live_server.url, "staffer")
    sessions.append(staff)
    staff.goto(f"/rnd/zero/?year={YEAR}", "zero-rd-list")
    with staff.page.expect_navigation():
        staff.page.get_by_test_id("create-visits").locator("button").click()
    # The confirm step: nothing is created yet; it names the count and asks for the details.
    staff.shot("campaign-confirm")
    assert not Campaign.objects.exists()
    confirm = staff.page.get_by_test_id("campaign-confirm-form")
    confirm.locator("textarea[name=description]").fill("逐家上门，核实研发费用归集情况")
    with staff.page.expect_navigation():
        staff.page.get_by_test_id("confirm-create").click()
    staff.shot("campaign-created")
    campaign = Campaign.objects.get()
    assert staff.page.url.endswith(campaign.get_absolute_url())
    assert campaign.kind == "zero_declaration" and campaign.year == YEAR
    assert set(campaign.tasks.values_list("enterprise_id", flat=True)) == {
        w.a1.pk, w.b1.pk, w.b2.pk, w.c1.pk,
    }  # fmt: skip
    assert staff.page.get_by_test_id("task-table").locator("tbody tr").count() == 4

    # The town officer sees only the task of their town, records a visit, coverage moves.
    officer = Session(browser, live_server.url, "officer_a")
    sessions.append(officer)
    officer.goto(f"/campaigns/coverage/?campaign={campaign.pk}", "coverage-before")
    assert _coverage(officer, "甲镇") == {"targets": 1, "visited": 0, "closed": 0}
    officer.goto("/campaigns/tasks/", "my-tasks")
    rows = officer.page.get_by_test_id("task-table").locator("tbody tr")
    assert rows.count() == 1 and "企业A1" in rows.first.inner_text()
    with officer.page.expect_navigation():
        rows.first.locator("a").first.click()
    officer.shot("task")
    form = officer.page.get_by_test_id("visit-form")
    form.locator("input[name=visit_date]").fill(dt.date.today().isoformat())
    form.locator("input[name=people_met]").fill("财务总监 王某")
    form.locator("textarea[name=findings]").fill("有研发活动，研发费用未单独归集。")
    form.locator("textarea[name=agreed_actions]").fill("建立研发费用辅助账。")
    form.locator("select[name=outcome]").select_option("closed")
    with officer.page.expect_navigation():
        officer.page.get_by_test_id("save-visit").click()
    officer.shot("visit-recorded")
    assert officer.page.get_by_test_id("visit-record").count() == 1
    assert VisitTask.objects.get(campaign=campaign, enterprise=w.a1).state == "closed"

    officer.goto(f"/campaigns/coverage/?campaign={campaign.pk}", "coverage-after")
    assert _coverage(officer, "甲镇") == {"targets": 1, "visited": 1, "closed": 1}
    # The officer's coverage is their own town's; staff see every town, the total moved too.
    assert officer.page.get_by_test_id("coverage-town").locator("tbody tr").count() == 2
    staff.goto(f"/campaigns/coverage/?campaign={campaign.pk}", "coverage-staff")
    total = staff.page.get_by_test_id("coverage-town").locator("tr[data-key=total]")
    assert total.locator("td[data-col=visited]").inner_text().strip() == "1"
    assert total.locator("td[data-col=targets]").inner_text().strip() == "4"

    problems = [e for s in sessions for e in s.errors]
    for s in sessions:
        s.context.close()
    assert not problems, problems
