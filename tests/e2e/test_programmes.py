"""Programmes in the browser, one whole flow from call to acceptance: bureau staff configure and
open a call; the enterprise sees its eligibility, fills the structured application and submits
it (tracking number and PDF); staff pass the formal check and seat the experts (the demo expert, a
shareholder of the applicant, is kept off); a seated expert declares no conflict and scores; the panel approves; staff publish the public notice; an
anonymous visitor files an objection, which holds the project until staff dismiss it with a
reply; after the notice period the final list confirms the project; staff upload the signed
task contract and pay the first tranche; the enterprise reports its KPIs and the acceptance
panel accepts the project."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.experts.models import Expert, Organisation
from kechuang.notices.models import Notice, NoticeItem, Objection
from kechuang.programmes.models import Application, Call, Project

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CALL = "浏览器测试成果转化专项"
TITLE = "氢燃料电池金属双极板中试"


def _local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _submit(s, form, button: str) -> None:
    with s.page.expect_navigation():
        form.get_by_role("button", name=button, exact=True).click()


def test_call_to_accepted_project(open_session, demo_region, settings, tmp_path):
    settings.KECHUANG_OBJECTION_MIN_FILL_SECONDS = 0
    pdf = tmp_path / "材料.pdf"
    pdf.write_bytes(PDF)
    now = timezone.now()

    # Bureau staff configure the call and open it.
    s = open_session("staff")
    s.goto("/programmes/calls/", "calls")
    with s.page.expect_navigation():
        s.page.get_by_test_id("new-call").click()
    form = s.page.get_by_test_id("call-form")
    form.locator("[name=programme_type]").select_option(label="成果转化专项")
    form.locator("[name=year]").fill(str(timezone.localdate().year))
    form.locator("[name=title]").fill(CALL)
    form.locator("[name=guide]").fill("支持氢能与新能源领域科技成果在本地中试和产业化。")
    form.locator("[name=opens_at]").fill(_local(now - dt.timedelta(hours=1)))
    form.locator("[name=closes_at]").fill(_local(now + dt.timedelta(days=30)))
    form.locator("[name=total_budget_yuan]").fill("3000000")
    form.locator("[name=topics]").fill(
        "氢能与燃料电池：燃料电池 双极板 氢能\n成果产业化：中试 产业化"
    )
    _submit(s, form, "保存")
    call = Call.objects.get(title=CALL)
    assert call.status == "draft" and call.topics.count() == 2
    with s.page.expect_navigation():
        s.page.get_by_test_id("call-open").click()
    s.shot("call-opened")
    s.goto("/programmes/calls/", "calls-managed")
    with s.page.expect_navigation():
        s.page.get_by_test_id("type-list-link").click()
    with s.page.expect_navigation():
        s.page.get_by_test_id("type-list").get_by_role("link", name="成果转化专项").first.click()
    assert s.page.get_by_test_id("rows-conditions").locator("select").count() >= 2
    s.shot("programme-type")
    assert Call.objects.get(pk=call.pk).status == "open"

    # The enterprise sees the call and its eligibility with reasons, then applies.
    e = open_session("enterprise")
    e.goto("/programmes/calls/", "public-calls")
    with e.page.expect_navigation():
        e.page.get_by_test_id("call-list").get_by_role("link", name=CALL).click()
    assert e.page.get_by_test_id("eligibility-status").inner_text().strip()
    assert e.page.get_by_test_id("eligibility").locator("tr").count() >= 2
    e.shot("call-eligibility")
    with e.page.expect_navigation():
        e.page.get_by_test_id("apply").click()
    form = e.page.get_by_test_id("application-form")
    form.locator("[name=title]").fill(TITLE)
    form.locator("[name=owner_name]").fill("林晓东")
    form.locator("[name=summary]").fill(
        "将实验室验证的金属双极板涂层工艺放大到中试线，形成批量供货能力。"
    )
    form.locator("[name=objectives]").fill(
        "建成年产十万片的中试线，涂层耐蚀性和接触电阻达到车用标准。"
    )
    form.locator("[name=total_yuan]").fill("1400000")
    for row, (baseline, target) in enumerate((("0", "3"), ("0", "1500"))):
        form.locator(f"[name=kpis-{row}-baseline]").fill(baseline)
        form.locator(f"[name=kpis-{row}-target]").fill(target)
    for row, (own, requested) in enumerate((("600000", "300000"), ("300000", "200000"))):
        form.locator(f"[name=budget-{row}-own]").fill(own)
        form.locator(f"[name=budget-{row}-requested]").fill(requested)
    form.locator("[name=team-0-name]").fill("林晓东")
    form.locator("[name=team-0-role]").fill("项目负责人")
    form.locator("[name=team-0-organisation]").fill("申报单位")
    form.locator("[name=schedule-0-period]").fill("第一年")
    form.locator("[name=schedule-0-task]").fill("中试线建设与工艺验证")
    # The partner is chosen from the registry as the applicant types its name.
    partner = (
        Organisation.objects.filter(experts__isnull=True).order_by("pk").first()
        or Organisation.objects.exclude(experts__user__username="expert").order_by("pk").first()
    )
    field = form.locator("[name=partners-0-name]")
    field.press_sequentially(partner.name)
    e.page.locator("#kc-partner-options option").first.wait_for(state="attached")
    assert partner.name in e.page.locator("#kc-partner-options").inner_html()
    form.locator("[name=partners-0-role]").fill("技术合作")
    with e.page.expect_navigation():
        form.get_by_test_id("save-draft").click()
    e.shot("draft-saved")
    saved = Application.objects.get(call=call, title=TITLE).partners
    assert saved[0]["organisation"] == partner.pk and saved[0]["matched"] is True
    assert e.page.get_by_test_id("partner-matched").count() == 1
    with e.page.expect_navigation():
        e.page.get_by_role("link", name="查看并提交").click()
    with e.page.expect_navigation():
        e.page.get_by_test_id("submit").click()
    e.shot("submitted")
    application = Application.objects.get(call=call, title=TITLE)
    assert application.status == "submitted" and application.tracking_number
    assert application.tracking_number in e.page.content()
    assert application.submitted_pdf
    assert e.page.get_by_test_id("checks").locator("li").count() >= 4

    # Staff pass the formal check and the proposal seats the experts.
    s.goto("/programmes/applications/?status=submitted", "to-check")
    with s.page.expect_navigation():
        s.page.get_by_test_id("application-table").get_by_role("link", name=TITLE).click()
    check = s.page.get_by_test_id("check-form")
    check.locator("[name=decision][value=pass]").check()
    _submit(s, check, "记录")
    assert Application.objects.get(pk=application.pk).status == "checked"
    s.goto(f"/programmes/calls/{call.pk}/review/", "review")
    with s.page.expect_navigation():
        s.page.get_by_test_id("propose").click()
    # The demo expert holds shares in the applicant: the proposal left them out with the
    # reason shown, and seating them by hand is refused.
    conflicted = Expert.objects.get(user__username="expert")
    card = s.page.locator(f"[data-app='{application.pk}']")
    assert conflicted.name in card.get_by_test_id("conflicts").inner_text()
    card.locator("[name=expert]").select_option(str(conflicted.pk))
    _submit(s, card, "分配")
    s.shot("seated")
    assert not application.assignments.filter(expert=conflicted).exists()
    seats = s.page.locator(f"[data-app='{application.pk}']").get_by_test_id("seats")
    seat = application.assignments.select_related("expert").order_by("-fit", "pk").first()
    assert seat.expert.name in seats.inner_text()
    # A proposed expert gets a login (accounts are issued outside these pages).
    reviewer = make_user(Role.EXPERT, username="reviewer", password=demo_region.password)
    Expert.objects.filter(pk=seat.expert_id).update(user=reviewer)

    # The expert declares no conflict before seeing the application, then scores it.
    x = open_session("reviewer")
    x.goto("/programmes/review/", "seats")
    with x.page.expect_navigation():
        x.page.get_by_test_id("seat-list").get_by_role("link", name=TITLE).click()
    assert "双极板涂层工艺" not in x.page.content()  # only the title before declaring
    declare = x.page.get_by_test_id("declare-form")
    declare.locator("[name=conflict][value=no]").check()
    _submit(x, declare, "提交声明")
    assert "双极板涂层工艺" in x.page.content()
    sheet = x.page.get_by_test_id("score-form")
    for key, points in (
        ("innovation", "9"),
        ("feasibility", "8.5"),
        ("team", "8"),
        ("benefit", "9"),
        ("budget", "8"),
    ):
        sheet.locator(f"[name={key}]").fill(points)
    with x.page.expect_navigation():
        sheet.get_by_test_id("submit-scores").click()
    x.shot("scored")
    assert Application.objects.get(pk=application.pk).score is not None

    # The panel approves; the call is closed and decided; the notice is published.
    s.goto(f"/programmes/calls/{call.pk}/review/", "scores")
    decision = s.page.locator(f"[data-app='{application.pk}']").get_by_test_id("decision-form")
    decision.locator("[name=decision]").select_option("approve")
    decision.locator("[name=amount_yuan]").fill("500000")
    decision.locator("[name=reasons]").fill("技术路线清晰，中试条件具备，予以立项。")
    _submit(s, decision, "记录会议评审决定")
    for action in ("close", "start_review", "decide"):
        with s.page.expect_navigation():
            s.page.get_by_test_id(f"call-{action}").click()
    with s.page.expect_navigation():
        s.page.get_by_test_id("publish").click()
    s.shot("published")
    project = Project.objects.get(application=application)
    item = NoticeItem.objects.get(
        content_type=ContentType.objects.get_for_model(Project), object_id=project.pk
    )
    notice = item.notice
    assert project.status == "noticed" and Call.objects.get(pk=call.pk).status == "noticed"

    # An anonymous visitor objects within the notice period; the project is held.
    a = open_session(None)
    a.goto("/notices/", "notices")
    with a.page.expect_navigation():
        a.page.get_by_test_id("notice-list").get_by_role("link", name=notice.title).click()
    assert TITLE in a.page.get_by_test_id("notice-items").inner_text()
    assert "600000" not in a.page.content() and "600,000" not in a.page.content()  # no budget
    form = a.page.get_by_test_id("objection-form")
    form.locator("[name=item]").select_option(str(item.pk))
    form.locator("[name=name]").fill("李四")
    form.locator("[name=contact]").fill("13900000000")
    form.locator("[name=reasons]").fill("该中试线场地尚未取得环评批复。")
    form.locator("[name=evidence]").set_input_files(str(pdf))
    _submit(a, form, "提交异议")
    receipt = a.page.get_by_test_id("receipt-no").inner_text().strip()
    assert Objection.objects.get(receipt_no=receipt).item_id == item.pk
    assert Project.objects.get(pk=project.pk).status == "held"

    # Staff investigate and dismiss it with a reply; the project is released.
    s.goto(f"/notices/objections/?notice={notice.pk}", "objections")
    with s.page.expect_navigation():
        s.page.get_by_test_id("objection-table").get_by_role("link", name=receipt).click()
    handle = s.page.get_by_test_id("handle-form")
    handle.locator("[name=action]").select_option("dismiss")
    handle.locator("[name=reply]").fill("经核查，环评批复已于申报前取得，异议不成立。")
    _submit(s, handle, "保存")
    s.shot("objection-dismissed")
    assert Project.objects.get(pk=project.pk).status == "noticed"

    # The notice period passes (the clock is the one thing the pages cannot move); staff
    # publish the final list, which confirms the project.
    Notice.objects.filter(pk=notice.pk).update(window_ends_at=timezone.now() - dt.timedelta(1))
    s.goto("/notices/manage/", "notice-manage")
    row = s.page.get_by_test_id("notice-manage").locator("tr", has_text=notice.title)
    _submit(s, row, "发布最终名单")
    assert Project.objects.get(pk=project.pk).status == "confirmed"
    s.goto(f"/programmes/calls/{call.pk}/review/", "call-noticed")
    with s.page.expect_navigation():
        s.page.get_by_test_id("call-finalise").click()
    assert Call.objects.get(pk=call.pk).status == "final"

    # Staff upload the signed task contract (the project runs) and pay the first tranche.
    s.goto("/programmes/projects/", "projects")
    with s.page.expect_navigation():
        s.page.get_by_test_id("project-list").locator("tr", has_text=TITLE).get_by_role(
            "link"
        ).first.click()
    sign = s.page.get_by_test_id("sign-form")
    sign.locator("[name=signed_copy]").set_input_files(str(pdf))
    sign.locator("[name=starts_on]").fill(str(timezone.localdate()))
    _submit(s, sign, "上传并启动项目")
    with s.page.expect_navigation():
        s.page.get_by_test_id("pay-1").click()
    s.shot("running")
    project = Project.objects.get(pk=project.pk)
    assert project.status == "running"
    assert project.tranches.filter(status="paid").count() == 1

    # The enterprise reports its KPIs with evidence for the acceptance.
    e.goto(project.get_absolute_url(), "project-enterprise")
    with e.page.expect_navigation():
        e.page.get_by_test_id("report-acceptance").click()
    report = e.page.get_by_test_id("report-form")
    report.locator("[name=kpi_0]").fill("3")
    report.locator("[name=kpi_1]").fill("1600")
    report.locator("[name=narrative]").fill("中试线已建成并连续运行三个月，产品通过客户验证。")
    report.locator("[name=evidence]").set_input_files(str(pdf))
    _submit(e, report, "提交报告")

    # The acceptance panel accepts the project.
    s.goto(project.get_absolute_url(), "project-reported")
    with s.page.expect_navigation():
        s.page.get_by_test_id("report-acceptance").click()
    s.shot("acceptance")
    assert "主营业务收入" in s.page.get_by_test_id("kpi-comparison").inner_text()
    assert s.page.get_by_test_id("kpi-formula").count() >= 2
    panel = s.page.get_by_test_id("report-decide")
    panel.locator("[name=outcome]").select_option("passed")
    panel.locator("[name=reasons]").fill("考核指标全部完成，同意通过验收。")
    _submit(s, panel, "记录结论")
    s.shot("accepted")
    assert Project.objects.get(pk=project.pk).status == "accepted"
    assert "已验收" in s.page.get_by_test_id("project-status").inner_text()

    # The applicant sees every step of its application.
    e.goto(application.get_absolute_url(), "application-steps")
    assert e.page.get_by_test_id("steps").locator("li").count() >= 4
