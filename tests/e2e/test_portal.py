"""The enterprise portal in the browser, one whole flow (docs/portal.md): the enterprise submits
its 2025 figures with a document, its town officer returns them with a reason, the enterprise
fixes and resubmits, the town passes them, bureau staff accept them over the official figures
with the confirmation; the registry and the R&D aggregates change only then."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.core.hooks import data_changed
from kechuang.core.models import DataSource
from kechuang.enterprises.models import AnnualFigure, FigureSubmission
from kechuang.rnd.logic.aggregates import RD_EXPENSE
from kechuang.rnd.selectors import rd_aggregates

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
YEAR = 2025


@pytest.fixture
def official_2025(demo_region):
    """The statistics import's 2025 row of the demo enterprise (above-scale, revenue, no R&D
    yet); removed afterwards so the other browser tests keep their default year."""
    enterprise_id = demo_region.own_enterprise_id
    last = AnnualFigure.objects.filter(enterprise_id=enterprise_id, year=YEAR - 1).first()
    figure = AnnualFigure.objects.create(
        enterprise_id=enterprise_id,
        year=YEAR,
        source=DataSource.IMPORT,
        is_above_scale_industrial=True,
        operating_revenue=Decimal("80000000"),
        employees_year_end=getattr(last, "employees_year_end", None),
    )
    yield figure
    FigureSubmission.objects.filter(enterprise_id=enterprise_id, year=YEAR).delete()
    AnnualFigure.objects.filter(enterprise_id=enterprise_id, year=YEAR).delete()
    data_changed(years=[YEAR])


def _review(s, submission, label):
    s.goto("/enterprises/submissions/", f"{label}-queue")
    assert s.page.get_by_test_id(f"open-{submission.pk}").count() == 1
    with s.page.expect_navigation():
        s.page.get_by_test_id(f"open-{submission.pk}").click()
    s.shot(f"{label}-review")


def test_submission_town_return_resubmit_town_pass_bureau_accept(
    open_session, official_2025, tmp_path
):
    before = rd_aggregates(YEAR)[RD_EXPENSE]

    # The enterprise opens its portal, fills 2025 (prefilled from the official row), adds its
    # R&D ledger and submits.
    e = open_session("enterprise")
    e.goto("/enterprises/portal/", "portal")
    with e.page.expect_navigation():
        e.page.get_by_test_id(f"fill-{YEAR}").click()
    e.shot("form")
    form = e.page.get_by_test_id("submission-form")
    assert form.locator("[name=operating_revenue]").input_value() == "8000"
    assert e.page.get_by_test_id("official-operating_revenue").count() == 1
    form.locator("[name=operating_revenue]").fill("8200")  # differs from the official 8000
    form.locator("[name=rd_expense_stat]").fill("300")
    with e.page.expect_navigation():
        form.get_by_test_id("save-draft").click()
    ledger = tmp_path / "研发辅助账.pdf"
    ledger.write_bytes(PDF)
    upload = e.page.get_by_test_id("upload-form")
    upload.locator("[name=kind]").select_option("rd_ledger")
    upload.locator("[name=file]").set_input_files(str(ledger))
    with e.page.expect_navigation():
        upload.locator("button[type=submit]").click()
    assert "研发辅助账.pdf" in e.page.get_by_test_id("documents").inner_text()
    e.shot("draft-with-document")
    with e.page.expect_navigation():
        e.page.get_by_test_id("submission-form").get_by_test_id("submit").click()
    e.shot("submitted")
    submission = FigureSubmission.objects.get(enterprise_id=official_2025.enterprise_id, year=YEAR)
    assert submission.status == "submitted"

    # The town officer returns it with a reason.
    t = open_session("town")
    _review(t, submission, "town")
    t.page.get_by_test_id("review-card").locator("[name=reason]").fill("研发费用与辅助账不一致")
    with t.page.expect_navigation():
        t.page.get_by_test_id("return").click()
    t.shot("town-returned")
    assert "研发费用与辅助账不一致" in t.page.get_by_test_id("returned-reason").inner_text()

    # The enterprise sees the reason, fixes the figure and resubmits.
    e.goto("/enterprises/portal/", "portal-returned")
    assert "研发费用与辅助账不一致" in e.page.get_by_test_id("portal-years").inner_text()
    e.goto(f"/enterprises/portal/{YEAR}/", "form-returned")
    assert "研发费用与辅助账不一致" in e.page.get_by_test_id("returned-reason").inner_text()
    form = e.page.get_by_test_id("submission-form")
    form.locator("[name=rd_expense_stat]").fill("320")
    with e.page.expect_navigation():
        form.get_by_test_id("submit").click()
    e.shot("resubmitted")

    # The town passes it; the registry has not changed yet.
    _review(t, submission, "town-again")
    with t.page.expect_navigation():
        t.page.get_by_test_id("town-pass").click()
    t.shot("town-passed")
    assert rd_aggregates(YEAR)[RD_EXPENSE] == before

    # Bureau staff: the differing official revenue needs the confirmation.
    s = open_session("staff")
    s.goto(f"/rnd/?year={YEAR}", "rnd-before")
    card_before = s.page.get_by_test_id(f"stat-{RD_EXPENSE}").inner_text()
    _review(s, submission, "staff")
    assert s.page.get_by_test_id("differs").count() == 1
    with s.page.expect_navigation():
        s.page.get_by_test_id("accept").click()
    s.shot("staff-needs-confirmation")
    submission.refresh_from_db()
    assert submission.status == "town_passed"
    s.page.get_by_test_id("confirm-official").check()
    with s.page.expect_navigation():
        s.page.get_by_test_id("accept").click()
    s.shot("staff-accepted")
    history = s.page.get_by_test_id("submission-history").inner_text()
    assert "研发费用与辅助账不一致" in history

    # The registry and the region's R&D figures changed by the accepted amount.
    official_2025.refresh_from_db()
    assert official_2025.rd_expense_stat == Decimal("3200000")
    assert official_2025.operating_revenue == Decimal("82000000")
    assert rd_aggregates(YEAR)[RD_EXPENSE] == (before or 0) + Decimal("3200000")
    s.goto(f"/rnd/?year={YEAR}", "rnd-after")
    assert s.page.get_by_test_id(f"stat-{RD_EXPENSE}").inner_text() != card_before
    e.goto("/enterprises/portal/colleagues/", "colleagues")
