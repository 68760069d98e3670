"""The demo region through the indicator pages, API and `kechuang stats`: the engine ranks the
home region 7th / 1st (S&T innovation) and 11th / 2nd (achievement transformation) in 2024.

A small demo (400 enterprises) is built once for the module through `demo_build`, as in
tests/e2e; the peer values are generated around whatever the home region's live figures are,
so the ranks must come out the same as on the full demo. The browser test runs last, against
pytest-django's live server, and the tables are flushed when the module is done.
"""

from __future__ import annotations

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.indicators.selectors import indicator_table, ranking_summary, target_progress

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
SCREENS = Path(settings.BASE_DIR) / "test-artifacts" / "screens"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from kechuang.demo.services import demo_build

    with django_db_blocker.unblock():
        demo_build(n_enterprises=400)
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def transactional_db(demo, django_db_blocker):
    """The live server's database access without pytest-django's flush after the test."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture
def stats_2024(demo, db):
    out = StringIO()
    call_command("stats", year=2024, json=True, stdout=out)
    return json.loads(out.getvalue())


def test_stats_report_the_seed_ranks(stats_2024):
    assert stats_2024["innovation_index_rank_province"] == 7
    assert stats_2024["innovation_index_rank_ningbo"] == 1
    assert stats_2024["transformation_index_rank_province"] == 11
    assert stats_2024["transformation_index_rank_ningbo"] == 2


def test_ranking_summary_contract(demo, db):
    summary = ranking_summary(2024, draws=100)
    assert set(summary) == {"innovation", "transformation"}
    s = summary["innovation"]
    assert (s["rank_province"], s["rank_ningbo"], s["n_province"], s["n_ningbo"]) == (7, 1, 90, 10)
    low, high = s["interval_province"]
    assert low <= s["median_rank_province"] <= high
    assert s["top_contributors"] and {"code", "name", "contribution"} <= set(
        s["top_contributors"][0]
    )
    assert s["is_demo_configuration"]
    # Same seed, same answer.
    assert ranking_summary(2024, draws=100)["innovation"]["interval_province"] == (low, high)


def test_ranks_follow_the_stored_values(demo, db):
    """Nothing is typed: giving the 8th region the 6th region's values lifts it above the home
    region, which drops to 8th."""
    from kechuang.indicators.models import IndicatorValue

    rows = indicator_table("innovation", 2024)["rows"]
    sixth, eighth = (next(r for r in rows if r["rank_province"] == k) for k in (6, 8))
    codes = list(sixth["values"])
    values = IndicatorValue.objects.filter(
        region__code=eighth["code"], year=2024, indicator__code__in=codes
    ).select_related("indicator")
    saved = [(v.pk, v.value) for v in values]
    try:
        for v in values:
            IndicatorValue.objects.filter(pk=v.pk).update(value=sixth["values"][v.indicator.code])
        assert ranking_summary(2024, draws=0)["innovation"]["rank_province"] == 8
    finally:
        for pk, value in saved:
            IndicatorValue.objects.filter(pk=pk).update(value=value)


def test_tree_run_keeps_the_flat_ranks_and_shows_every_level(demo, db, client):
    """The provincial indices as trees (sub-indices, node weight = sum of its members'): the
    stored run ranks the home region exactly as the flat engine does, and its pages render."""
    from kechuang.indicators.index import latest_run, run_drilldown, run_table, tree_rows
    from kechuang.indicators.models import IndicatorSet

    for code, want in (("innovation", 7), ("transformation", 11)):
        s = IndicatorSet.objects.get(code=code)
        run = latest_run(s, 2024)
        assert run is not None and run.methodology["schema"] == "kechuang.index.method/1"
        table = run_table(run)
        assert table["home"]["ranks"]["Index"] == want
        flat = {r["code"]: r["rank_province"] for r in indicator_table(code, 2024)["rows"]}
        assert {r["region"].code: r["ranks"]["Index"] for r in table["rows"]} == flat
        rows = tree_rows(s)
        assert sum(r["effective"] for r in rows if r["is_indicator"]) == pytest.approx(1.0)
        assert any(r["pending"] for r in rows)
        drill = run_drilldown(run, table["home"]["region"])
        assert drill[0]["code"] == "Index" and len(drill) == 1 + len(table["columns"])
    client.force_login(make_user(Role.LEADER))
    page = client.get("/indicators/sets/transformation/results/?year=2024")
    assert page.status_code == 200 and "成果交易" in page.content.decode()
    page = client.get("/indicators/sets/transformation/methodology/")
    assert page.status_code == 200 and "待政策核实" in page.content.decode()
    assert client.post("/indicators/sets/transformation/results/?year=2024").status_code == 403


def test_target_progress_names_what_is_pending(demo, db):
    rows = {t["indicator"]: t for t in target_progress(2025)}
    assert rows["high_tech_valid"]["target"] == 1120
    assert "2025" in rows["high_tech_valid"]["pending"]
    assert rows["rd_intensity"]["target"] == 3.46 and rows["rd_intensity"]["actual"] is None
    current = {t["indicator"]: t for t in target_progress(2024)}["high_tech_valid"]
    assert current["actual"] is not None and current["records_url"].startswith(
        "/enterprises/qualifications/"
    )


# ------------------------------------------------------------------ pages and API


def test_anonymous_is_sent_to_login(demo, client):
    response = client.get("/indicators/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role, status",
    [
        (Role.LEADER, 200),
        (Role.BUREAU_STAFF, 200),
        (Role.ENTERPRISE, 403),
        (Role.TOWN_OFFICER, 403),
    ],
)
def test_leadership_view_roles(demo, client, role, status):
    client.force_login(make_user(role))
    response = client.get("/indicators/?year=2024")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert 'data-testid="rank-innovation-province">7<' in html
        assert 'data-testid="rank-transformation-ningbo">2<' in html
        assert "/reports/" in html


def test_leader_sees_no_record_links_staff_does(demo, client):
    client.force_login(make_user(Role.LEADER))
    assert "/enterprises/qualifications/" not in client.get("/indicators/").content.decode()
    client.force_login(make_user(Role.BUREAU_STAFF))
    assert "/enterprises/qualifications/" in client.get("/indicators/").content.decode()


def test_catalogue_and_set_pages(demo, client):
    client.force_login(make_user(Role.LEADER))
    assert client.get("/indicators/catalogue/").status_code == 200
    response = client.get("/indicators/sets/innovation/?year=2024")
    assert response.status_code == 200 and 'data-testid="home-row"' in response.content.decode()
    assert client.get("/indicators/sets/nope/").status_code == 404


def test_peer_values_are_plausible_for_zhejiang_counties(demo, db):
    """No county with an R&D intensity of 41.51 % or a fiscal S&T share of 34–49 %: every
    generated peer value of every year lies in the indicator's plausible range."""
    from kechuang.indicators.demo import PLAUSIBLE_RANGES
    from kechuang.indicators.models import IndicatorValue
    from kechuang.indicators.registry import computed_value
    from kechuang.regions.selectors import home_region

    home = home_region()
    home_values = {
        (code, year): float(value)
        for code, year, value in IndicatorValue.objects.filter(region=home).values_list(
            "indicator__code", "year", "value"
        )
    }
    rows = IndicatorValue.objects.filter(source="generator").exclude(region=home)
    seen = set()
    for code, year, value in rows.values_list("indicator__code", "year", "value"):
        low, high = PLAUSIBLE_RANGES[code]
        if (code, year) not in home_values:
            home_values[(code, year)] = computed_value(code, year)
        own = home_values[(code, year)]
        if own is not None and not low <= own <= high:
            # A small test region's count lies below a county's: the range widens around it.
            low, high = min(low, own / 2), max(high, own * 1.5)
        assert low <= float(value) <= high, (code, year, value)
        seen.add(code)
    assert {"rd_intensity", "fiscal_st_share"} <= seen
    top = rows.filter(indicator__code="rd_intensity").order_by("-value").first().value
    assert 1.5 <= float(top) <= 5.0


def test_set_and_catalogue_pages_are_readable_and_in_chinese(demo, client):
    import re

    client.force_login(make_user(Role.LEADER))
    html = client.get("/indicators/sets/innovation/?year=2024").content.decode()
    scroll = re.search(
        r'<div class="table-responsive"([^>]*)>\s*<table[^>]*data-testid="index-table"', html
    )
    assert scroll and 'tabindex="0"' in scroll.group(1) and "aria-label=" in scroll.group(1)
    assert re.search(
        r'<th class="text-nowrap" style="min-width:\d+rem" data-testid="region-column">', html
    )
    home = re.search(
        r'data-testid="home-row">.*?<td class="num">[^<]*</td>\s*<td ([^>]*)>', html, re.S
    )
    assert "text-nowrap" in home.group(1)
    catalogue = client.get("/indicators/catalogue/").content.decode()
    body = catalogue.split('data-testid="catalogue-table"', 1)[1]
    for english in (
        "R&amp;D intensity of above-scale industry",
        "S&amp;T innovation index",
        "Valid high-tech enterprises",
        ">innovation<",
        ">six_plus_two<",
        "rd_intensity",
    ):
        assert english not in body, english
    assert "科技创新指数" in body and "规上工业企业研发费用占营业收入比重" in body
    client.force_login(make_user(Role.BUREAU_STAFF))
    staff = client.get("/indicators/catalogue/").content.decode()
    assert "指标代码" in staff and "rd_intensity" in staff  # staff fill in the workbook by code


def test_import_page_is_staff_only(demo, client):
    client.force_login(make_user(Role.LEADER))
    assert client.get("/indicators/values/import/").status_code == 403
    assert client.get("/indicators/values/export/?year=2024").status_code == 403
    client.force_login(make_user(Role.BUREAU_STAFF))
    assert client.get("/indicators/values/import/").status_code == 200
    response = client.get("/indicators/values/export/?year=2024")
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )


