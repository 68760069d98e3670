"""Tables of the R&D pages: the zero-R&D list (django-tables2) and the slice breakdowns."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kechuang.core.templatetags.kc import wan
from kechuang.enterprises.models import Enterprise

from .logic import aggregates as agg

__all__ = ["ZeroRdTable", "BREAKDOWN_COLUMNS", "sort_rows"]

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class MoneyColumn(tables.Column):
    """Yuan shown in 万元."""

    attrs = NUM

    def render(self, value):
        return wan(value)


class ZeroRdTable(tables.Table):
    """Above-scale enterprises declaring zero R&D; contradictions flagged and listed first."""

    flag = tables.Column(verbose_name="", accessor="is_contradiction", orderable=False)
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    credit_code = tables.Column(verbose_name=_("Credit code"))
    town = tables.Column(verbose_name=_("Town/street"), accessor="town__name", orderable=False)
    industry_code = tables.Column(verbose_name=_("Industry"))
    qualifications = tables.Column(
        verbose_name=_("Qualification held"), accessor="holds_high_tech", orderable=False
    )
    revenue = MoneyColumn(
        verbose_name=_("Operating revenue (10,000 yuan)"), accessor="fy_operating_revenue"
    )
    tech_staff = tables.Column(verbose_name=_("S&T staff"), accessor="fy_tech_staff", attrs=NUM)
    deduction = MoneyColumn(
        verbose_name=_("R&D (super-deduction, 10,000 yuan)"), accessor="fy_rd_deduction_scope"
    )
    diagnosis = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = Enterprise
        fields = ("name", "credit_code", "industry_code")
        sequence = (
            "flag",
            "name",
            "credit_code",
            "town",
            "industry_code",
            "qualifications",
            "revenue",
            "tech_staff",
            "deduction",
            "diagnosis",
        )
        attrs = {
            "class": "table table-vcenter card-table table-sm",
            "data-testid": "zero-rd-table",
        }
        row_attrs = {"class": lambda record: "kc-contradiction" if record.is_contradiction else ""}
        orderable = False

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def render_flag(self, value):
        if value:
            return format_html(
                '<span class="badge bg-red text-white" title="{}">{}</span>',
                _("Holds a high-tech or tech-SME qualification yet declares zero R&D"),
                _("Contradiction"),
            )
        return ""

    def render_industry_code(self, record):
        return format_html(
            '<span title="{}">{}</span>', record.industry_division_name, record.industry_code
        )

    def render_qualifications(self, record):
        badges = []
        if record.holds_high_tech:
            badges.append(
                format_html('<span class="badge bg-blue-lt me-1">{}</span>', _("High-tech"))
            )
        if record.holds_tech_sme:
            badges.append(
                format_html('<span class="badge bg-azure-lt me-1">{}</span>', _("Tech SME"))
            )
        return format_html("".join(["{}"] * len(badges)), *badges) if badges else "—"

    def render_tech_staff(self, value):
        return value if value is not None else "—"

    def render_diagnosis(self, value):
        url = reverse("rnd:diagnosis", args=[value]) + f"?year={self.year}"
        return format_html('<a href="{}">{}</a>', url, _("Diagnosis"))


# Columns of a slice breakdown table: (key, label, kind) — kind picks the formatting.
BREAKDOWN_COLUMNS = [
    (agg.ABOVE_SCALE, _("Above-scale"), "int"),
    (agg.WITH_RD, _("With R&D"), "int"),
    (agg.WITH_RD_SHARE, _("Share with R&D %"), "pct1"),
    (agg.RD_EXPENSE, _("R&D expense (10,000 yuan)"), "money"),
    (agg.RD_GROWTH, _("Growth %"), "pct1"),
    (agg.RD_INTENSITY, _("Intensity %"), "pct2"),
]
SORT_KEYS = {"label"} | {c[0] for c in BREAKDOWN_COLUMNS}


def sort_rows(rows: list[dict], order: str | None) -> tuple[list[dict], str]:
    """Rows sorted by `order` ("column" or "-column"; None values last). Returns (rows, order)."""
    order = order or f"-{agg.RD_EXPENSE}"
    key = order.lstrip("-")
    if key not in SORT_KEYS:
        order, key = f"-{agg.RD_EXPENSE}", agg.RD_EXPENSE
    reverse_ = order.startswith("-")
    present = [r for r in rows if r.get(key) is not None]
    missing = [r for r in rows if r.get(key) is None]
    present.sort(key=lambda r: str(r[key]) if key == "label" else r[key], reverse=reverse_)
    return present + missing, order
