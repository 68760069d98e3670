"""Filter forms' selects are built in Python with exactly the markup of Django's templates."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.safestring import mark_safe

from kechuang.core.filters import FastSelect

CHOICES = [
    ("", "全部"),
    ("C", "制造业 <C> & “门类”"),
    ("groups", [("C13", "农副食品加工业"), ("C14", mark_safe("<b>食品</b>"))]),
    (2024, 2024),
    ("q\"x'", "引号"),
]


class _Form(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    required = forms.ChoiceField(choices=CHOICES)
    attrs = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"class": "form-select", "disabled": False, "data-x": "<&>"}),
    )


@pytest.mark.parametrize(
    "data", [{}, {"plain": "C14", "required": "2024", "attrs": "q\"x'"}, {"plain": "nope"}]
)
@pytest.mark.parametrize("name", ["plain", "required", "attrs"])
def test_same_markup_as_django(data, name):
    form = _Form(data or None)
    field = form[name]
    expected = str(field)
    field.field.widget.__class__ = FastSelect
    assert str(field) == expected
    assert "<option" in expected


def test_filter_forms_use_it(db):
    from kechuang.enterprises.filters import EnterpriseFilterSet
    from kechuang.enterprises.models import Enterprise

    form = EnterpriseFilterSet({}, queryset=Enterprise.objects.none()).form
    selects = [f.widget for f in form.fields.values() if isinstance(f.widget, forms.Select)]
    assert selects and any(type(w) is FastSelect for w in selects)
    assert all(type(w) is not forms.Select for w in selects)
