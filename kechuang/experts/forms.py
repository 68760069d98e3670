"""Forms of the expert pool: input parsing and field-level validation only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.filters import SafeModelChoiceField
from kechuang.core.forms import style_widgets
from kechuang.enterprises.models import Enterprise

from .conf import relationship_kinds
from .models import Expert, ExpertRelationship, Field, Organisation

__all__ = ["ConflictCheckForm", "ExpertForm", "OrganisationForm", "RelationshipForm"]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EnterpriseByCodeField(forms.CharField):
    """An enterprise of the registry named by its unified social credit code (a drop-down of
    every enterprise would be thousands of options)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 18)
        kwargs.setdefault(
            "help_text", _("Unified social credit code of an enterprise in the registry")
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Enterprise):
            return value.credit_code
        if isinstance(value, int):
            return Enterprise.objects.filter(pk=value).values_list("credit_code", flat=True).first()
        return value

    def clean(self, value):
        code = (super().clean(value) or "").strip().upper()
        if not code:
            return None
        enterprise = Enterprise.objects.filter(credit_code=code).first()
        if enterprise is None:
            raise forms.ValidationError(
                _("No enterprise with this credit code is in the registry."), code="unknown"
            )
        return enterprise


class _Styled:
    def _style(self):
        style_widgets(self)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and not isinstance(
                field, forms.ModelMultipleChoiceField
            ):
                field.empty_label = "—"
            elif isinstance(field, forms.ChoiceField):
                field.choices = [
                    ("", "—") if value == "" else (value, label) for value, label in field.choices
                ]
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


class OrganisationForm(_Styled, forms.ModelForm):
    enterprise = EnterpriseByCodeField(required=False, label=_("enterprise in the registry"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "enterprise", "city", "credit_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class ExpertForm(_Styled, forms.ModelForm):
    organisation = SafeModelChoiceField(
        queryset=Organisation.objects.order_by("name"), label=_("organisation")
    )
    fields = forms.ModelMultipleChoiceField(
        queryset=Field.objects.filter(active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        label=_("fields of expertise"),
    )

    class Meta:
        model = Expert
        fields = [
            "name",
            "organisation",
            "title",
            "fields",
            "summary",
            "phone",
            "email",
            "availability",
            "available_from",
            "available_until",
            "active",
        ]
        widgets = {
            "available_from": DATE,
            "available_until": DATE,
            "summary": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {"name": _("expert name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class RelationshipForm(_Styled, forms.ModelForm):
    kind = forms.ChoiceField(label=_("relationship"))
    organisation = SafeModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        label=_("counterpart organisation"),
    )
    enterprise = EnterpriseByCodeField(required=False, label=_("counterpart enterprise"))

    class Meta:
        model = ExpertRelationship
        fields = ["kind", "organisation", "enterprise", "since", "until", "note"]
        widgets = {"since": DATE, "until": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (code, label) for code, (label, _years) in relationship_kinds().items()
        ]
        self._style()

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("enterprise"):
            self.add_error("enterprise", _("Name the counterpart organisation or enterprise."))
        return data


class ConflictCheckForm(_Styled, forms.Form):
    """An applicant (by credit code), its partner organisations and the date to check on."""

    applicant = EnterpriseByCodeField(required=False, label=_("applicant enterprise"))
    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label=_("partner organisations"),
    )
    on_date = forms.DateField(required=False, widget=DATE, label=_("on date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean(self):
        data = super().clean()
        if not data.get("applicant") and not data.get("partners"):
            raise forms.ValidationError(_("Name the applicant or at least one partner."))
        return data
