"""Playwright in Debian's Chromium: bureau staff open /reports/, generate the 2024 report as
Word, download it and find the seed's figures and the GB/T 9704 page set-up in it; the leader
downloads the latest report. With KECHUANG_SHOTS_DIR set (`make screens`), each page is kept
as a screenshot."""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from docx import Document as open_docx

from kechuang.demo.services import DEMO_PASSWORD

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
TIMEOUT_MS = 30_000
# Generating the Word report runs in the request: seconds when idle, longer on a loaded machine.
GENERATE_TIMEOUT_MS = 180_000


def _session(browser, live_server, username: str):
    context = browser.new_context(
        base_url=live_server.url,
        accept_downloads=True,
        viewport={"width": 1400, "height": 900},
        locale="zh-CN",
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "response",
        lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 500 else None,
    )
    page.goto("/accounts/login/")
    form = page.get_by_test_id("login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    return context, page, errors


def _shot(page, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENS / f"reports-{name}.png", full_page=True)


def test_staff_generates_and_downloads_the_word_report(browser, live_server, transactional_db):
    context, page, errors = _session(browser, live_server, "staff")
    response = page.goto("/reports/")
    assert response.status == 200
    _shot(page, "01-staff-empty")
    form = page.get_by_test_id("report-form")
    form.locator("select[name=year]").select_option("2024")
    form.locator("select[name=format]").select_option("docx")
    with page.expect_navigation(timeout=GENERATE_TIMEOUT_MS):
        page.get_by_test_id("generate").click(timeout=GENERATE_TIMEOUT_MS)
    assert "new=" in page.url
    _shot(page, "02-staff-generated")
    row = page.locator("[data-testid^=report-row-]").first
    assert "2024" in row.inner_text()
    with page.expect_download() as info:
        row.locator("a[data-testid^=download-]").click()
    download = info.value
    assert download.suggested_filename.endswith("2024年工作总结和2025年工作计划.docx")
    doc = open_docx(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(p.text for p in doc.paragraphs)
    for phrase in (
        "有效高新技术企业994家",
        "研发费用84.2亿元",
        "研发投入强度3.36%",
    ):
        assert phrase in text
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    context.close()
    assert not errors, errors

    # The leader sees the report just generated and downloads it, read-only.
    context, page, errors = _session(browser, live_server, "leader")
    page.goto("/reports/")
    _shot(page, "03-leader")
    assert page.get_by_test_id("report-form").count() == 0
    with page.expect_download() as info:
        page.get_by_test_id("download-latest").click()
    assert info.value.suggested_filename.endswith(".docx")
    context.close()
    assert not errors, errors


def test_staff_edit_the_wording_with_a_preview(browser, live_server, transactional_db):
    from kechuang.reports.models import ReportParagraph

    context, page, errors = _session(browser, live_server, "staff")
    page.goto("/reports/")
    with page.expect_navigation():
        page.get_by_test_id("edit-wording").click()
    assert page.url.endswith("/reports/templates/")
    _shot(page, "04-wording-list")
    with page.expect_navigation():
        page.get_by_test_id("paragraph-institutions").get_by_role("link").click()
    form = page.get_by_test_id("paragraph-form")
    form.locator("textarea[name=text]").fill("新认定{new_ones}。")
    with page.expect_navigation():
        page.get_by_test_id("save").click()
    assert "{rd_total_yi}（规上工业企业研发费用（亿元））" in page.inner_text("body")
    _shot(page, "05-wording-unknown-placeholder")
    form.locator("textarea[name=text]").fill(
        "年末累计{institutions_total}，占比{institutions_ratio}。"
    )
    with page.expect_navigation():
        page.get_by_test_id("preview").click()
    assert "年末累计1438家，占比近80%。" in page.get_by_test_id("paragraph-preview").inner_text()
    _shot(page, "06-wording-preview")
    try:
        with page.expect_navigation():
            page.get_by_test_id("save").click()
        assert page.url.endswith("/reports/templates/")
        paragraph = ReportParagraph.objects.get(key="institutions")
        assert paragraph.version == 2 and paragraph.history.count() == 2
    finally:  # the demo is shared by the package: put the shipped wording back
        ReportParagraph.objects.all().delete()
        ReportParagraph.history.model.objects.all().delete()
    context.close()
    assert not errors, errors
