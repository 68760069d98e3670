"""Forms of the platform pages (labels are the models' verbose names, shown in Chinese)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin, style_widgets
from kechuang.enterprises.models import Enterprise

from .kpis import REPORTED, kpis_for
from .models import (
    EvaluationScheme,
    Milestone,
    Platform,
    PlatformEvent,
    PlatformLink,
    ReportingRound,
    ThreeReturns,
)

__all__ = [
    "PlatformForm",
    "EventForm",
    "LinkForm",
    "MilestoneForm",
    "RoundForm",
    "ReportForm",
    "ReviewForm",
    "EvaluationForm",
    "PublishForm",
    "ThreeReturnsForm",
]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlatformForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Platform
        fields = [
            "name",
            "kind",
            "town",
            "operator_organisation",
            "partners",
            "host_city",
            "address",
            "industry",
            "professional",
            "remote_area",
        ]


class EventForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = PlatformEvent
        fields = ["kind", "date", "level", "authority", "document_number", "evidence", "note"]
        widgets = {"date": DATE}


class _EnterpriseByCode(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        found = Enterprise.objects.filter(credit_code=(value or "").strip().upper()).first()
        if found is None:
            raise forms.ValidationError(_("No enterprise with this credit code."))
        return found


class LinkForm(StyledFormMixin, forms.ModelForm):
    enterprise = _EnterpriseByCode(label=_("credit code"), max_length=18)

    class Meta:
        model = PlatformLink
        fields = [
            "enterprise",
            "role",
            "entry_date",
            "exit_date",
            "on_site",
            "same_industry",
            "financed",
            "angel_vc_wan",
            "merged_acquired_or_listed",
        ]
        widgets = {"entry_date": DATE, "exit_date": DATE}


class MilestoneForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "owner", "due_date", "status", "done_date", "evidence", "note"]
        widgets = {"due_date": DATE, "done_date": DATE}


class RoundForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReportingRound
        fields = ["year", "deadline"]
        widgets = {"deadline": DATE}


class ReportForm(StyledFormMixin, forms.Form):
    """The reported KPIs of the platform's type, then the evidence and the signed pledge."""

    def __init__(self, *args, platform: Platform, initial_values: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = [k for k in kpis_for(platform.kind) if k.source == REPORTED]
        for kpi in self.kpis:
            label = f"{kpi.label}（{kpi.unit}）" if kpi.unit else str(kpi.label)
            initial = initial_values.get(kpi.code)
            field: forms.Field
            if kpi.kind == "bool":
                field = forms.NullBooleanField(label=label, required=False)
            elif kpi.kind == "date":
                field = forms.DateField(label=label, required=False, widget=DATE)
            else:
                field = forms.DecimalField(
                    label=label,
                    required=False,
                    min_value=0,
                    max_value=Decimal("1e12"),
                    decimal_places=2,
                )
            field.initial = initial
            self.fields[kpi.code] = field
        self.fields["evidence"] = forms.FileField(label=_("evidence"), required=False)
        self.fields["pledge"] = forms.FileField(
            label=_("signed truthfulness pledge"), required=False
        )
        style_widgets(self)

    def values(self) -> dict:
        out = {}
        for kpi in self.kpis:
            value = self.cleaned_data.get(kpi.code)
            if isinstance(value, Decimal):
                value = int(value) if value == value.to_integral_value() else float(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out[kpi.code] = value
        return out


class ReviewForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"), choices=[("accept", _("Accept")), ("return", _("Return for revision"))]
    )
    comment = forms.CharField(label=_("review comment"), required=False, max_length=500)


class EvaluationForm(StyledFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(
        label=_("evaluation scheme"), queryset=EvaluationScheme.objects.all()
    )
    expert = forms.DecimalField(
        label=_("expert score"), min_value=0, max_value=100, decimal_places=2
    )
    management = forms.DecimalField(
        label=_("local management score"), min_value=0, max_value=100, decimal_places=2
    )


class PublishForm(StyledFormMixin, forms.Form):
    window_days = forms.IntegerField(
        label=_("notice period (working days)"), min_value=1, max_value=90, initial=5
    )


class ThreeReturnsForm(StyledFormMixin, forms.ModelForm):
    enterprise = _EnterpriseByCode(label=_("credit code"), max_length=18)

    class Meta:
        model = ThreeReturns
        fields = [
            "enclave",
            "enterprise",
            "year",
            "rd_expense_yuan",
            "rd_staff",
            "results_registered",
            "results_total",
            "capacity_yuan",
            "evidence",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enclave"].queryset = Platform.objects.filter(kind="enclave")
