"""Forms of the registry: input parsing and field-level validation only (services save)."""

from django import forms

from kechuang.core.forms import StyledFormMixin

from .models import AnnualFigure

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
    """An enterprise's figures for one year (money in yuan)."""

    class Meta:
        model = AnnualFigure
        fields = FIGURE_FIELDS
