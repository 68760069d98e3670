"""Paragraph templates without Django: placeholders are resolved, a clause whose figure is
unavailable is left out with its punctuation, unknown names and stray braces are reported."""

from __future__ import annotations

from kechuang.reports.logic.templating import template_names, template_problems, template_render

VALUES = {"a": "953家", "b": None, "c": "150家", "d": ""}


def render(text: str) -> str:
    return template_render(text, VALUES.get)


def test_placeholders_are_replaced():
    assert render("备案{a}，认定{c}。") == "备案953家，认定150家。"


def test_a_clause_without_its_figure_is_left_out_with_its_mark():
    assert render("备案{a}，入库{b}，认定{c}。") == "备案953家，认定150家。"
    assert render("备案{a}、入库{b}。") == "备案953家。"  # the sentence still ends with 。
    assert render("共{a}；其中{d}。下一句。") == "共953家。下一句。"


def test_a_sentence_without_any_of_its_figures_is_left_out():
    assert render("综合评价方面，指数{b}、{b}。其余{a}。") == "其余953家。"
    assert render("力争突破千家（目前尚差{b}）。") == ""


def test_marks_inside_brackets_do_not_split_a_clause():
    assert render("如（甲，{b}）所示，{a}。") == "953家。"


def test_names_and_problems():
    assert template_names("{a}{c}{a}") == ["a", "c"]
    assert template_problems("{a}和{zz}", ["a", "c"]) == (["zz"], False)
    assert template_problems("{a}和{", ["a"]) == ([], True)
    assert template_problems("{A}", ["a"]) == ([], True)  # not a placeholder name


def test_the_stronger_pause_of_a_dropped_clause_stays():
    assert render("占比{a}，{b}；合计{c}。") == "占比953家；合计150家。"
