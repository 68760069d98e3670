"""Input parsing of the qualification pages: what-if panel, reserve-pool filters, rule items."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kechuang.enterprises.filters import INDUSTRY_DIVISION_CHOICES
from kechuang.regions.models import Town

from .logic.rulesets import _DECIMAL_RE, STATUSES
from .models import ResultStatus, Tier

__all__ = ["WhatIfForm", "ReserveFilterForm", "RuleSetForm", "EVALUATED_TIERS"]

EVALUATED_TIERS = [
    (Tier.HIGH_TECH.value, Tier.HIGH_TECH.label),
    (Tier.TECH_SME_NATIONAL.value, Tier.TECH_SME_NATIONAL.label),
    (Tier.TECH_SME_PROVINCIAL.value, Tier.TECH_SME_PROVINCIAL.label),
    (Tier.CULTIVATION.value, Tier.CULTIVATION.label),
]
ANSWERS = [("", _("Unknown")), ("yes", _("Yes")), ("no", _("No"))]


class WhatIfForm(forms.Form):
    """Levels for the last fiscal year and declarations; nothing here is ever saved."""

    rd = forms.DecimalField(
        label=_("R&D expense (10,000 yuan)"),
        min_value=0,
        max_digits=20,
        decimal_places=6,
        required=False,
    )
    tech_staff = forms.IntegerField(
        label=_("S&T staff (persons)"), min_value=0, max_value=100000, required=False
    )
    ip1 = forms.IntegerField(
        label=_("Class I IP (items)"), min_value=0, max_value=10000, required=False
    )
    ip2 = forms.IntegerField(
        label=_("Class II IP, unused (items)"), min_value=0, max_value=10000, required=False
    )
    revenue = forms.DecimalField(
        label=_("Sales revenue (10,000 yuan)"),
        min_value=0,
        max_digits=20,
        decimal_places=6,
        required=False,
    )
    rd_domestic = forms.DecimalField(
        label=_("R&D expense incurred in China (10,000 yuan)"),
        min_value=0,
        max_digits=20,
        decimal_places=6,
        required=False,
    )
    rd_deduction = forms.DecimalField(
        label=_("R&D expense, super-deduction scope (10,000 yuan)"),
        min_value=0,
        max_digits=20,
        decimal_places=6,
        required=False,
    )
    hightech_income = forms.DecimalField(
        label=_("High-tech product (service) income (10,000 yuan)"),
        min_value=0,
        max_digits=20,
        decimal_places=6,
        required=False,
    )
    conversions = forms.IntegerField(
        label=_("S&T results converted in the last three years (items)"),
        min_value=0,
        max_value=10000,
        required=False,
    )
    no_incidents = forms.ChoiceField(
        label=_("No major safety, quality, environmental or misconduct incident"),
        choices=ANSWERS,
        required=False,
    )
    credit_clean = forms.ChoiceField(
        label=_("Not on the abnormal-operation or serious-dishonesty lists"),
        choices=ANSWERS,
        required=False,
    )
    not_prohibited = forms.ChoiceField(
        label=_("Products not in the prohibited/restricted/eliminated catalogue"),
        choices=ANSWERS,
        required=False,
    )
    core_tech_supported = forms.ChoiceField(
        label=_("Core technology in the state-supported high-tech fields"),
        choices=ANSWERS,
        required=False,
    )
    national_award = forms.ChoiceField(
        label=_("National S&T award (top three) within five years"), choices=ANSWERS, required=False
    )
    led_standard = forms.ChoiceField(
        label=_("Led a national/industry standard within five years"),
        choices=ANSWERS,
        required=False,
    )

    SLIDERS = (
        "rd",
        "rd_domestic",
        "rd_deduction",
        "hightech_income",
        "tech_staff",
        "ip1",
        "ip2",
        "revenue",
        "conversions",
    )
    DECLARATIONS = (
        "no_incidents",
        "credit_clean",
        "not_prohibited",
        "core_tech_supported",
        "national_award",
        "led_standard",
    )


class ReserveFilterForm(forms.Form):
    """Reserve-pool filters: tier, status, town, industry division."""

    tier = forms.ChoiceField(label=_("Tier"), choices=EVALUATED_TIERS, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + [(s.value, s.label) for s in ResultStatus],
        required=False,
    )
    town = forms.ModelChoiceField(
        label=_("Town/street"), queryset=Town.objects.all(), required=False, empty_label=_("All")
    )
    industry = forms.ChoiceField(
        label=_("Industry division"),
        choices=[("", _("All"))] + INDUSTRY_DIVISION_CHOICES,
        required=False,
    )
    q = forms.CharField(label=_("Name or credit code"), required=False)


def value_to_text(value: Any) -> str:
    """A rule value as the admin edits it: bare decimals and integers, JSON otherwise."""
    if isinstance(value, str) and _DECIMAL_RE.match(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def text_to_value(text: str, current: Any) -> Any:
    """Parse the edited text back, keeping decimals as strings (exact rationals)."""
    text = text.strip()
    if isinstance(current, str) and _DECIMAL_RE.match(current):
        if not _DECIMAL_RE.match(text):
            raise ValidationError(_("Enter a decimal number such as 0.10."))
        return text
    if isinstance(current, int) and not isinstance(current, bool):
        try:
            return int(text)
        except ValueError as exc:
            raise ValidationError(_("Enter a whole number such as 365.")) from exc
    try:
        return json.loads(text, parse_float=lambda s: s)
    except json.JSONDecodeError as exc:
        raise ValidationError(_("Not a valid value.")) from exc


def editable(value: Any) -> bool:
    """Single thresholds are edited on the page; band tables and lists come with a rule-set
    version (their shape is part of the rule)."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, str) and bool(_DECIMAL_RE.match(value)))


class RuleSetForm(forms.Form):
    """One value field per single-valued rule item and one status field per item."""

    def __init__(self, *args, rule_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_set = rule_set
        self.items = rule_set.data["items"]
        status_choices = [
            ("CONFIRMED", _("confirmed")),
            ("SECONDARY", _("third-party source")),
            ("UNCONFIRMED", _("pending policy verification")),
        ]
        status_choices += [(s, s) for s in STATUSES if s not in dict(status_choices)]
        for key, item in self.items.items():
            if editable(item["value"]):
                self.fields[f"v:{key}"] = forms.CharField(
                    label=item.get("label_zh") or key,
                    initial=value_to_text(item["value"]),
                    required=False,
                    widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                )
            self.fields[f"s:{key}"] = forms.ChoiceField(
                label=_("Verification"),
                choices=status_choices,
                initial=item["status"],
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def clean(self):
        cleaned = super().clean()
        changes: dict[str, dict[str, Any]] = {}
        for key, item in self.items.items():
            change = {}
            text = cleaned.get(f"v:{key}")
            if text is not None:
                try:
                    value = text_to_value(text, item["value"]) if text.strip() else item["value"]
                except ValidationError as exc:
                    self.add_error(f"v:{key}", exc)
                    continue
                if value != item["value"]:
                    change["value"] = value
            if cleaned.get(f"s:{key}") and cleaned[f"s:{key}"] != item["status"]:
                change["status"] = cleaned[f"s:{key}"]
            if change:
                changes[key] = change
        cleaned["changes"] = changes
        return cleaned

    def rows(self):
        """(key, item, value field or None, status field) for the template."""
        for key, item in self.items.items():
            value = self[f"v:{key}"] if f"v:{key}" in self.fields else None
            yield key, item, value, self[f"s:{key}"]