def test_api_reads_for_leader_writes_for_staff(demo, client):
    client.force_login(make_user(Role.LEADER))
    response = client.get("/api/v1/indicators/rankings/?year=2024")
    assert response.status_code == 200
    assert response.json()["innovation"]["rank_province"] == 7
    assert client.get("/api/v1/indicators/sets/innovation/index/?year=2024").status_code == 200
    assert client.get("/api/v1/indicators/targets/progress/?year=2025").status_code == 200
    assert client.get("/api/v1/indicators/catalogue/").status_code == 200
    body = {"indicator": "fiscal_st_share", "region": "330203", "year": 2030, "value": "5.5"}
    assert client.post("/api/v1/indicators/values/", body).status_code == 403
    client.force_login(make_user(Role.BUREAU_STAFF))
    response = client.post("/api/v1/indicators/values/", body)
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "api"
    client.force_login(make_user(Role.ENTERPRISE))
    assert client.get("/api/v1/indicators/values/?year=2024").status_code == 403


# ------------------------------------------------------------------ browser (last: live server)


def test_leader_opens_the_leadership_dashboard(live_server, demo, browser):
    """Through the session's one Chromium (the `browser` fixture of tests/e2e/browser.py)."""
    from kechuang.demo.services import DEMO_PASSWORD

    errors = []
    SCREENS.mkdir(parents=True, exist_ok=True)
    if True:  # one page of the shared browser, closed at the end
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page.set_default_timeout(15_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))
        page.goto(f"{live_server.url}/accounts/login/?next=/indicators/")
        form = page.get_by_test_id("login-form")
        form.locator("input[name=username]").fill("leader")
        form.locator("input[name=password]").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        page.goto(f"{live_server.url}/indicators/?year=2024")
        assert page.get_by_test_id("rank-innovation-province").inner_text() == "7"
        assert page.get_by_test_id("rank-innovation-ningbo").inner_text() == "1"
        assert page.get_by_test_id("rank-transformation-province").inner_text() == "11"
        assert page.get_by_test_id("rank-transformation-ningbo").inner_text() == "2"
        assert page.get_by_test_id("targets-2025").locator("tbody tr").count() >= 4
        page.locator("[data-testid=rank-history-innovation] canvas").wait_for()
        page.screenshot(path=SCREENS / "indicators-leadership.png", full_page=True)
        page.goto(f"{live_server.url}/indicators/sets/transformation/?year=2024")
        page.get_by_test_id("home-row").wait_for()
        page.screenshot(path=SCREENS / "indicators-set.png", full_page=True)
        # the tree: sub-indices with drill-down, then the methodology with effective weights
        page.goto(f"{live_server.url}/indicators/sets/transformation/results/?year=2024")
        page.get_by_test_id("home-row").locator("a").click()
        page.get_by_test_id("drilldown").wait_for()
        assert "成果交易" in page.get_by_test_id("drilldown").inner_text()
        page.screenshot(path=SCREENS / "indicators-results.png", full_page=True)
        page.goto(f"{live_server.url}/indicators/sets/transformation/methodology/")
        assert "待政策核实" in page.get_by_test_id("index-tree").inner_text()
        page.screenshot(path=SCREENS / "indicators-methodology.png", full_page=True)
        page.close()
    assert not errors, errors
