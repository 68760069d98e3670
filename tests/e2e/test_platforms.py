"""Platforms in the browser, one whole flow: staff open the provincial incubator and see a failed
national condition with its gap; its operator fills the 2024 yearly report (pre-filled, evidence
and signed pledge) and submits it; staff accept it, score the incubator and publish the
evaluation results for public notice."""

from __future__ import annotations

from kechuang.notices.models import Notice
from kechuang.platforms.models import Evaluation, Platform, PlatformReport

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
INCUBATOR = "慈溪智慧谷科技企业孵化器"


def test_incubator_condition_report_review_and_publication(open_session, tmp_path):
    incubator = Platform.objects.get(name=INCUBATOR)
    evidence = tmp_path / "evidence.pdf"
    pledge = tmp_path / "pledge.pdf"
    evidence.write_bytes(PDF)
    pledge.write_bytes(PDF)

    # Staff open the incubator: the national area condition fails with its gap and clause.
    s = open_session("staff")
    s.goto("/platforms/?kind=incubator", "incubators")
    with s.page.expect_navigation():
        s.page.get_by_test_id("platform-table").get_by_role("link", name=INCUBATOR).click()
    s.shot("incubator")
    failed = s.page.locator("[data-testid=condition][data-status=fail]")
    assert failed.count() >= 1
    row = failed.filter(has_text="孵化面积").first
    assert "+1,000" in row.get_by_test_id("gap").inner_text()
    assert "国科发区〔2018〕300号" in row.inner_text()

    # The operator fills the yearly report and submits it with the evidence and the pledge.
    o = open_session("operator")
    o.goto("/platforms/rounds/", "rounds")
    with o.page.expect_navigation():
        o.page.get_by_test_id("fill-report").first.click()
    o.shot("report")
    form = o.page.get_by_test_id("report-form")
    assert form.locator("[name=area_m2]").input_value() in ("9000", "9000.00", "9,000")
    form.locator("[name=area_m2]").fill("10200")
    form.locator("[name=revenue_wan]").fill("650")
    form.locator("[name=evidence]").set_input_files(str(evidence))
    form.locator("[name=pledge]").set_input_files(str(pledge))
    with o.page.expect_navigation():
        form.get_by_test_id("submit-report").click()
    o.shot("report-submitted")
    assert "已提交" in o.page.get_by_test_id("report-status").inner_text()
    o.goto(
        f"/platforms/{Platform.objects.exclude(pk=incubator.pk).first().pk}/", "other", status=404
    )

    # Staff accept it, score the incubator and publish the results.
    report = PlatformReport.objects.get(platform=incubator, round__year=2024)
    s.goto(f"/platforms/rounds/{report.round_id}/", "round")
    review = s.page.get_by_test_id("review-form").first
    with s.page.expect_navigation():
        review.get_by_role("button", name="通过").click()
    s.shot("accepted")
    report.refresh_from_db()
    assert report.status == "accepted"
    s.goto(f"/platforms/{incubator.pk}/evaluation/2024/", "score")
    form = s.page.get_by_test_id("platform-form")
    form.locator("[name=scheme]").select_option(index=1)
    form.locator("[name=expert]").fill("88")
    form.locator("[name=management]").fill("90")
    with s.page.expect_navigation():
        form.locator("button[type=submit]").click()
    s.shot("evaluations")
    assert Evaluation.objects.get(platform=incubator, year=2024).grade
    before = Notice.objects.count()
    with s.page.expect_navigation():
        s.page.get_by_test_id("publish-incubator").click()
    s.shot("published")
    assert Notice.objects.count() == before + 1
    assert Evaluation.objects.get(platform=incubator, year=2024).notice is not None
    s.goto(f"/platforms/{incubator.pk}/", "incubator-after")
    s.goto("/platforms/enclaves/returns/?year=2024", "three-returns")
    s.goto("/platforms/candidates/", "candidates")
    s.goto("/platforms/milestones/?overdue=true", "milestones")
    s.goto("/dashboard/", "dashboard")
    assert s.page.get_by_test_id("platforms-panel").count() == 1
