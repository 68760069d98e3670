"""Forms of the cooperation app: input parsing and field-level validation only."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import SafeModelChoiceField
from kechuang.core.forms import StyledFormMixin
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.core.validators import validate_plausible_date, validate_single_line
from kechuang.enterprises.models import Enterprise
from kechuang.experts.models import Expert, Organisation

from .choices import BrokeringStage, ContractType
from .models import Achievement, CooperationEvent, TechContract, TechDemand

__all__ = [
    "DemandForm",
    "DemandCloseForm",
    "AchievementForm",
    "SearchForm",
    "BrokeringStartForm",
    "BrokeringMoveForm",
    "ContractApplyForm",
    "ContractAcceptForm",
    "ContractRegisterForm",
    "ContractRefuseForm",
    "EventForm",
]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE, validators=[validate_plausible_date], **kwargs)


class DemandForm(StyledFormMixin, forms.ModelForm):
    """A demand in the enterprise's own words; staff and officers also choose the enterprise
    (and the visit or event it was collected at)."""

    class Meta:
        model = TechDemand
        fields = [
            "enterprise",
            "title",
            "summary",
            "description",
            "field",
            "industry_code",
            "mode",
            "budget_min",
            "budget_max",
            "deadline",
            "confidential",
            "visit_record",
            "event",
        ]
        field_classes = {
            "enterprise": SafeModelChoiceField,
            "visit_record": SafeModelChoiceField,
            "event": SafeModelChoiceField,
        }
        widgets = {
            "deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        role = user_role(user)
        if role == Role.ENTERPRISE or self.instance.pk:
            for name in ("enterprise", "visit_record", "event"):
                self.fields.pop(name, None)
        else:
            self.fields["enterprise"].queryset = Enterprise.objects.for_user(user).order_by("name")
            from kechuang.campaigns.models import VisitRecord

            self.fields["visit_record"].queryset = VisitRecord.objects.filter(
                enterprise__in=Enterprise.objects.for_user(user)
            ).select_related("enterprise")
            self.fields["event"].queryset = CooperationEvent.objects.all()
        self.fields["description"].help_text = _(
            "Describe the problem as you see it in production; no technical terms needed."
        )


class DemandCloseForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("reason for closing"), max_length=300, validators=[validate_single_line]
    )


class AchievementForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Achievement
        fields = [
            "organisation",
            "title",
            "summary",
            "field",
            "keywords",
            "maturity",
            "ip",
            "mode",
            "contact_expert",
            "active",
        ]
        field_classes = {
            "organisation": SafeModelChoiceField,
            "contact_expert": SafeModelChoiceField,
        }
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)
        self.fields["contact_expert"].queryset = Expert.objects.for_user(user)


class SearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("What is the problem or technology?"), max_length=200, required=False
    )


class BrokeringStartForm(StyledFormMixin, forms.Form):
    achievement = SafeModelChoiceField(
        queryset=Achievement.objects.none(), label=_("achievement"), required=False
    )
    supplier = SafeModelChoiceField(
        queryset=Organisation.objects.all(), label=_("or an institution"), required=False
    )
    expert = SafeModelChoiceField(queryset=Expert.objects.all(), label=_("expert"), required=False)
    event = SafeModelChoiceField(
        queryset=CooperationEvent.objects.all(), label=_("matched at event"), required=False
    )
    started_on = _date(_("date"), initial=dt.date.today)
    notes = forms.CharField(
        label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, demand=None, **kwargs):
        super().__init__(*args, **kwargs)
        if demand is not None:
            ranked = demand.matches.values("achievement_id")
            self.fields["achievement"].queryset = Achievement.objects.filter(pk__in=ranked)

    def clean(self):
        data = super().clean()
        if not data.get("achievement") and not data.get("supplier"):
            self.add_error("supplier", _("Name the supplier: an achievement or an institution."))
        return data


class BrokeringMoveForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(
        label=_("next step"),
        choices=[
            (s, label)
            for s, label in BrokeringStage.choices
            if s in {"contacted", "meeting", "negotiation", "closed"}
        ],
    )
    date = _date(_("date"), initial=dt.date.today)
    people = forms.CharField(
        label=_("people"), max_length=255, required=False, validators=[validate_single_line]
    )
    notes = forms.CharField(
        label=_("notes"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(
        label=_("reason for closing"),
        max_length=300,
        required=False,
        validators=[validate_single_line],
    )


class ContractApplyForm(StyledFormMixin, forms.ModelForm):
    """The seller side's application with the written contract."""

    class Meta:
        model = TechContract
        fields = [
            "title",
            "declared_type",
            "seller",
            "seller_enterprise",
            "seller_organisation",
            "buyer",
            "buyer_enterprise",
            "buyer_region",
            "signed_on",
            "total_amount",
            "written_contract",
            "brokering",
        ]
        field_classes = {
            "seller_enterprise": SafeModelChoiceField,
            "seller_organisation": SafeModelChoiceField,
            "buyer_enterprise": SafeModelChoiceField,
            "brokering": SafeModelChoiceField,
        }
        widgets = {"signed_on": DATE, "brokering": forms.HiddenInput}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["written_contract"].required = True
        self.fields["written_contract"].help_text = _(
            "The complete signed contract with its annexes (PDF, image or Word document)."
        )
        self.fields["signed_on"].validators.append(validate_plausible_date)
        self.fields["seller_enterprise"].queryset = Enterprise.objects.order_by("name")
        self.fields["buyer_enterprise"].queryset = Enterprise.objects.order_by("name")
        self.fields["seller_organisation"].queryset = Organisation.objects.all()
        from .models import BrokeringRecord

        self.fields["brokering"].queryset = BrokeringRecord.objects.for_user(user)


class ContractAcceptForm(StyledFormMixin, forms.Form):
    accepted_on = _date(_("accepted on"), initial=dt.date.today)


class ContractRegisterForm(StyledFormMixin, forms.Form):
    registered_type = forms.ChoiceField(label=_("type registered"), choices=ContractType.choices)
    non_technical_costs = forms.DecimalField(
        label=_("non-technical costs (yuan)"),
        max_digits=18,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text=_("Equipment, instruments, parts and raw materials; deducted from the total."),
    )
    certificate_number = forms.CharField(
        label=_("registration number"), max_length=32, validators=[validate_single_line]
    )
    decided_on = _date(_("decided on"), initial=dt.date.today)


class ContractRefuseForm(StyledFormMixin, forms.Form):
    refusal_reason = forms.CharField(
        label=_("reason not registered"), max_length=500, validators=[validate_single_line]
    )
    decided_on = _date(_("decided on"), initial=dt.date.today)


class EventForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CooperationEvent
        fields = [
            "name",
            "kind",
            "date",
            "organisations",
            "disciplines",
            "enterprises",
            "experts",
            "follow_ups",
        ]
        widgets = {"date": DATE, "follow_ups": forms.Textarea(attrs={"rows": 3})}
