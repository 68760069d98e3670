"""HTML views of the enterprise registry: lists, the enterprise page, yearly-figure editing."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, DecimalField, F, FilteredRelation, Q, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kechuang.core.lists import list_page
from kechuang.core.permissions import get_object_for_user, is_staff_role, user_role
from kechuang.core.roles import Role
from kechuang.core.views import login_required
from kechuang.dashboard.charts import bar_line_chart
from kechuang.dashboard.selectors import available_years
from kechuang.imports.schemas import SCHEMAS

from .choices import IP_CLASS_BY_KIND, IPClass
from .filters import EnterpriseFilterSet, QualificationFilterSet
from .forms import AnnualFigureForm
from .models import AnnualFigure, Enterprise, Qualification
from .selectors import enterprise_history, year_end
from .services import annual_figure_create, annual_figure_update
from .tables import EnterpriseTable, QualificationTable

LIST_ROLES = {Role.BUREAU_ADMIN, Role.BUREAU_STAFF, Role.TOWN_OFFICER}


def _require_list_role(request):
    if user_role(request.user) not in LIST_ROLES:
        raise PermissionDenied


def _list_year(request) -> int:
    years = available_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    return year if year in years else (years[-1] if years else 2024)


@login_required
def enterprise_list(request):
    _require_list_role(request)
    year = _list_year(request)
    queryset = (
        Enterprise.objects.for_user(request.user)
        .select_related("town")
        .annotate(fy=FilteredRelation("annual_figures", condition=Q(annual_figures__year=year)))
        .annotate(
            fy_is_above_scale_industrial=F("fy__is_above_scale_industrial"),
            fy_operating_revenue=F("fy__operating_revenue"),
            fy_rd_expense_stat=F("fy__rd_expense_stat"),
            fy_rd_intensity=Case(
                When(
                    fy__operating_revenue__gt=0,
                    then=F("fy__rd_expense_stat") / F("fy__operating_revenue"),
                ),
                default=None,
                output_field=DecimalField(max_digits=20, decimal_places=6),
            ),
        )
    )

    def tiers(rows):
        return {"tiers_by_enterprise": _TierLookup(year)}

    def figures_of(rows):
        return AnnualFigure.objects.filter(enterprise__in=rows.values("pk"), year=year)

    export = request.GET.get("export_entity", "enterprises")
    return list_page(
        request,
        queryset=queryset,
        filterset_class=EnterpriseFilterSet,
        table_class=EnterpriseTable,
        template="enterprises/enterprise_list.html",
        export_schema=SCHEMAS["annual_figures"]
        if export == "annual_figures"
        else SCHEMAS["enterprises"],
        export_queryset=figures_of if export == "annual_figures" else None,
        table_kwargs=tiers,
        extra_context={"year": year},
    )


class _TierLookup(dict):
    """Qualification labels held at the end of `year`, loaded for the shown page of enterprises
    (one query, on first use by the table)."""

    def __init__(self, year: int):
        super().__init__()
        self.year = year
        self.loaded = False

    def load(self, ids):
        rows = (
            Qualification.objects.filter(enterprise_id__in=ids)
            .valid_on(year_end(self.year))
            .values_list("enterprise_id", "kind")
        )
        labels = defaultdict(list)
        for enterprise_id, kind in rows:
            labels[enterprise_id].append(Qualification(kind=kind).get_kind_display())
        self.update(labels)
        self.loaded = True


@login_required
def qualification_list(request):
    _require_list_role(request)
    queryset = Qualification.objects.for_user(request.user).select_related(
        "enterprise", "enterprise__town"
    )
    return list_page(
        request,
        queryset=queryset,
        filterset_class=QualificationFilterSet,
        table_class=QualificationTable,
        template="enterprises/qualification_list.html",
        export_schema=SCHEMAS["qualifications"],
    )


@login_required
def enterprise_detail(request, pk: int):
    enterprise = get_object_for_user(Enterprise.objects.select_related("town"), request.user, pk=pk)
    figures = list(enterprise.annual_figures.order_by("year"))
    ip_assets = list(enterprise.ip_assets.all())
    qualifications = list(enterprise.qualifications.order_by("-issue_date"))
    institutions = list(enterprise.rd_institutions.order_by("-year_recognised"))
    today_year = figures[-1].year if figures else None
    for q in qualifications:
        q.valid_now = q.is_valid_on(year_end(today_year)) if today_year else None
    ip_counts = {IPClass.CLASS_I: 0, IPClass.CLASS_II: 0, IPClass.NONE: 0}
    for item in ip_assets:
        ip_counts[IP_CLASS_BY_KIND.get(item.kind, IPClass.NONE)] += 1
    chart = bar_line_chart(
        title=_("Revenue and R&D expense (10,000 yuan)"),
        categories=[f.year for f in figures],
        bars={
            _("Operating revenue"): [_wan(f.operating_revenue) for f in figures],
            _("R&D expense (statistical)"): [_wan(f.rd_expense_stat) for f in figures],
        },
        lines={
            _("R&D intensity (%)"): [
                round(float(f.rd_intensity) * 100, 2) if f.rd_intensity is not None else None
                for f in figures
            ]
        },
        line_unit="%",
    )
    can_edit = is_staff_role(request.user) or (
        user_role(request.user) == Role.ENTERPRISE
        and request.user.profile.enterprise_id == enterprise.pk
    )
    context = {
        "enterprise": enterprise,
        "figures": figures,
        "ip_assets": ip_assets[:200],
        "ip_total": len(ip_assets),
        "ip_counts": ip_counts,
        "qualifications": qualifications,
        "institutions": institutions,
        "chart": chart,
        "history": enterprise_history(enterprise, limit=50),
        "can_edit": can_edit,
        "next_year": (figures[-1].year + 1) if figures else None,
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def _wan(value):
    return float(round(value / Decimal(10000), 2)) if value is not None else None


@login_required
def annual_figure_edit(request, pk: int, year: int):
    """Create or edit one year's figures (bureau staff, or the enterprise itself)."""
    enterprise = get_object_for_user(Enterprise.objects.all(), request.user, pk=pk)
    if not (is_staff_role(request.user) or user_role(request.user) == Role.ENTERPRISE):
        raise PermissionDenied
    if not (1990 <= year <= 2100):
        raise Http404
    figure = enterprise.annual_figures.filter(year=year).first()
    form = AnnualFigureForm(request.POST or None, instance=figure)
    if not is_staff_role(request.user):
        # The above-scale classification is the statistics bureau's, not the enterprise's.
        form.fields["is_above_scale_industrial"].disabled = True
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if figure is None:
                annual_figure_create(user=request.user, enterprise=enterprise, year=year, **fields)
            else:
                annual_figure_update(figure=figure, user=request.user, **fields)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(enterprise.get_absolute_url() + "#figures")
    return render(
        request,
        "enterprises/annual_figure_form.html",
        {"enterprise": enterprise, "year": year, "form": form, "figure": figure},
    )
