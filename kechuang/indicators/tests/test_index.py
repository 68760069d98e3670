"""A set's tree and methodology in the database: stored runs, methodology versions, the pages
(results with drill-down, stages, methodology editor) and the export."""

from __future__ import annotations

import numpy as np
import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.indicators.index import (
    compute_run,
    latest_run,
    methodology_update,
    run_drilldown,
    run_table,
    set_methodology,
    set_tree,
    tree_rows,
)
from kechuang.indicators.models import (
    IndexNode,
    Indicator,
    IndicatorSet,
    IndicatorSetMember,
    IndicatorValue,
)
from kechuang.regions.models import Region

pytestmark = pytest.mark.django_db
YEAR = 2024


@pytest.fixture
def index_set():
    rng = np.random.default_rng(3)
    cities = ["宁波市"] * 4 + ["杭州市"] * 6
    regions = Region.objects.bulk_create([
        Region(code=f"3302{k:02d}", name=f"地区{k}", province="浙江省", city=c)
        for k, c in enumerate(cities)
    ])  # fmt: skip
    inds = [
        Indicator.objects.create(code="a", name_zh="甲", direction=1),
        Indicator.objects.create(code="b", name_zh="乙", direction=-1),
        Indicator.objects.create(code="growth", name_zh="增速", min_value=None),
    ]
    s = IndicatorSet.objects.create(code="t", name_zh="测试指数")
    p = IndexNode.objects.create(indicator_set=s, code="p", name_zh="分项一", weight=2)
    q = IndexNode.objects.create(indicator_set=s, code="q", name_zh="分项二", weight=1)
    IndicatorSetMember.objects.bulk_create([
        IndicatorSetMember(indicator_set=s, indicator=inds[0], weight=1, node=p, sort_order=0),
        IndicatorSetMember(indicator_set=s, indicator=inds[1], weight=1, node=p, sort_order=1),
        IndicatorSetMember(indicator_set=s, indicator=inds[2], weight=1, node=q, sort_order=2),
    ])  # fmt: skip
    values = [
        IndicatorValue(indicator=ind, region=r, year=YEAR, value=float(v))
        for r, row in zip(regions, rng.normal(0, 1, (10, 3)) + [5, 5, 0], strict=True)
        for ind, v in zip(inds, row, strict=True)
    ]
    values.pop(0)  # region 0 lacks indicator a
    IndicatorValue.objects.bulk_create(values)
    return s, regions


def test_tree_and_effective_weights(index_set):
    s, _regions = index_set
    tree = set_tree(s)
    assert tree.levels == [["a", "b", "growth"], ["p", "q"], ["Index"]]
    rows = {r["code"]: r for r in tree_rows(s)}
    assert rows["a"]["effective"] == pytest.approx(1 / 3)
    assert rows["growth"]["effective"] == pytest.approx(1 / 3)


def test_run_stores_methodology_scores_and_stages(index_set):
    s, regions = index_set
    methodology_update(
        s, {"impute": {"method": "group_mean", "group": "city"}, "normalise": {"method": "min_max"}},
        user=make_user(Role.BUREAU_STAFF),
    )  # fmt: skip
    s.refresh_from_db()
    assert s.methodology_version == 2 and s.history.count() >= 2
    run = compute_run(s, YEAR)
    assert run.methodology["impute"] == {"method": "group_mean", "group": "city"}
    assert run.units == 10 and run.fingerprint == set_methodology(s).fingerprint()
    # region 0's missing value was imputed with its city's mean
    assert [r for r, code, _v in run.stages["imputed"]] == [regions[0].pk]
    table = run_table(run)
    assert sorted(r["ranks"]["Index"] for r in table["rows"]) == list(range(1, 11))
    assert [c["code"] for c in table["columns"]] == ["p", "q"]
    drill = run_drilldown(run, regions[0])
    assert [d["code"] for d in drill] == ["Index", "p", "q"]
    assert latest_run(s, YEAR) == run


def test_bad_methodology_is_refused_with_the_field(index_set):
    s, _regions = index_set
    with pytest.raises(ValueError, match="aggregate.levels"):
        methodology_update(s, {"aggregate": {"levels": ["geometric"]}}, user=None)
    s.refresh_from_db()
    assert s.methodology_version == 1


def test_pages(index_set, client):
    s, regions = index_set
    staff = make_user(Role.BUREAU_STAFF)
    client.force_login(staff)
    page = client.get(f"/indicators/sets/{s.code}/results/?year={YEAR}")
    assert page.status_code == 200 and 'data-testid="no-run"' in page.content.decode()
    assert client.post(f"/indicators/sets/{s.code}/results/?year={YEAR}").status_code == 302
    page = client.get(f"/indicators/sets/{s.code}/results/?year={YEAR}&region={regions[3].code}")
    html = page.content.decode()
    assert 'data-testid="drilldown"' in html and "分项一" in html and "results-table" in html
    assert 'data-testid="what-moves"' in html and "逐项剔除指标后的排名变化" in html
    export = client.get(f"/indicators/sets/{s.code}/results/export/?year={YEAR}")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd")
    page = client.get(f"/indicators/sets/{s.code}/methodology/")
    assert page.status_code == 200 and 'data-testid="index-tree"' in page.content.decode()
    bad = {"impute": "none", "min_availability": "0", "treat": "none", "winmax": "5",
           "skew": "2", "kurtosis": "3.5", "normalise": "min_max", "low": "0", "high": "100",
           "ddof": "1", "scale": "1", "aggregate": "geometric"}  # fmt: skip
    page = client.post(f"/indicators/sets/{s.code}/methodology/", bad)
    assert page.status_code == 200 and "几何平均" in page.content.decode()
    good = {**bad, "aggregate": "arithmetic", "treat": "winsorise_log"}
    assert client.post(f"/indicators/sets/{s.code}/methodology/", good).status_code == 302
    s.refresh_from_db()
    assert s.methodology["treat"]["method"] == "winsorise_log"
    leader = make_user(Role.LEADER)
    client.force_login(leader)
    assert client.get(f"/indicators/sets/{s.code}/methodology/").status_code == 200
    assert client.post(f"/indicators/sets/{s.code}/methodology/", good).status_code == 403
