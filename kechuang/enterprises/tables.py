"""django-tables2 tables of the registry lists (sorting and pagination without hand-written code)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kechuang.core.templatetags.kc import pct, wan

from .models import Enterprise, Qualification
from .selectors import qualification_validity, validity_date


class MoneyColumn(tables.Column):
    """Yuan shown in 万元."""

    attrs = {"td": {"class": "num"}, "th": {"class": "num"}}

    def render(self, value):
        return wan(value)


class EnterpriseTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    credit_code = tables.Column(verbose_name=_("Credit code"))
    town = tables.Column(
        verbose_name=_("Town/street"), accessor="town__name", order_by=("town__sort_order",)
    )
    industry_code = tables.Column(verbose_name=_("Industry"))
    above_scale = tables.BooleanColumn(
        verbose_name=_("Above-scale"), accessor="fy_is_above_scale_industrial", yesno="是,—"
    )
    operating_revenue = MoneyColumn(
        verbose_name=_("Operating revenue (10,000 yuan)"), accessor="fy_operating_revenue"
    )
    rd_expense_stat = MoneyColumn(
        verbose_name=_("R&D expense (10,000 yuan)"), accessor="fy_rd_expense_stat"
    )
    rd_intensity = tables.Column(
        verbose_name=_("R&D intensity %"),
        accessor="fy_rd_intensity",
        attrs={"td": {"class": "num"}, "th": {"class": "num"}},
    )
    tiers = tables.Column(verbose_name=_("Qualifications held"), accessor="pk", orderable=False)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "town", "industry_code")
        sequence = (
            "name",
            "credit_code",
            "town",
            "industry_code",
            "above_scale",
            "operating_revenue",
            "rd_expense_stat",
            "rd_intensity",
            "tiers",
        )
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "enterprise-table",
        }
        per_page = 25

    def __init__(self, *args, tiers_by_enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tiers_by_enterprise = tiers_by_enterprise if tiers_by_enterprise is not None else {}

    def render_industry_code(self, record):
        # The code with its division's name (GB/T 4754 门类), not a bare code.
        name = record.industry_division_name
        if not name:
            return record.industry_code
        return format_html(
            '{} <span class="text-secondary small">{}</span>', record.industry_code, name
        )

    def render_rd_intensity(self, value):
        return pct(value * 100, 2) if value is not None else "—"

    def render_tiers(self, value):
        lookup = self.tiers_by_enterprise
        if hasattr(lookup, "load") and not lookup.loaded:
            lookup.load(
                [row.record.pk for row in self.page.object_list] if hasattr(self, "page") else []
            )
        labels = self.tiers_by_enterprise.get(value, [])
        return (
            format_html(
                "".join('<span class="badge bg-blue-lt me-1">{}</span>' for _ in labels), *labels
            )
            if labels
            else "—"
        )


class QualificationTable(tables.Table):
    enterprise = tables.Column(
        verbose_name=_("Enterprise"), linkify=lambda record: record.enterprise.get_absolute_url()
    )
    credit_code = tables.Column(verbose_name=_("Credit code"), accessor="enterprise__credit_code")
    town = tables.Column(verbose_name=_("Town/street"), accessor="enterprise__town__name")
    status = tables.Column(verbose_name=_("Validity"), orderable=False, empty_values=())

    VALIDITY = {
        "valid": ("bg-green-lt", _("Valid")),
        "expired": ("bg-secondary-lt", _("Expired")),
        "revoked": ("bg-red-lt", _("Revoked")),
        "not_yet": ("bg-azure-lt", _("Not yet in force")),
    }

    @property
    def validity_on(self):
        """The date validity is judged on: the list's ``valid_on`` filter, else today."""
        request = getattr(self, "request", None)
        return validity_date(request.GET.get("valid_on") if request is not None else None)

    def render_status(self, record):
        css, label = self.VALIDITY[qualification_validity(record, self.validity_on)]
        return format_html('<span class="badge {}">{}</span>', css, label)

    class Meta:
        model = Qualification
        fields = (
            "enterprise",
            "credit_code",
            "town",
            "kind",
            "year",
            "number",
            "batch",
            "issue_date",
            "expiry_date",
            "status",
        )
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "qualification-table",
        }
        per_page = 25
