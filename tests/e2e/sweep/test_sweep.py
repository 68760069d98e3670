"""A sweep over every page each role reaches, in Chinese: accessibility (axe-core, WCAG 2.x A/AA),
no request to another host, no developer text, and a screenshot of every page for review.

For each demo user the test opens the pages of the role's navigation and a set of detail pages
(an enterprise, its assessment and R&D diagnosis, a campaign, a visit task, an indicator set,
the report home and the account pages). Pages the role may not open answer 403 or 404; those
error pages are checked the same way. With KECHUANG_SHOTS_DIR set (`make screens`), each page's
screenshot goes to sweep/<role>_<page>.png there (1440 pixels wide, whole page).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from ..browser import SCREENS_DIR
from ..conftest import Session

AXE = Path(settings.BASE_DIR) / "tests" / "vendor" / "axe-4.14.1.min.js"
# Screenshots for review when the browser fixtures take them (KECHUANG_SHOTS_DIR): not in the
# regular run, they cost about a second a page.
SHOTS = SCREENS_DIR / "sweep" if SCREENS_DIR is not None else None
WIDTH = 1440
AXE_URL = "/__test__/axe.min.js"
AXE_RUN = """() => axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
}).then(r => r.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, n: v.nodes.length,
                targets: v.nodes.slice(0, 3).map(n => {
                    const d = (n.any[0] || {}).data || {};
                    return n.target.join(' ') + (d.fgColor ? ` (${d.fgColor} on ${d.bgColor})` : '');
                }).join(' | ')})))"""

# Developer text a Chinese page must not show: snake_case identifiers, notes about the
# specification, confirmation markers of rule data, raw JSON, import sources, rule expressions.
DEVELOPER_TEXT = re.compile(
    r"(?<![A-Za-z0-9])[a-z]+_[a-z_]+(?![A-Za-z0-9])"
    r"|(?<![A-Za-z])spec(?![A-Za-z])"
    r"|(?<![A-Za-z])(?:UN)?CONFIRMED(?![A-Za-z])"
    r'|\{"'
    r"|import:generator"
    r"|pass == pass"
)

ROLES = {
    "bureau_staff": "staff",
    "town_officer": "town",
    "leader": "leader",
    "enterprise": "enterprise",
    "expert": "expert",
    "university": "university",
    "agency": "agency",
    "bureau_admin": "admin",
}


def _detail_pages(region) -> dict[str, str]:
    """Detail pages every role is sent to (403/404 where the role may not see them)."""
    from kechuang.campaigns.models import Campaign, VisitTask
    from kechuang.indicators.models import IndicatorSet

    pages = {
        "enterprise": f"/enterprises/{region.own_enterprise_id}/",
        "assessment": f"/qualifications/enterprise/{region.own_enterprise_id}/",
        "diagnosis": f"/rnd/diagnosis/{region.own_enterprise_id}/",
        "reports": "/reports/",
        "security": "/accounts/security/",
        "password": "/accounts/password/",
        "tokens": "/accounts/tokens/",
    }
    campaign = Campaign.objects.order_by("pk").first()
    if campaign:
        pages["campaign"] = f"/campaigns/{campaign.pk}/"
    task = VisitTask.objects.filter(enterprise_id=region.town_enterprise_id).first()
    task = task or VisitTask.objects.order_by("pk").first()
    if task:
        pages["task"] = f"/campaigns/tasks/{task.pk}/"
    indicator_set = IndicatorSet.objects.order_by("pk").first()
    if indicator_set:
        pages["indicator_set"] = f"/indicators/sets/{indicator_set.code}/"
    return pages


def _label(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "home"


def _audit(session: Session, host: str, role: str, label: str, path: str) -> list[str]:
    """Open `path`, check it and screenshot it; the problems found, one line each."""
    page = session.page
    foreign: list[str] = []

    def on_request(request) -> None:
        if urlsplit(request.url).scheme in ("data", "blob", "about"):
            return
        if urlsplit(request.url).netloc != host:
            foreign.append(request.url)

    page.on("request", on_request)
    # "load": the page and everything it links to; then any htmx request it started. (Waiting
    # for the network to stay idle for half a second per page cost minutes over the sweep.)
    response = page.goto(path)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    problems: list[str] = []
    status = response.status if response else 0
    if status >= 500 or status == 0:
        problems.append(f"{path}: HTTP {status}")
    # The page's Content-Security-Policy allows scripts of its own origin only: axe is served
    # at a path of the live server by the browser context's route (see the test).
    page.add_script_tag(url=AXE_URL)
    for v in page.evaluate(AXE_RUN):
        problems.append(f"{path}: axe {v['impact']} {v['id']} ×{v['n']}: {v['targets']}")
    text = page.evaluate("() => document.body.innerText")
    for m in DEVELOPER_TEXT.finditer(text):
        snippet = text[max(0, m.start() - 20) : m.end() + 20].replace("\n", " ")
        problems.append(f"{path}: developer text {m.group(0)!r} in …{snippet}…")
    if SHOTS is not None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"{role}_{label}.png", full_page=True)
    page.remove_listener("request", on_request)
    problems += [f"{path}: request to another host: {url}" for url in foreign]
    return problems


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_accessible_local_and_free_of_developer_text(
    role, open_session, live_server, demo_region
):
    session = open_session(ROLES[role])
    session.page.set_viewport_size({"width": WIDTH, "height": 900})
    session.context.route(
        f"**{AXE_URL}",
        lambda route: route.fulfill(path=AXE, content_type="application/javascript"),
    )
    host = urlsplit(live_server.url).netloc
    session.page.goto("/")
    nav = session.page.eval_on_selector_all(
        "nav.kc-subnav a[href^='/']", "els => els.map(a => a.getAttribute('href'))"
    )
    pages = {"home": "/"}
    for href in nav:
        pages.setdefault(_label(href), href)
    for label, path in _detail_pages(demo_region).items():
        pages.setdefault(label, path)

    problems: list[str] = []
    for label, path in pages.items():
        problems += _audit(session, host, role, label, path)
    assert not problems, f"{role} ({len(pages)} pages):\n" + "\n".join(problems)
