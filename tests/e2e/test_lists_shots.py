"""Bureau staff: the enterprise list (filters 全部/是/否, year picker, sort arrows), its filter
form and the yearly-figures form in 万元 by section, at 1440 px, saved for review."""

from __future__ import annotations

from pathlib import Path

from kechuang.enterprises.models import Enterprise

SHOTS = Path("/work/shots/lists")


def test_list_filter_and_figure_form_screens(open_session):
    SHOTS.mkdir(parents=True, exist_ok=True)
    s = open_session("staff")
    s.page.set_viewport_size({"width": 1440, "height": 900})
    s.goto("/enterprises/?sort=-rd_expense_stat", "enterprise-list-sorted")
    s.page.screenshot(path=str(SHOTS / "enterprise-list.png"), full_page=True)
    form = s.page.get_by_test_id("filter-form")
    assert "---------" not in form.inner_text()
    assert "未知" not in form.inner_text()
    form.screenshot(path=str(SHOTS / "filter-form.png"))
    enterprise = Enterprise.objects.order_by("credit_code").first()
    s.goto(f"/enterprises/{enterprise.pk}/figures/2024/", "figure-form")
    s.page.screenshot(path=str(SHOTS / "annual-figure-form.png"), full_page=True)
    assert s.page.locator("legend", has_text="营业收入").count() == 1
