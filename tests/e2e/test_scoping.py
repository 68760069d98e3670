"""Role scoping as users meet it in the pages: town officer, enterprise user and leader."""

from __future__ import annotations

import io
from urllib.parse import urljoin

from openpyxl import load_workbook

from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tables import EnterpriseTable
from kechuang.imports.schemas import SCHEMAS

from .conftest import number_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_town_officer_sees_only_their_towns_enterprises(open_session, demo_region):
    in_town = Enterprise.objects.filter(town_id=demo_region.town_id).count()
    assert 0 < in_town < Enterprise.objects.count()

    s = open_session("town")
    s.goto("/enterprises/", "town-enterprise-list")
    assert number_in(s.page.locator("h2.page-title span").inner_text()) == in_town
    table = s.page.get_by_test_id("enterprise-table")
    selecting = table.locator("thead th:has(input[data-select-all])").count()
    town_col = EnterpriseTable.Meta.sequence.index("town") + 1 + selecting
    towns_shown = table.locator(f"tbody td:nth-child({town_col})").all_inner_texts()
    assert len(towns_shown) == min(25, in_town)
    assert {t.strip() for t in towns_shown} == {demo_region.town_name}

    # The export holds the same rows as the list.
    with s.page.expect_download() as info:
        s.page.get_by_test_id("export").click()
    sheet = load_workbook(io.BytesIO(info.value.path().read_bytes())).active
    town_header = SCHEMAS["enterprises"].column("town").header
    headers = [c.value for c in sheet[1]]
    exported_towns = [
        row[headers.index(town_header)] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert exported_towns == [demo_region.town_name] * in_town

    s.goto(f"/enterprises/{demo_region.town_enterprise_id}/", "town-own-enterprise")
    s.goto(
        f"/enterprises/{demo_region.other_town_enterprise_id}/",
        "town-other-enterprise-404",
        status=404,
    )


def test_enterprise_user_lands_on_its_own_page_and_sees_no_other(open_session, demo_region):
    own = Enterprise.objects.get(pk=demo_region.own_enterprise_id)
    s = open_session("enterprise")  # logging in lands on the workbench
    assert s.page.url.endswith("/workbench/")
    s.goto(f"/enterprises/{own.pk}/", "enterprise-own-file")
    assert s.page.locator("h2.page-title").inner_text().strip() == own.name
    assert own.credit_code in s.page.get_by_test_id("profile").inner_text()

    s.goto(f"/enterprises/{demo_region.town_enterprise_id}/", "enterprise-other-404", status=404)
    s.goto(
        f"/enterprises/{demo_region.other_town_enterprise_id}/",
        "enterprise-other-town-404",
        status=404,
    )
    s.goto("/enterprises/", "enterprise-list-403", status=403)


def test_leader_reads_the_dashboard_without_drill_down(open_session):
    s = open_session("leader")
    s.goto("/dashboard/", "leader-dashboard")
    stats = s.page.locator("[data-testid^='stat-']")
    assert stats.count() > 0
    assert stats.first.is_visible()
    assert s.page.locator("a[data-testid^='stat-']").count() == 0
    assert s.page.get_by_test_id("town-table").locator("tbody tr").count() > 0
    assert s.page.get_by_test_id("town-table").locator("a").count() == 0
    assert s.page.locator("nav a[href='/enterprises/']").count() == 0

    s.goto("/enterprises/", "leader-enterprise-list-403", status=403)
    s.goto("/enterprises/qualifications/", "leader-qualification-list-403", status=403)


def test_town_officer_filtering_another_town_gets_an_empty_list_and_export(
    open_session, demo_region
):
    s = open_session("town")
    s.goto(f"/enterprises/?town={demo_region.other_town_id}", "town-filter-other-town")
    assert number_in(s.page.locator("h2.page-title span").inner_text()) == 0
    assert s.page.get_by_test_id("enterprise-table").locator("tbody td a").count() == 0

    # Fetched with the page's cookies rather than clicked: a 500 is then a quick failure, not
    # a 15-second wait for a download that never starts.
    href = urljoin(s.page.url, s.page.get_by_test_id("export-import").get_attribute("href"))
    response = s.page.request.get(href)
    assert response.status == 200, f"export {href}: {response.status}"
    assert response.headers["content-type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.body())).active
    assert [c.value for c in sheet[1]] == SCHEMAS["enterprises"].headers
    assert sheet.max_row == 1
