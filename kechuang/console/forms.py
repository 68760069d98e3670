"""Forms of the console: a user and their binding, a town, a peer region, parameters."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.campaigns.models import Agency
from kechuang.core.filters import SafeModelChoiceField
from kechuang.core.forms import StyledFormMixin
from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Expert, Organisation
from kechuang.platforms.models import EvaluationScheme, Platform
from kechuang.qualifications.forms import editable, text_to_value, value_to_text
from kechuang.qualifications.models import RuleSet
from kechuang.regions.models import Region, Town
from kechuang.regions.selectors import home_towns

__all__ = [
    "PeerRegionForm",
    "RuleParametersForm",
    "SchemeParametersForm",
    "TownForm",
    "UserForm",
]

# Which binding each role needs (the field named must be filled for that role).
ROLE_BINDING = {
    Role.TOWN_OFFICER: "town",
    Role.ENTERPRISE: "enterprise",
    Role.AGENCY: "agency",
    Role.UNIVERSITY: "organisation",
    Role.EXPERT: "expert",
    Role.PLATFORM_OPERATOR: "platform",
}
BINDINGS = ("town", "enterprise", "agency", "organisation", "expert", "platform")


class UserForm(StyledFormMixin, forms.Form):
    """The account's role, name, 科室 and the one binding its role needs."""

    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Display name"), max_length=64, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.CharField(
        label=_("Department (科室)"),
        max_length=64,
        required=False,
        help_text=_("For bureau staff, e.g. 高新科."),
    )
    town = SafeModelChoiceField(
        label=_("Town/street"), required=False, queryset=Town.objects, empty_label="—"
    )
    enterprise = forms.CharField(
        label=_("Enterprise (unified social credit code)"), max_length=18, required=False
    )
    agency = SafeModelChoiceField(
        label=_("Service agency"),
        required=False,
        queryset=Agency.objects.order_by("name"),
        empty_label="—",
    )
    organisation = SafeModelChoiceField(
        label=_("University / institute"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        empty_label="—",
    )
    expert = SafeModelChoiceField(
        label=_("Expert record"),
        required=False,
        queryset=Expert.objects.order_by("name"),
        empty_label="—",
    )
    platform = SafeModelChoiceField(
        label=_("Platform"),
        required=False,
        queryset=Platform.objects.order_by("name"),
        empty_label="—",
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = home_towns()
        if editing:
            self.fields["username"].disabled = True

    def clean_username(self) -> str:
        name = self.cleaned_data["username"].strip()
        if not re.fullmatch(r"[\w.@+-]+", name):
            raise forms.ValidationError(_("Letters, digits and @ . + - _ only."))
        return name

    def clean_enterprise(self) -> Enterprise | None:
        code = self.cleaned_data.get("enterprise", "").strip().upper()
        if not code:
            return None
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise has this credit code."))
        return enterprise

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        role = cleaned.get("role")
        if role:
            role = Role(role)
            needed = ROLE_BINDING.get(role)
            if needed and not cleaned.get(needed) and needed not in self.errors:
                self.add_error(needed, _("This role needs this binding."))
            for name in BINDINGS:  # a binding another role needs is dropped, never kept stale
                if name != needed:
                    cleaned[name] = None
            if role not in (Role.BUREAU_ADMIN, Role.BUREAU_STAFF):
                cleaned["department"] = ""
            cleaned["role"] = role
        return cleaned


class TownForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Town
        fields = ["code", "name", "is_street", "sort_order"]


class PeerRegionForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = ["code", "name", "province", "city"]

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError(_("A division code has 6 digits (GB/T 2260), e.g. 330282."))
        return code


class RuleParametersForm(forms.Form):
    """The rule set's values still pending policy verification (their status is not changed
    here: they stay 待政策核实 until the bureau confirms them on the rule set's own page)."""

    def __init__(self, *args: Any, rule_set: RuleSet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items = {
            key: item
            for key, item in rule_set.data["items"].items()
            if item.get("status") == "UNCONFIRMED" and editable(item["value"])
        }
        for key, item in self.items.items():
            self.fields[f"v:{key}"] = forms.CharField(
                label=item.get("label_zh") or key,
                initial=value_to_text(item["value"]),
                required=False,
                max_length=64,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        changes: dict[str, dict[str, Any]] = {}
        for key, item in self.items.items():
            text = cleaned.get(f"v:{key}")
            if not text or not text.strip():
                continue
            try:
                value = text_to_value(text, item["value"])
            except forms.ValidationError as exc:
                self.add_error(f"v:{key}", exc)
                continue
            if value != item["value"]:
                changes[key] = {"value": value}
        cleaned["changes"] = changes
        return cleaned


def _number(label: Any, **kwargs: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal(0),
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
        **kwargs,
    )


class SchemeParametersForm(forms.Form):
    """The weights of the three scores, the grade limits and each indicator's weight."""

    SCORE_LABELS = {
        "quantitative": _("Quantitative score"),
        "expert": _("Expert score"),
        "management": _("Local management score"),
    }

    def __init__(self, *args: Any, scheme: EvaluationScheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        config = scheme.config or {}
        weights = config.get("weights", {})
        for key, label in self.SCORE_LABELS.items():
            self.fields[f"w_{key}"] = _number(label, initial=weights.get(key, 0))
        grades = dict(config.get("grades", []))
        for grade in ("A", "B", "C"):
            self.fields[f"g_{grade}"] = _number(
                _("Lower limit of grade %(grade)s") % {"grade": grade},
                initial=grades.get(grade),
                max_value=Decimal(100),
            )
        self.indicators = config.get("indicators", [])
        for item in self.indicators:
            self.fields[f"i_{item['code']}"] = _number(
                item.get("label", item["code"]), initial=item.get("weight", 0)
            )

    def values(self) -> dict[str, dict[str, Decimal]]:
        data = self.cleaned_data
        return {
            "weights": {k: data[f"w_{k}"] for k in self.SCORE_LABELS},
            "grades": {g: data[f"g_{g}"] for g in ("A", "B", "C")},
            "indicator_weights": {
                item["code"]: data[f"i_{item['code']}"] for item in self.indicators
            },
        }
