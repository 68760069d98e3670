"""Forms of the registry: input parsing and field-level validation only (services save)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.forms import StyledFormMixin
from kechuang.core.validators import validate_plain_text

from . import policy
from .models import AnnualFigure, FigureSubmission

FIGURE_FIELDS = [
    "is_above_scale_industrial",
    "operating_revenue",
    "sales_revenue",
    "main_business_revenue",
    "total_income",
    "non_taxable_income",
    "total_assets",
    "total_liabilities",
    "total_cost_expense",
    "hightech_income",
    "employees_avg",
    "employees_year_end",
    "tech_staff_avg",
    "tech_staff_year_end",
    "rd_expense_stat",
    "rd_hnte_total",
    "rd_hnte_domestic",
    "rd_hnte_personnel",
    "rd_hnte_direct",
    "rd_hnte_depreciation",
    "rd_hnte_intangible",
    "rd_hnte_design",
    "rd_hnte_equipment_trial",
    "rd_hnte_commissioned",
    "rd_hnte_other",
    "rd_deduction_scope",
    "incident_reported",
    "credit_listed",
    "in_restricted_catalogue",
    "core_tech_in_supported_fields",
]


class AnnualFigureForm(StyledFormMixin, forms.ModelForm):
    """The registry's figures of an enterprise for one year (money in yuan), edited by bureau
    staff; fields the user's role may not set are disabled (policy.py)."""

    class Meta:
        model = AnnualFigure
        fields = FIGURE_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            policy.disable_forbidden(self, user, AnnualFigure)


class FigureSubmissionForm(StyledFormMixin, forms.ModelForm):
    """An enterprise's proposed figures for one year (money in yuan): saved as a draft (暂存) or
    submitted (提交) for the bureau's review."""

    class Meta:
        model = FigureSubmission
        fields = list(policy.ENTERPRISE_FIGURE_FIELDS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            policy.disable_forbidden(self, user, FigureSubmission)


class SubmissionReturnForm(StyledFormMixin, forms.Form):
    """Returning a submission to the enterprise: the reason is required."""

    reason = forms.CharField(
        label=_("Reason for returning"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[validate_plain_text],
    )
