"""Forms of the notifications pages: a kind's rule (bureau admin) and a user's mutes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .registry import KINDS, LeadUnit, ordered_kinds

__all__ = ["RuleForm", "MuteForm", "MAX_LEAD"]

# Upper bounds of a lead time, by unit (a reminder three years ahead is a typing error).
MAX_LEAD = {LeadUnit.MONTHS: 36, LeadUnit.DAYS: 366, LeadUnit.NONE: 0}


class RuleForm(forms.Form):
    kind = forms.CharField(widget=forms.HiddenInput)
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    lead = forms.IntegerField(
        label=_("Lead time"),
        min_value=0,
        required=False,
        error_messages={
            "invalid": _("Enter a whole number."),
            "min_value": _("The lead time cannot be negative."),
        },
    )
    email = forms.BooleanField(label=_("Also by e-mail"), required=False)

    def clean_kind(self) -> str:
        code = self.cleaned_data["kind"]
        if code not in KINDS:
            raise forms.ValidationError(_("Unknown notification kind."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = KINDS.get(data.get("kind", ""))
        if kind is None:
            return data
        lead = data.get("lead")
        if kind.lead_unit == LeadUnit.NONE:
            data["lead"] = 0
        elif lead is None:
            self.add_error("lead", _("Enter the lead time."))
        elif lead > MAX_LEAD[kind.lead_unit]:
            self.add_error(
                "lead",
                _("The lead time can be at most %(max)s.") % {"max": MAX_LEAD[kind.lead_unit]},
            )
        return data


class MuteForm(forms.Form):
    """One checkbox per kind: checked = receive it; unchecked kinds are muted."""

    receive = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["receive"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(k.code, k.label) for k in ordered_kinds()]

    def muted(self) -> set[str]:
        return set(KINDS) - set(self.cleaned_data.get("receive") or [])
