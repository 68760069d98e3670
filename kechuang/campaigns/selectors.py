"""Reads of campaigns, visit tasks and agencies, always scoped to a user.

Target sets: a campaign's saved filter is resolved by `campaign_targets` through
`TARGET_RESOLVERS` (kind → function returning an Enterprise queryset). The zero-R&D kind uses
`kechuang.rnd.selectors.zero_rd_enterprises`, the one definition of the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf

from kechuang.core.access import scope_for
from kechuang.core.permissions import Scope, get_object_for_user, user_role
from kechuang.core.roles import READ_ALL_ROLES, STAFF_ROLES, Role
from kechuang.enterprises.models import AnnualFigure, Enterprise
from kechuang.rnd.selectors import zero_rd_enterprises

from .choices import CampaignKind, SubmissionStatus, TaskState
from .logic.workflow import due_month
from .models import (
    Agency,
    AgencyMember,
    Campaign,
    Delegation,
    EnterpriseContact,
    RDSubmission,
    TrainingAttendance,
    VisitAttachment,
    VisitRecord,
    VisitTask,
)

__all__ = [
    "TARGET_RESOLVERS",
    "agency_for_user",
    "agency_scope",
    "campaign_list",
    "campaign_preview",
    "campaign_targets",
    "coverage",
    "coverage_tasks",
    "delegating_enterprise_ids",
    "delegation_list",
    "enterprise_rd_history",
    "month_group_counts",
    "officers_by_town",
    "pending_submission_count",
    "rd_outcomes",
    "submission_list",
    "task_group",
    "task_list",
]

VISITED_STATES = (TaskState.VISITED, TaskState.FOLLOW_UP, TaskState.CLOSED)


# ------------------------------------------------------------------ agencies and scope


def agency_for_user(user: Any) -> Agency | None:
    """The agency a user works for, or None."""
    if user is None or not user.is_authenticated:
        return None
    member = AgencyMember.objects.select_related("agency").filter(user=user).first()
    return member.agency if member else None


def delegating_enterprise_ids(*, agency_id: int, on: dt.date | None = None) -> frozenset[int]:
    """Enterprises whose delegation to the agency is in force on `on` (default today)."""
    on = on or dt.date.today()
    return frozenset(
        Delegation.objects.filter(agency_id=agency_id)
        .active_on(on)
        .values_list("enterprise_id", flat=True)
    )


def agency_scope(user: Any, role: Any, scope: Scope) -> Scope:
    """Scope provider (core.permissions.SCOPE_PROVIDERS): an agency member sees the enterprises
    that delegate to their agency today; nothing else. Ending or expiry of a delegation takes
    effect on the next request (the scope is cached per request on the user object)."""
    if role != Role.AGENCY:
        return scope
    ids = frozenset(
        Delegation.objects.filter(agency__members__user=user)
        .active_on(dt.date.today())
        .values_list("enterprise_id", flat=True)
    )
    return Scope(all=scope.all, town_ids=scope.town_ids, enterprise_ids=scope.enterprise_ids | ids)


def delegation_list(user: Any) -> QuerySet[Delegation]:
    """Delegations a user may see: staff all; an enterprise its own; an agency its own."""
    return Delegation.objects.for_user(user).select_related("enterprise", "agency", "package")


def submission_list(user: Any) -> QuerySet[RDSubmission]:
    """R&D submissions a user may see: staff all; an enterprise those for it; an agency those
    it made for enterprises that still delegate to it."""
    return RDSubmission.objects.for_user(user).select_related("enterprise", "agency")


def pending_submission_count(user: Any) -> int:
    return submission_list(user).filter(status=SubmissionStatus.PENDING).count()


# ------------------------------------------------------------------ target sets


def _above_scale(year: int) -> Any:
    return AnnualFigure.objects.filter(
        enterprise=OuterRef("pk"), year=year, is_above_scale_industrial=True
    )


def _common_filters(qs: QuerySet, spec: dict) -> QuerySet:
    if spec.get("town"):
        qs = qs.filter(town_id=spec["town"])
    if spec.get("industry"):
        qs = qs.filter(industry_code__startswith=spec["industry"])
    return qs


def above_scale_targets(spec: dict, user: Any) -> QuerySet[Enterprise]:
    """All above-scale industrial enterprises of spec["year"] (optionally of one town/industry)."""
    qs = Enterprise.objects.for_user(user).filter(Exists(_above_scale(spec["year"])))
    return _common_filters(qs, spec)


def zero_rd_targets(spec: dict, user: Any) -> QuerySet[Enterprise]:
    """The zero-R&D list of the R&D app, scoped to the user (one definition for the list and the
    campaign: docs/rnd.md#zero-rd-lists)."""
    return zero_rd_enterprises(spec, user)


TARGET_RESOLVERS: dict[str, Callable[[dict, object], QuerySet]] = {
    "above_scale": above_scale_targets,
    "zero_rd": zero_rd_targets,
}


def campaign_targets(spec: dict, user: Any) -> QuerySet[Enterprise]:
    """The enterprises a saved filter selects, inside the user's scope. Raises KeyError for an
    unknown kind (specs are validated by logic.targets.normalise_filter_spec first)."""
    return TARGET_RESOLVERS[spec["kind"]](spec, user)


def officers_by_town() -> dict[int, int]:
    """town id → the user id of its town officer (the lowest id when a town has several)."""
    rows = (
        get_user_model()
        .objects.filter(groups__name=Role.TOWN_OFFICER, is_active=True, profile__town__isnull=False)
        .order_by("-pk")
        .values_list("profile__town_id", "pk")
    )
    return dict(rows)  # later (lower) ids win


# ------------------------------------------------------------------ campaigns and tasks


def _count_per_campaign(rows: QuerySet, expression: Any = None) -> Coalesce:
    """A correlated count of `rows` of each campaign: one index range per campaign, where
    joining the tasks and the attendance multiplies the rows to count."""
    counted = (
        rows.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=expression or Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def campaign_list(user: Any) -> QuerySet[Campaign]:
    """Campaigns with the progress of the tasks the user may see (one query).

    Staff see every campaign; others only campaigns where they see a task."""
    tasks = VisitTask.objects.for_user(user)
    today = dt.date.today()
    qs = Campaign.objects.annotate(
        n_tasks=_count_per_campaign(tasks),
        n_visited=_count_per_campaign(tasks.filter(state__in=VISITED_STATES)),
        n_closed=_count_per_campaign(tasks.filter(state=TaskState.CLOSED)),
        n_overdue=_count_per_campaign(
            tasks.exclude(state=TaskState.CLOSED).filter(due_date__lt=today)
        ),
        n_attended=_count_per_campaign(
            TrainingAttendance.objects.all(), Count("enterprise", distinct=True)
        ),
    )
    if user_role(user) not in STAFF_ROLES:
        qs = qs.filter(n_tasks__gt=0)
    return qs


def task_list(user: Any) -> QuerySet[VisitTask]:
    """Tasks the user may see, with what the list shows (one query per page): open tasks
    first, by due date."""
    closed_last = Case(When(state=TaskState.CLOSED, then=Value(1)), default=Value(0))
    return (
        VisitTask.objects.for_user(user)
        .select_related(
            "campaign", "enterprise", "enterprise__town", "assignee", "assignee__profile"
        )
        .order_by(closed_last, "due_date", "enterprise__name", "pk")
    )


def task_group(task: VisitTask, user: Any) -> list[VisitTask]:
    """The open tasks of the task's enterprise due in the same month (any campaign) that the user
    may see, the task itself first: they are served by one visit."""
    year, month = due_month(task.due_date)
    siblings = (
        VisitTask.objects.for_user(user)
        .open()
        .filter(enterprise_id=task.enterprise_id, due_date__year=year, due_date__month=month)
        .exclude(pk=task.pk)
        .select_related("campaign", "assignee")
    )
    return [task, *siblings]


def month_group_counts(tasks: list[VisitTask], user: Any) -> dict[tuple[int, int, int], int]:
    """(enterprise id, year, month) → number of visible open tasks, for the shown page (1 query)."""
    if not tasks:
        return {}
    ids = {t.enterprise_id for t in tasks}
    rows = (
        VisitTask.objects.for_user(user)
        .open()
        .filter(enterprise_id__in=ids)
        .values_list("enterprise_id", "due_date")
    )
    counts: dict[tuple[int, int, int], int] = {}
    for enterprise_id, due in rows:
        key = (enterprise_id, due.year, due.month)
        counts[key] = counts.get(key, 0) + 1
    return counts


# ------------------------------------------------------------------ coverage and outcomes


def coverage_tasks(user: Any) -> QuerySet[VisitTask]:
    """Tasks whose coverage the user may read: leaders and staff all, others their own tasks."""
    if user_role(user) in READ_ALL_ROLES:
        return VisitTask.objects.all()
    return VisitTask.objects.for_user(user)


def coverage(tasks: QuerySet[VisitTask], *, by: str, today: dt.date | None = None) -> list[dict]:
    """Coverage of `tasks` grouped by town or by officer, in one grouped SQL query.

    Each row: key, label, targets (tasks), visited (tasks visited, in follow-up or closed),
    overdue (due date passed, not closed), closed, covered_pct (visited ÷ targets × 100).
    A total row is appended.
    """
    today = today or dt.date.today()
    keys: dict[str, Any]
    if by == "town":
        keys = {"key": F("enterprise__town_id"), "label": F("enterprise__town__name")}
        order = ["enterprise__town__sort_order", "enterprise__town_id"]
    elif by == "officer":
        keys = {
            "key": F("assignee_id"),
            "label": Coalesce(
                NullIf(F("assignee__profile__display_name"), Value("")), F("assignee__username")
            ),
        }
        order = ["assignee_id"]
    else:
        raise ValueError(by)
    rows: list[Any] = list(
        tasks.order_by()
        .values(**keys)
        .annotate(
            targets=Count("pk"),
            visited=Count("pk", filter=Q(state__in=VISITED_STATES)),
            overdue=Count("pk", filter=~Q(state=TaskState.CLOSED) & Q(due_date__lt=today)),
            closed=Count("pk", filter=Q(state=TaskState.CLOSED)),
        )
        .order_by(*order)
    )
    total: dict[str, Any] = {"key": None, "label": None, "is_total": True}
    for name in ("targets", "visited", "overdue", "closed"):
        total[name] = sum(r[name] for r in rows)
    for row in [*rows, total]:
        row["covered_pct"] = 100 * row["visited"] / row["targets"] if row["targets"] else None
    return [*rows, total]


def rd_outcomes(*, year: int, user: Any = None) -> dict:
    """Of the above-scale enterprises declaring zero R&D for `year`, compare those visited in a
    zero-declaration campaign of that year with those not visited: how many declare R&D
    (statistical R&D expense > 0) for year + 1. One aggregate query.

    Returns {"year", "next_year", "has_next_year", "visited": {"n", "declaring", "pct"},
    "not_visited": {...}}.
    """
    zero = _above_scale(year).filter(Q(rd_expense_stat__isnull=True) | Q(rd_expense_stat=0))
    base = Enterprise.objects.filter(Exists(zero))
    if user is not None and user_role(user) not in READ_ALL_ROLES:
        base = base.for_user(user)
    visited = VisitTask.objects.filter(
        enterprise=OuterRef("pk"),
        campaign__kind=CampaignKind.ZERO_DECLARATION,
        campaign__year=year,
        state__in=VISITED_STATES,
    )
    declaring = AnnualFigure.objects.filter(
        enterprise=OuterRef("pk"), year=year + 1, rd_expense_stat__gt=0
    )
    result = base.annotate(v=Exists(visited), d=Exists(declaring)).aggregate(
        visited_n=Count("pk", filter=Q(v=True)),
        visited_declaring=Count("pk", filter=Q(v=True, d=True)),
        other_n=Count("pk", filter=Q(v=False)),
        other_declaring=Count("pk", filter=Q(v=False, d=True)),
    )
    has_next = AnnualFigure.objects.filter(year=year + 1).exists()

    def group(n: Any, declaring: Any) -> Any:
        return {"n": n, "declaring": declaring, "pct": 100 * declaring / n if n else None}

    return {
        "year": year,
        "next_year": year + 1,
        "has_next_year": has_next,
        "visited": group(result["visited_n"], result["visited_declaring"]),
        "not_visited": group(result["other_n"], result["other_declaring"]),
    }


# ------------------------------------------------------------------ campaign preview and task facts


def campaign_preview(spec: dict, user: Any) -> dict:
    """What creating a campaign on the saved filter `spec` would do, without writing: the
    number of tasks and, per town, how many and for which town officer (one grouped query
    and one query for the officers' names).

    Returns {"total", "unassigned", "rows": [{"town", "officer", "n"}]}, officer None where the
    town has no town officer (those tasks stay unassigned).
    """
    grouped = list(
        campaign_targets(spec, user)
        .order_by()
        .values("town_id", "town__name", "town__sort_order")
        .annotate(n=Count("pk"))
        .order_by("town__sort_order", "town_id")
    )
    officers = officers_by_town()
    names = dict(
        get_user_model()
        .objects.filter(pk__in=set(officers.values()))
        .annotate(label=Coalesce(NullIf(F("profile__display_name"), Value("")), F("username")))
        .values_list("pk", "label")
    )
    rows = [
        {
            "town": r["town__name"],
            "officer": names.get(officers.get(r["town_id"])),  # type: ignore[arg-type]
            "n": r["n"],
        }
        for r in grouped
    ]
    return {
        "total": sum(r["n"] for r in rows),
        "unassigned": sum(r["n"] for r in rows if r["officer"] is None),
        "rows": rows,
    }


def enterprise_rd_history(enterprise_id: int, *, last: int = 3) -> list[dict]:
    """The enterprise's last `last` years of figures, newest first: year, above-scale flag,
    statistical R&D expense and operating revenue (yuan) and R&D intensity (percent, None
    without revenue). One query."""
    rows = (
        AnnualFigure.objects.filter(enterprise_id=enterprise_id)
        .order_by("-year")
        .values("year", "is_above_scale_industrial", "rd_expense_stat", "operating_revenue")[:last]
    )
    out = []
    for r in rows:
        revenue, rd = r["operating_revenue"], r["rd_expense_stat"]
        out.append(
            {
                **r,
                "intensity_pct": 100 * rd / revenue if revenue and rd is not None else None,
            }
        )
    return out


# ------------------------------------------------------------------ reads of the pages


def campaign_enterprises(user: Any, campaign: Campaign) -> QuerySet[Enterprise]:
    """The enterprises of `campaign`'s tasks that the user sees."""
    return Enterprise.objects.for_user(user).filter(visit_tasks__campaign=campaign)


def campaign_attended(user: Any, campaign: Campaign) -> QuerySet:
    """Training attendance of `campaign` by the enterprises the user sees, latest first."""
    return (
        campaign.attendance.filter(enterprise__in=Enterprise.objects.for_user(user))
        .select_related("enterprise")
        .order_by("-session_date", "enterprise__name")
    )


def task_for(user: Any, pk: Any) -> VisitTask:
    """Visit task `pk` among those the user sees (404 otherwise)."""
    return get_object_for_user(
        VisitTask.objects.select_related(
            "campaign", "enterprise", "enterprise__town", "assignee", "assignee__profile"
        ),
        user,
        pk=pk,
    )


def task_records(task: VisitTask, user: Any) -> list:
    """The visit records of the task's enterprise on tasks the user sees."""
    return list(
        task.enterprise.visit_records.filter(tasks__in=VisitTask.objects.for_user(user))
        .distinct()
        .prefetch_related("attachments", "tasks__campaign")
        .select_related("created_by")
    )


def enterprise_contact(enterprise_id: int) -> Any:
    """The enterprise's contact person for visits (None when none is recorded)."""
    return EnterpriseContact.objects.filter(enterprise_id=enterprise_id).first()


def attachment_for(user: Any, pk: Any) -> Any:
    """Attachment `pk` of a visit record on a task the user sees (None otherwise)."""
    return (
        VisitAttachment.objects.filter(pk=pk, record__tasks__in=VisitTask.objects.for_user(user))
        .distinct()
        .first()
    )


def coverage_campaigns(user: Any) -> QuerySet[Campaign]:
    """The campaigns the coverage page offers: all of them for a region-wide reader."""
    if scope_for(user, "coverage.view").all:
        return Campaign.objects.order_by("-year", "-created_at")
    return campaign_list(user)


def campaign_years() -> list[int]:
    return sorted(set(Campaign.objects.values_list("year", flat=True)), reverse=True)


def default_outcome_year(zero_years: list[int], years: list[int]) -> int | None:
    """The latest zero-declaration year whose following year already has figures."""
    with_next = set(
        AnnualFigure.objects.filter(year__in=[y + 1 for y in zero_years])
        .values_list("year", flat=True)
        .distinct()
    )
    ready = [y for y in zero_years if y + 1 in with_next]
    return (ready or zero_years or years or [None])[0]  # type: ignore[list-item]


def zero_declaration_years() -> list[int]:
    years = Campaign.objects.filter(kind=CampaignKind.ZERO_DECLARATION).values_list(
        "year", flat=True
    )
    return sorted(set(years), reverse=True)


def agencies_for(user: Any) -> QuerySet[Agency]:
    return Agency.objects.for_user(user)


def client_enterprises(user: Any) -> QuerySet[Enterprise]:
    """The enterprises the user works for (an agency's delegating clients), by name."""
    return Enterprise.objects.for_user(user).order_by("name")


def enterprise_for(user: Any, pk: Any) -> Enterprise:
    return get_object_for_user(Enterprise.objects.all(), user, pk=pk)


def visit_records(user: Any) -> QuerySet:
    """Visit records of tasks the user sees, latest first (the API)."""
    return (
        VisitRecord.objects.filter(tasks__in=VisitTask.objects.for_user(user))
        .distinct()
        .prefetch_related("tasks", Prefetch("attachments", VisitAttachment.objects.all()))
        .order_by("-visit_date", "-id")
    )


def visible_task(user: Any, pk: Any) -> VisitTask | None:
    """Visit task `pk` if the user sees it (None otherwise: the API answers a field message)."""
    return VisitTask.objects.for_user(user).filter(pk=pk).first()
