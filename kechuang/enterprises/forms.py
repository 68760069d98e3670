"""Forms of the registry: input parsing and field-level validation only (services save).

The yearly-figure forms take money in 万元, the unit every page shows, and store yuan: the
conversion is exact (万元 with up to 6 decimals is yuan with 2), never a float.
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from kechuang.core.formatting import WAN
from kechuang.core.forms import StyledFormMixin
from kechuang.core.validators import validate_plain_text

from . import policy
from .models import AnnualFigure, FigureSubmission

# The staff form: what an enterprise declares, plus the two figures set from official sources.
FIGURE_FIELDS = [
    "is_above_scale_industrial",
    *policy.ENTERPRISE_FIGURE_FIELDS,
    "credit_listed",
]


# The form's sections, in the order of the statistical report (营业收入 / 人员 / 研发费用 …).
SECTIONS = [
    (
        _("Figure section: status"),
        [
            "is_above_scale_industrial",
            "incident_reported",
            "credit_listed",
            "in_restricted_catalogue",
            "core_tech_in_supported_fields",
        ],
    ),
    (
        _("Figure section: revenue"),
        [
            "operating_revenue",
            "sales_revenue",
            "main_business_revenue",
            "total_income",
            "non_taxable_income",
            "hightech_income",
        ],
    ),
    (
        _("Figure section: assets and costs"),
        ["total_assets", "total_liabilities", "total_cost_expense"],
    ),
    (
        _("Figure section: personnel"),
        ["employees_avg", "employees_year_end", "tech_staff_avg", "tech_staff_year_end"],
    ),
    (
        _("Figure section: R&D expense"),
        ["rd_expense_stat", "rd_deduction_scope", "rd_hnte_total", "rd_hnte_domestic"],
    ),
    (
        _("Figure section: R&D expense by category (high-tech scope)"),
        [
            "rd_hnte_personnel",
            "rd_hnte_direct",
            "rd_hnte_depreciation",
            "rd_hnte_intangible",
            "rd_hnte_design",
            "rd_hnte_equipment_trial",
            "rd_hnte_commissioned",
            "rd_hnte_other",
        ],
    ),
]

RD_CATEGORY_FIELDS = SECTIONS[-1][1]


def _wan_label(label) -> str:
    text = str(label)
    for yuan, wan in (("（元）", "（万元）"), ("(yuan)", "(10,000 yuan)")):
        text = text.replace(yuan, wan)
    return text


class WanFiguresMixin:
    """Money fields (yuan in the model) entered and shown in 万元; fields grouped in SECTIONS;
    the high-tech R&D categories must not exceed their total (they are its breakdown: the
    high-tech recognition rules define the total as the sum of the eight categories)."""

    def _setup_wan(self) -> None:
        self.money_fields = []
        for name, field in self.fields.items():
            model_field = self._meta.model._meta.get_field(name)
            if not (
                getattr(model_field, "max_digits", None) == 18 and model_field.decimal_places == 2
            ):
                continue
            wan_field = forms.DecimalField(
                label=_wan_label(field.label),
                required=field.required,
                max_digits=18,
                decimal_places=6,
                disabled=field.disabled,
                help_text=field.help_text,
            )
            wan_field.widget.attrs["class"] = "form-control"
            self.fields[name] = wan_field
            self.money_fields.append(name)
            yuan = self.initial.get(name)
            if yuan is not None:
                self.initial[name] = format(
                    (Decimal(yuan) / WAN).normalize(), "f"
                )  # "5000", not "5E+3"

    def sections(self):
        """(title, [bound fields]) for each section with at least one field of this form."""
        out = []
        for title, names in SECTIONS:
            fields = [self[n] for n in names if n in self.fields]
            if fields:
                out.append((title, fields))
        listed = {n for _, names in SECTIONS for n in names}
        rest = [self[n] for n in self.fields if n not in listed]
        if rest:
            out.append((_("Figure section: other"), rest))
        return out

    def clean(self):
        cleaned = super().clean()
        for name in self.money_fields:
            value = cleaned.get(name)
            if value is not None:
                cleaned[name] = (value * WAN).quantize(Decimal("0.01"))
        total = cleaned.get("rd_hnte_total")
        parts = [cleaned.get(n) for n in RD_CATEGORY_FIELDS if n in self.fields]
        if total is not None and any(p is not None for p in parts):
            summed = sum((p for p in parts if p is not None), Decimal(0))
            if summed > total:
                self.add_error(
                    "rd_hnte_total",
                    _(
                        "The R&D categories add up to %(sum)s (10,000 yuan), more than this "
                        "total; the total is the sum of the eight categories."
                    )
                    % {"sum": f"{summed / WAN:,f}".rstrip("0").rstrip(".")},
                )
        return cleaned


class AnnualFigureForm(WanFiguresMixin, StyledFormMixin, forms.ModelForm):
    """The registry's figures of an enterprise for one year (money in 万元), edited by bureau
    staff; fields the user's role may not set are disabled (policy.py)."""

    class Meta:
        model = AnnualFigure
        fields = FIGURE_FIELDS

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_wan()
        if user is not None:
            policy.disable_forbidden(self, user, AnnualFigure)


class FigureSubmissionForm(WanFiguresMixin, StyledFormMixin, forms.ModelForm):
    """An enterprise's proposed figures for one year (money in 万元): saved as a draft (暂存) or
    submitted (提交) for the bureau's review."""

    class Meta:
        model = FigureSubmission
        fields = list(policy.ENTERPRISE_FIGURE_FIELDS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_wan()
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
