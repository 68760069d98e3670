"""The enterprise file in the browser, one whole flow: bureau staff find an enterprise by its
S&T liaison's name in the top bar, open its file, tag it, keep the timeline to one module and
open the printable version; the town officer and the enterprise itself see their versions of
the file (no tags for the enterprise)."""

from __future__ import annotations

from kechuang.enterprises.file_models import EnterpriseContact, EnterpriseTagAssignment


def test_staff_search_a_person_tag_the_file_and_print_it(open_session, demo_region):
    own = demo_region.own_enterprise_id
    liaison = EnterpriseContact.objects.get(enterprise_id=own, role="science_liaison")

    s = open_session("staff")
    s.goto("/enterprises/", "list")
    box = s.page.get_by_test_id("topbar-search").locator("input[name=q]")
    box.fill(liaison.name)
    with s.page.expect_navigation():
        box.press("Enter")
    s.shot("search-results")
    hits = s.page.get_by_test_id("search-hit")
    assert hits.count() >= 1
    results = s.page.get_by_test_id("search-results").inner_text()
    assert liaison.name in results and "科技联络人" in results
    assert s.page.locator("mark.kc-hit").first.inner_text() == liaison.name
    with s.page.expect_navigation():
        s.page.locator(f'a[href="/enterprises/{own}/"]').first.click()
    s.shot("file")
    for key in ("profile", "tags", "figures", "qualifications", "visits", "history"):
        assert s.page.get_by_test_id(f"panel-{key}").count() == 1, key
    assert liaison.name in s.page.get_by_test_id("contacts-table").inner_text()

    # A tag, then the timeline shows it; kept to the tags module it shows nothing else.
    form = s.page.get_by_test_id("tag-form")
    form.locator("[name=name]").fill("走访重点")
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert "走访重点" in s.page.get_by_test_id("tags").inner_text()
    assert EnterpriseTagAssignment.objects.filter(enterprise_id=own, tag__name="走访重点").exists()
    timeline = s.page.get_by_test_id("timeline-table")
    assert "添加标签“走访重点”" in timeline.inner_text()
    s.page.get_by_test_id("timeline-filter").locator('[data-module="tags"]').click()
    # A selector wait, not a JavaScript predicate: the page's policy forbids evaluated strings.
    s.page.locator('[data-module="tags"].btn-primary').wait_for()
    rows = s.page.get_by_test_id("timeline-table").locator("tbody tr")
    assert rows.count() >= 1
    assert all("标签" in rows.nth(i).inner_text() for i in range(rows.count()))
    s.shot("timeline-tags")

    # The printable version: every panel but the change history, and the whole timeline.
    s.goto(f"/enterprises/{own}/print/", "print")
    assert s.page.get_by_test_id("print-button").is_visible()
    assert s.page.get_by_test_id("panel-history").count() == 0
    assert s.page.get_by_test_id("timeline").count() == 1
    s.page.emulate_media(media="print")
    assert not s.page.get_by_test_id("print-button").is_visible()
    s.shot("print-media")
    assert not s.problems, s.problems

    # The town officer and the enterprise itself.
    t = open_session("town")
    t.goto(f"/enterprises/{own}/", "town-file")
    assert "走访重点" in t.page.get_by_test_id("tags").inner_text()
    e = open_session("enterprise")
    e.goto(f"/enterprises/{own}/", "enterprise-file")
    assert e.page.get_by_test_id("panel-tags").count() == 0
    assert e.page.get_by_test_id("panel-visits").count() == 0
    assert "走访重点" not in e.page.content()
    assert not (t.problems or e.problems), t.problems + e.problems
