"""Browser test: the ladder's movement chart draws both years — every node of the option is
laid out, each side in its own column, each node labelled with its tier — for every role
that sees the ladder (Playwright in Debian's Chromium against pytest-django's live server)."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.models import Qualification
from kechuang.enterprises.tests.factories import make_enterprise, make_town, make_user
from kechuang.qualifications.services import assessment_run_create

from .builders import YEAR, figures

PASSWORD = "pw-123456"
NODES_JS = """() => {
  const el = document.querySelector('[data-testid=sankey-chart]');
  const chart = echarts.getInstanceByDom(el);
  const option = chart.getOption().series[0];
  const data = chart.getModel().getSeriesByIndex(0).getData();
  const nodes = [];
  for (let i = 0; i < data.count(); i++) {
    const layout = data.getItemLayout(i);
    const shape = data.getItemGraphicEl(i);
    const label = shape && shape.getTextContent && shape.getTextContent();
    nodes.push({name: data.getName(i), x: layout && layout.x, dy: layout && layout.dy,
                label: label ? label.style.text : null, visible: !!(shape && !shape.invisible)});
  }
  return {names: option.data.map(n => n.name), nodes: nodes, width: el.clientWidth,
          animation: chart.getOption().animation};
}"""


def _held(enterprise, kind, year, issue=None, expiry=None):
    Qualification.objects.create(
        enterprise=enterprise,
        kind=kind,
        year=year,
        number=f"{kind}-{enterprise.pk}-{year}",
        issue_date=issue or dt.date(year, 6, 1),
        expiry_date=expiry or dt.date(year, 12, 31),
    )


@pytest.fixture
def movers(transactional_db):
    """Enterprises moving up, staying and dropping out between YEAR-1 and YEAR."""
    town = make_town("流动镇")
    other = make_town("别镇")
    ents = [
        make_enterprise(town=town if i % 3 else other, name=f"流动企业{i}",
                        registration_date=dt.date(2012, 1, 1))
        for i in range(9)
    ]  # fmt: skip
    for e in ents:
        for y in (YEAR - 2, YEAR - 1, YEAR):
            figures(e, y)
    for e in ents[:3]:  # tech SME → high-tech
        _held(e, "national_tech_sme", YEAR - 1)
        _held(e, "high_tech", YEAR, expiry=dt.date(YEAR + 3, 5, 31))
    for e in ents[3:6]:  # tech SME both years
        _held(e, "national_tech_sme", YEAR - 1)
        _held(e, "national_tech_sme", YEAR)
    for e in ents[6:8]:  # high-tech lapsed
        _held(e, "high_tech", YEAR - 3, expiry=dt.date(YEAR - 1, 12, 31))
    _held(ents[8], "provincial_tech_sme", YEAR, expiry=dt.date(YEAR + 2, 12, 31))
    assessment_run_create(year=YEAR)
    return {
        "staff": make_user(Role.BUREAU_STAFF, username="lad-staff", password=PASSWORD),
        "town": make_user(Role.TOWN_OFFICER, town=town, username="lad-town", password=PASSWORD),
        "leader": make_user(Role.LEADER, username="lad-leader", password=PASSWORD),
    }


@pytest.fixture
def session(browser_session):
    """A browser session of the shared browser fixtures (tests/e2e/browser.py)."""
    return browser_session("qualifications", viewport={"width": 1440, "height": 1000})


@pytest.mark.parametrize("who", ["staff", "town", "leader"])
def test_the_movement_chart_draws_both_years(session, live_server, movers, who):
    base = live_server.url
    page = session.page
    session.login(f"lad-{who}", PASSWORD)
    page.goto(f"{base}/qualifications/ladder/?year={YEAR}")
    page.wait_for_selector("[data-testid=sankey-chart][data-chart-ready]")
    info = page.evaluate(NODES_JS)
    assert info["animation"] is False  # the browser asks for reduced motion: drawn at once
    names = info["names"]
    assert len(names) == len(set(names)), names
    left = [n for n in info["nodes"] if n["name"].startswith(f"{YEAR - 1}·")]
    right = [n for n in info["nodes"] if n["name"].startswith(f"{YEAR}·")]
    assert left and right and len(left) + len(right) == len(info["nodes"]) == len(names)
    # The YEAR side has the tiers the enterprises moved to (and "no tier" for the lapsed).
    assert {n["name"].split("·", 1)[1] for n in right} >= {"高新技术企业", "国家科技型中小企业"}
    for n in info["nodes"]:
        assert n["x"] is not None and n["dy"] > 0 and n["visible"], n
        assert n["label"] == n["name"].split("·", 1)[1], n
    assert max(n["x"] for n in left) < min(n["x"] for n in right)
    assert max(n["x"] for n in right) < info["width"]
    session.shot(f"ladder-{who}")
