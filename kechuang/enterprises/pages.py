"""Reads behind the enterprise pages: the list rows with one year's figures, the qualification
labels a list page shows, one enterprise or submission inside the reader's scope.

The views only choose the page and render; the R&D page's enterprise list reuses these rows.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Case, DecimalField, F, FilteredRelation, Q, QuerySet, When

from kechuang.core.access import ScopeKind, role_scope
from kechuang.core.permissions import get_object_for_user

from .choices import SubmissionStatus
from .file import FileContext, build_panels, build_timeline, visible_sources
from .file_models import EnterpriseContact
from .models import AnnualFigure, Enterprise, FigureSubmission, Qualification
from .selectors import year_end

__all__ = [
    "enterprise_rows",
    "figures_of",
    "TierLookup",
    "scoped_qualifications",
    "scoped_rows",
    "own_enterprise",
    "enterprise_for",
    "open_submission",
    "scoped_submissions",
    "submission_for",
    "registry_figure",
    "proposes_own_figures",
    "file_page",
    "contact_for",
]


def enterprise_rows(user, year: int) -> QuerySet:
    """The enterprises the user sees, each annotated with its figures of `year` (fy_…)."""
    return (
        Enterprise.objects.for_user(user)
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


def figures_of(rows: QuerySet, year: int) -> QuerySet:
    """The yearly figures of `year` of the listed enterprises (the import-format export)."""
    return AnnualFigure.objects.filter(enterprise__in=rows.values("pk"), year=year)


class TierLookup(dict):
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


def scoped_qualifications(user) -> QuerySet:
    return Qualification.objects.for_user(user).select_related("enterprise", "enterprise__town")


def scoped_rows(model, user) -> QuerySet:
    """The rows of a registry model (one with `for_user`) inside the user's scope."""
    return model.objects.for_user(user)


def own_enterprise(user) -> Enterprise | None:
    """The enterprise of an enterprise user's profile (None for every other user)."""
    enterprise_id = getattr(getattr(user, "profile", None), "enterprise_id", None)
    return Enterprise.objects.filter(pk=enterprise_id).first()


def enterprise_for(user, pk: int) -> Enterprise:
    """Enterprise `pk` inside the user's scope (404 otherwise)."""
    return get_object_for_user(Enterprise.objects.select_related("town"), user, pk=pk)


def open_submission(enterprise, year: int) -> FigureSubmission | None:
    """The enterprise's submission of `year` not yet accepted (draft, submitted or returned)."""
    return (
        FigureSubmission.objects.filter(enterprise=enterprise, year=year)
        .exclude(status=SubmissionStatus.ACCEPTED)
        .first()
    )


def scoped_submissions(user) -> QuerySet:
    return FigureSubmission.objects.for_user(user).select_related("enterprise", "enterprise__town")


def submission_for(user, pk: int) -> FigureSubmission:
    """Submission `pk` inside the user's scope (404 otherwise)."""
    return get_object_for_user(
        FigureSubmission.objects.select_related("enterprise", "reviewer"), user, pk=pk
    )


def registry_figure(enterprise_id: int, year: int) -> AnnualFigure | None:
    return AnnualFigure.objects.filter(enterprise_id=enterprise_id, year=year).first()


def proposes_own_figures(user) -> bool:
    """Whether the user reads submissions as their enterprise (and may edit its drafts)."""
    return role_scope(user, "figure_submissions.view") == ScopeKind.OWN


def file_page(enterprise: Enterprise, user, *, module: str | None = None) -> dict:
    """The enterprise file (docs/enterprise-file.md): the panels the viewer may see and one
    timeline across them, optionally kept to one module."""
    ctx = FileContext(enterprise=enterprise, user=user)
    sources = visible_sources(user)
    if module not in {s.module for s in sources}:
        module = None
    return {
        "enterprise": enterprise,
        "panels": build_panels(ctx),
        "timeline": build_timeline(ctx, module=module),
        "timeline_modules": [(s.module, s.label) for s in sources],
        "timeline_module": module,
        "today": ctx.today,
    }


def contact_for(user, enterprise: Enterprise, pk: int) -> EnterpriseContact:
    """Contact `pk` of `enterprise` (already inside the user's scope), 404 otherwise."""
    return get_object_for_user(EnterpriseContact.objects.filter(enterprise=enterprise), user, pk=pk)
