"""Forms of campaigns, visits and agencies: input parsing and field-level validation only."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin, style_widgets
from kechuang.core.roles import Role
from kechuang.core.validators import validate_plausible_date
from kechuang.enterprises.constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR
from kechuang.regions.models import Town

from .attachments import check_attachment
from .choices import CampaignKind, TargetKind, TaskState
from .constants import RD_CATEGORY_FIELDS
from .logic.workflow import default_due_date
from .models import Agency, Delegation, RDSubmission, ServicePackage

__all__ = [
    "CampaignForm",
    "CampaignConfirmForm",
    "ContactForm",
    "VisitRecordForm",
    "ReassignForm",
    "AttendanceForm",
    "AgencyForm",
    "ServicePackageForm",
    "DelegationForm",
    "RDSubmissionForm",
]

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Styled:
    """Theme classes added after the subclass configured its fields: styling a bound form reads
    its errors, which validates it, so it must come last (core's StyledFormMixin styles first)."""

    def _style(self):
        style_widgets(self)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked for type and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for f in cleaned:
            check_attachment(f)
        return cleaned


class CampaignForm(_Styled, forms.Form):
    """A campaign and its target set (a saved filter: kind, year, optional town, contradiction)."""

    name = forms.CharField(label=_("Name"), max_length=128)
    kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    target_kind = forms.ChoiceField(label=_("Target set"), choices=TargetKind.choices)
    year = forms.IntegerField(
        label=_("Data year"), min_value=FIRST_REPORTING_YEAR, max_value=LAST_REPORTING_YEAR
    )
    town = forms.ModelChoiceField(
        label=_("Town/street"),
        queryset=Town.objects.all(),
        required=False,
        empty_label=_("All towns"),
    )
    contradiction_only = forms.BooleanField(
        label=_("Only high-tech / tech-SME enterprises declaring zero R&D"), required=False
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due_date"].initial = default_due_date(dt.date.today())
        from kechuang.enterprises.models import AnnualFigure

        self.fields["year"].initial = (
            AnnualFigure.objects.order_by("-year").values_list("year", flat=True).first()
        )
        self._style()

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value < dt.date.today():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return value

    def target_spec(self) -> dict:
        data = self.cleaned_data
        spec = {"kind": data["target_kind"], "year": data["year"]}
        if data.get("town"):
            spec["town"] = data["town"].pk
        if data.get("contradiction_only") and data["target_kind"] == TargetKind.ZERO_RD:
            spec["contradiction_only"] = True
        return spec


class CampaignConfirmForm(_Styled, forms.Form):
    """The confirm step of a campaign created from a list: what to call it, when it is due and
    what the officers should do. The list's saved filter travels along as hidden fields."""

    name = forms.CharField(label=_("Name"), max_length=128)
    campaign_kind = forms.ChoiceField(label=_("Kind"), choices=CampaignKind.choices)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("What the visiting officers should do; shown on every task."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()

    def clean_due_date(self):
        value = self.cleaned_data["due_date"]
        if value < dt.date.today():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return value


class ContactForm(_Styled, forms.Form):
    """The enterprise's contact for visits (走访联系人)."""

    person = forms.CharField(label=_("Contact person"), max_length=64)
    position = forms.CharField(label=_("Position"), max_length=64, required=False)
    phone = forms.CharField(label=_("Contact phone"), max_length=32, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class VisitRecordForm(_Styled, forms.Form):
    visit_date = forms.DateField(
        label=_("Visit date"), widget=DATE, validators=[validate_plausible_date]
    )
    people_met = forms.CharField(label=_("People met"), max_length=255)
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 3}))
    agreed_actions = forms.CharField(
        label=_("Agreed actions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    outcome = forms.ChoiceField(
        label=_("Move the tasks to"),
        choices=[(s, label) for s, label in TaskState.choices if s != TaskState.PENDING],
        initial=TaskState.VISITED,
    )
    also_task_ids = forms.TypedMultipleChoiceField(
        label=_("Also serves these tasks"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("PDF, images or office files, at most 10 MB each"),
    )

    def __init__(self, *args, siblings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit_date"].initial = dt.date.today()
        self.fields["also_task_ids"].choices = [
            (t.pk, f"{t.campaign} · {t.due_date:%Y-%m-%d}") for t in siblings
        ]
        self.fields["also_task_ids"].initial = [t.pk for t in siblings]
        self.fields["also_task_ids"].widget.attrs["class"] = "form-check-input"
        self._style()

    def clean_visit_date(self):
        value = self.cleaned_data["visit_date"]
        if value > dt.date.today():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return value


class ReassignForm(_Styled, forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Unassigned"),
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            get_user_model()
            .objects.filter(
                groups__name__in=[
                    Role.BUREAU_STAFF,
                    Role.BUREAU_ADMIN,
                    Role.TOWN_OFFICER,
                    Role.AGENCY,
                ],
                is_active=True,
            )
            .select_related("profile")
            .order_by("username")
            .distinct()
        )
        self.fields["assignee"].label_from_instance = lambda u: (
            f"{getattr(getattr(u, 'profile', None), 'display_name', '') or u.username}"
            f" ({u.username})"
        )
        self._style()


class AttendanceForm(_Styled, forms.Form):
    session_date = forms.DateField(label=_("Session date"), widget=DATE)
    enterprises = forms.TypedMultipleChoiceField(
        label=_("Enterprises attending"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprises"].choices = [(e.pk, e.name) for e in enterprises]
        self.fields["enterprises"].widget.attrs["class"] = "form-check-input"
        self.fields["session_date"].initial = dt.date.today()
        self._style()


class AgencyForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["name", "credit_code", "contact_person", "contact_phone", "services"]
        widgets = {"services": forms.Textarea(attrs={"rows": 3})}


class ServicePackageForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ServicePackage
        fields = ["name", "included", "price", "subsidy"]
        widgets = {"included": forms.Textarea(attrs={"rows": 3})}


class DelegationForm(_Styled, forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["agency", "package", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = dt.date.today()
        self.fields["start_date"].initial = today
        self.fields["end_date"].initial = dt.date(today.year, 12, 31)
        self.fields["package"].queryset = ServicePackage.objects.select_related("agency")
        self.fields["package"].label_from_instance = lambda p: f"{p.agency} · {p.name}"
        self._style()

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        package, agency = data.get("package"), data.get("agency")
        if package and agency and package.agency_id != agency.pk:
            self.add_error("package", _("This package belongs to another agency."))
        return data

    def _post_clean(self):
        # The service validates the model (the enterprise is set there, not by this form).
        pass


class RDSubmissionForm(_Styled, forms.ModelForm):
    class Meta:
        model = RDSubmission
        fields = ["year", *RD_CATEGORY_FIELDS, "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update(
            {"min": FIRST_REPORTING_YEAR, "max": LAST_REPORTING_YEAR}
        )
        for name in RD_CATEGORY_FIELDS:
            self.fields[name].widget.attrs["min"] = "0"
        self._style()

    def clean(self):
        data = super().clean()
        if all(data.get(n) is None for n in RD_CATEGORY_FIELDS):
            raise forms.ValidationError(_("Enter at least one category."))
        for name in RD_CATEGORY_FIELDS:
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("An amount cannot be negative."))
        return data

    def _post_clean(self):
        pass
