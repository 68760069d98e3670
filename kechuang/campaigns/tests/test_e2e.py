"""Browser story (Playwright in Debian's Chromium against the live server): bureau staff turn
the zero-R&D list into a visit campaign (after a confirm step), the town officer records a
visit, and the coverage page moves. With KECHUANG_SHOTS_DIR set (`make screens`), each page is
kept as a screenshot."""

from __future__ import annotations

import datetime as dt

from kechuang.campaigns.models import Campaign, VisitTask

from .factories import YEAR, make_world

PASSWORD = "pw-123456"


def _coverage(session, town_name) -> dict[str, int]:
    row = session.page.get_by_test_id("coverage-town").locator("tbody tr", has_text=town_name)
    return {
        col: int(row.locator(f"td[data-col={col}]").inner_text().strip())
        for col in ("targets", "visited", "closed")
    }


def test_zero_rd_list_to_campaign_to_visit_to_coverage(browser_session, transactional_db):
    w = make_world()
    sessions = []

    # Bureau staff: the zero-R&D list → "create visit tasks for these" → the new campaign.
    staff = browser_session("campaigns-staffer", "staffer", PASSWORD)
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
    officer = browser_session("campaigns-officer_a", "officer_a", PASSWORD)
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

    problems = [e for s in sessions for e in s.problems]
    assert not problems, problems
