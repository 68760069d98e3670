"""Bureau staff: dashboard figure → the records behind it → one enterprise's page."""

from __future__ import annotations

from django.utils import translation

from kechuang.core.templatetags.kc import wan
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.enterprises.tables import EnterpriseTable

from .conftest import number_in


def test_dashboard_figure_drills_down_to_a_list_of_that_many_enterprises(open_session):
    s = open_session("staff")
    s.goto("/dashboard/", "dashboard")
    card = s.page.get_by_test_id("stat-above_scale_industrial")
    shown = number_in(card.locator(".kc-value").inner_text())
    assert shown > 0

    with s.page.expect_navigation():
        card.click()
    s.shot("above-scale-list")
    assert s.page.url.split("?")[0].endswith("/enterprises/")
    assert "above_scale=true" in s.page.url
    listed = number_in(s.page.locator("h2.page-title span").inner_text())
    assert listed == shown

    # Every row of the list is an above-scale industrial enterprise of the dashboard's year.
    table = s.page.get_by_test_id("enterprise-table")
    rows = table.locator("tbody tr")
    assert rows.count() == min(25, shown)
    # The row-selection column, where the list offers bulk actions, comes first.
    selecting = table.locator("thead th:has(input[data-select-all])").count()
    above_col = EnterpriseTable.Meta.sequence.index("above_scale") + 1 + selecting
    assert set(rows.locator(f"td:nth-child({above_col})").all_inner_texts()) == {"是"}


def test_enterprise_page_shows_profile_figures_and_history(open_session):
    s = open_session("staff")
    s.goto("/enterprises/", "enterprise-list")
    first = s.page.get_by_test_id("enterprise-table").locator("tbody tr").first
    cells = first.locator("td:not(:has(input[type=checkbox]))")
    name = cells.first.inner_text().strip()
    code = cells.nth(1).inner_text().strip()
    with s.page.expect_navigation():
        first.locator("td a").first.click()
    s.shot("enterprise-detail")

    enterprise = Enterprise.objects.get(credit_code=code)
    assert s.page.url.endswith(enterprise.get_absolute_url())
    assert s.page.locator("h2.page-title").inner_text().strip() == name

    profile = s.page.get_by_test_id("profile")
    assert code in profile.inner_text()
    assert enterprise.town.name in profile.inner_text()

    figures = list(AnnualFigure.objects.filter(enterprise=enterprise).order_by("year"))
    assert figures
    rows = s.page.get_by_test_id("figures-table").locator("tbody tr").all_inner_texts()
    assert [int(row.split("\t")[0]) for row in rows] == [f.year for f in figures]
    with translation.override("zh-hans"):  # figures in 10,000 yuan, formatted as on the page
        revenues = [wan(f.operating_revenue) for f in figures]
    for row, revenue in zip(rows, revenues, strict=True):
        assert revenue in row.split("\t")

    # The demo data came in through the importer, which records history for every row.
    history_rows = s.page.get_by_test_id("history-table").locator("tbody tr")
    assert history_rows.count() >= 1 + len(figures)
    assert history_rows.locator("td").count() >= 5
