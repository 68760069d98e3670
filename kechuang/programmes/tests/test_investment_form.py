"""The 拨改投 investment form: co-investors and milestone tranches entered as lines."""

from __future__ import annotations

from kechuang.programmes.forms import InvestmentForm


def _form(**extra: str) -> InvestmentForm:
    data = {
        "amount_yuan": "3000000",
        "pre_money_yuan": "30000000",
        "invested_on": "2025-03-01",
        "exit_kind": "buyback",
        **extra,
    }
    return InvestmentForm(data)


def test_milestones_and_co_investors_are_parsed_with_chinese_commas():
    form = _form(
        co_investors="慈溪市产业基金，2000000",
        milestones="完成中试，1000000\n\n量产, 2000000",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["co_investors"] == [
        {"name": "慈溪市产业基金", "amount_yuan": "2000000"}
    ]
    assert form.cleaned_data["milestones"] == [
        {"label": "完成中试", "amount_yuan": "1000000"},
        {"label": "量产", "amount_yuan": "2000000"},
    ]


def test_milestones_beyond_the_amount_are_refused_on_the_field():
    form = _form(milestones="完成中试,2000000\n量产,1000001")
    assert not form.is_valid()
    assert list(form.errors) == ["milestones"]


def test_a_bad_line_is_named_by_its_number():
    for text in ("完成中试,一百万", ",100", "量产,-5", "量产,NaN"):
        form = _form(milestones=f"完成中试,100\n{text}")
        assert not form.is_valid(), text
        assert "2" in form.errors["milestones"][0], text
