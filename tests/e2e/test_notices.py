"""Public notices in the browser, one whole flow: an anonymous visitor opens a notice without
signing in and files an objection with evidence (a receipt number comes back, the item is held);
bureau staff open the objection, dismiss it with a reply, and the public page releases the item."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from kechuang.enterprises.models import Enterprise
from kechuang.notices.models import Notice, Objection
from kechuang.notices.services import ItemSpec, notice_publish

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TITLE = "浏览器测试拟立项项目公示"


def _notice() -> Notice:
    existing = Notice.objects.filter(title=TITLE).first()
    if existing:
        return existing
    staff = get_user_model().objects.get(username="staff")
    enterprises = list(Enterprise.objects.order_by("pk")[:2])
    specs = [
        ItemSpec(
            e,
            [
                ("项目名称", f"新型材料研发项目{n}"),
                ("承担单位", e.name),
                ("资助金额（万元）", "50"),
            ],
            label=f"新型材料研发项目{n}",
        )
        for n, e in enumerate(enterprises, start=1)
    ]
    return notice_publish(
        kind="programme_projects",
        title=TITLE,
        body="现将拟立项项目予以公示，公示期内如有异议，请以书面形式提出。",
        items=specs,
        window_days=5,
        working_days=True,
        user=staff,
    )


def test_anonymous_objection_then_staff_dismisses(open_session, settings, tmp_path):
    settings.KECHUANG_OBJECTION_MIN_FILL_SECONDS = 0
    notice = _notice()
    evidence = tmp_path / "证明材料.pdf"
    evidence.write_bytes(PDF)
    first = notice.items.order_by("position").first()

    a = open_session(None)
    a.goto("/notices/", "notices")
    with a.page.expect_navigation():
        a.page.get_by_test_id("notice-list").get_by_role("link", name=TITLE).click()
    a.shot("notice")
    assert "公示期" in a.page.get_by_test_id("notice-window").inner_text()
    items = a.page.get_by_test_id("notice-items")
    assert "新型材料研发项目1" in items.inner_text()
    assert first.owner.credit_code not in a.page.content()  # only the published fields
    form = a.page.get_by_test_id("objection-form")
    form.locator("[name=item]").select_option(str(first.pk))
    form.locator("[name=name]").fill("张三")
    form.locator("[name=contact]").fill("13800000000")
    form.locator("[name=reasons]").fill("该项目申报的发明专利并非申报单位所有。")
    form.locator("[name=evidence]").set_input_files(str(evidence))
    with a.page.expect_navigation():
        form.get_by_role("button", name="提交异议").click()
    a.shot("receipt")
    receipt = a.page.get_by_test_id("receipt-no").inner_text().strip()
    objection = Objection.objects.get(receipt_no=receipt)
    assert objection.evidence and objection.item_id == first.pk
    a.goto(notice.get_absolute_url(), "held")
    assert "异议处理中" in a.page.get_by_test_id("notice-items").inner_text()
    assert "13800000000" not in a.page.content()

    s = open_session("staff")
    s.goto(f"/notices/objections/?notice={notice.pk}", "objections")
    with s.page.expect_navigation():
        s.page.get_by_test_id("objection-table").get_by_role("link", name=receipt).click()
    s.shot("objection")
    handle = s.page.get_by_test_id("handle-form")
    handle.locator("[name=action]").select_option("dismiss")
    handle.locator("[name=reply]").fill("经核实，该专利权属于申报单位，异议不成立。")
    with s.page.expect_navigation():
        handle.get_by_role("button", name="保存").click()
    s.shot("dismissed")
    assert "异议不成立" in s.page.get_by_test_id("objection-status").inner_text()
    assert "核实" in s.page.get_by_test_id("objection-log").inner_text()

    a.goto(notice.get_absolute_url(), "released")
    assert "异议处理中" not in a.page.get_by_test_id("notice-items").inner_text()
