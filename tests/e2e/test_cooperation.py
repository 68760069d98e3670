"""Cooperation in the browser, one whole flow: an enterprise posts a demand in its own words and
sees ranked suppliers with the reasons; bureau staff broker it at a 千企百校万里行 event, through
contact, meeting and negotiation, to a technical contract they register; the event's figures
move by one."""

from __future__ import annotations

import datetime as dt

from kechuang.cooperation.models import CooperationEvent, TechContract, TechDemand

from .conftest import number_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _event_figures(s, event) -> tuple[int, int]:
    s.goto(f"/cooperation/events/{event.pk}/", "event")
    return (
        number_in(s.page.get_by_test_id("event-matched").inner_text()),
        number_in(s.page.get_by_test_id("event-contracts").inner_text()),
    )


def test_demand_to_registered_contract_moves_the_event_figures(open_session, tmp_path):
    event = (
        CooperationEvent.objects.filter(kind="qianqi_baixiao", date__year=2024)
        .order_by("date")
        .first()
    )
    assert event is not None

    # The enterprise posts a demand about a symptom; the suppliers are ranked with reasons.
    e = open_session("enterprise")
    e.goto("/cooperation/demands/new/", "demand-form")
    form = e.page.get_by_test_id("cooperation-form")
    form.locator("[name=title]").fill("镀锌后的螺栓过几天就断")
    form.locator("[name=summary]").fill("高强度螺栓电镀锌后装配几天出现断裂")
    form.locator("[name=description]").fill(
        "10.9级螺栓电镀锌以后装到客户设备上，放几天就断了，客户投诉多。"
    )
    with e.page.expect_navigation():
        form.get_by_test_id("save").click()
    e.shot("demand-posted")
    suppliers = e.page.get_by_test_id("supplier")
    assert suppliers.count() >= 3
    assert "氢脆" in suppliers.first.inner_text()
    assert "共同关键词" in suppliers.first.get_by_test_id("why").inner_text()
    assert e.page.get_by_test_id("broker-form").count() == 0
    demand = TechDemand.objects.order_by("-pk").first()
    assert demand.title == "镀锌后的螺栓过几天就断"

    # Bureau staff broker it at the event, step by step.
    s = open_session("staff")
    matched_before, contracts_before = _event_figures(s, event)
    s.goto(f"/cooperation/demands/{demand.pk}/", "staff-demand")
    broker = s.page.get_by_test_id("broker-form")
    broker.locator("[name=achievement]").select_option(index=1)
    broker.locator("[name=event]").select_option(str(event.pk))
    with s.page.expect_navigation():
        broker.get_by_test_id("start-brokering").click()
    for stage, people in (
        ("contacted", ""),
        ("meeting", "企业技术总监、王教授"),
        ("negotiation", ""),
    ):
        move = s.page.get_by_test_id("move-form")
        move.locator("[name=stage]").select_option(stage)
        move.locator("[name=people]").fill(people)
        with s.page.expect_navigation():
            move.get_by_test_id("record-step").click()
        assert s.page.get_by_test_id("brokering-stage").inner_text().strip() != ""
    s.shot("negotiation")

    # The seller's application with the written contract, accepted and registered.
    with s.page.expect_navigation():
        s.page.get_by_test_id("apply-contract").click()
    form = s.page.get_by_test_id("cooperation-form")
    form.locator("[name=signed_on]").fill(str(dt.date.today()))
    form.locator("[name=total_amount]").fill("1200000")
    contract_pdf = tmp_path / "技术开发合同.pdf"
    contract_pdf.write_bytes(PDF)
    form.locator("[name=written_contract]").set_input_files(str(contract_pdf))
    with s.page.expect_navigation():
        form.get_by_test_id("save").click()
    s.shot("contract-applied")
    with s.page.expect_navigation():
        s.page.get_by_test_id("accept-form").locator("button[type=submit]").click()
    register = s.page.get_by_test_id("register-form")
    register.locator("[name=register-registered_type]").select_option("dev_commissioned")
    register.locator("[name=register-non_technical_costs]").fill("200000")
    register.locator("[name=register-certificate_number]").fill("3302822026E2E001")
    with s.page.expect_navigation():
        register.locator("button[type=submit]").click()
    s.shot("contract-registered")
    assert "100.00" in s.page.get_by_test_id("technical-amount").inner_text()  # 万元
    contract = TechContract.objects.get(certificate_number="3302822026E2E001")
    assert contract.brokering.stage == "contracted"
    assert TechDemand.objects.get(pk=demand.pk).status == "contracted"

    matched_after, contracts_after = _event_figures(s, event)
    assert (matched_after, contracts_after) == (matched_before + 1, contracts_before + 1)
