"""What each role's workbench shows besides its to-dos (docs/workbench.md#panels).

Every panel reads the owning app's selectors in the user's own scope; the workbench adds no
queries of its own beyond the cross-module change history.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.campaigns.choices import TaskState
from kechuang.campaigns.models import Campaign, VisitTask
from kechuang.campaigns.selectors import (
    client_enterprises,
    coverage,
    coverage_tasks,
    delegation_list,
    submission_list,
    task_list,
)
from kechuang.cooperation.models import Achievement, DemandMatch, TechContract, TechDemand
from kechuang.cooperation.selectors import achievement_list, demand_list
from kechuang.core.access import can, scope_for
from kechuang.core.figures import figure_cards, figure_values, figures_in
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.core.years import data_years
from kechuang.enterprises.choices import SubmissionStatus
from kechuang.enterprises.models import AnnualFigure, Enterprise, FigureSubmission, Qualification
from kechuang.enterprises.pages import scoped_submissions
from kechuang.enterprises.selectors import qualification_validity
from kechuang.experts.models import Expert
from kechuang.experts.selectors import expert_list, own_expert
from kechuang.indicators.selectors import ranking_summary, target_progress
from kechuang.notices.models import Notice, Objection
from kechuang.notifications.selectors import latest_for, unread_count
from kechuang.platforms.platform_selectors import open_round_platforms
from kechuang.programmes.models import Application
from kechuang.programmes.selectors import expert_assignments, open_calls_with_eligibility
from kechuang.qualifications.models import ResultStatus, Tier
from kechuang.qualifications.pages import at_risk_holders, expiring_certificates
from kechuang.qualifications.selectors import latest_run, results_for
from kechuang.rnd.logic.zero_rd import ZeroRdSpec
from kechuang.rnd.selectors import without_visit_task, zero_rd_enterprises

from .todos import list_year, risk_year, todos_for, zero_rd_year

__all__ = ["workbench_context", "recent_changes", "ATTENTION_ROWS"]

ATTENTION_ROWS = 5
RECENT_CHANGES = 12
# Models whose history is the bureau's "recent changes" (django-simple-history).
HISTORY_MODELS = (
    Enterprise,
    AnnualFigure,
    Qualification,
    FigureSubmission,
    Campaign,
    VisitTask,
    Notice,
    Objection,
    TechDemand,
    Achievement,
    TechContract,
    Application,
    Expert,
)
ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _today() -> dt.date:
    return timezone.localdate()


def _label_of(record: Any) -> str:
    for field in ("name", "title", "file_name"):
        value = getattr(record, field, None)
        if value:
            return str(value)
    return ""


def recent_changes(limit: int = RECENT_CHANGES) -> list[dict[str, Any]]:
    """The newest changes across the registry's modules: one query per model for its newest
    `limit` records, merged by time; enterprise names read in one more query."""
    rows: list[tuple[Any, Any]] = []
    for model in HISTORY_MODELS:
        history = getattr(model, "history", None)
        if history is None:
            continue
        records = history.select_related("history_user").order_by("-history_date")[:limit]
        rows.extend((model, r) for r in records)
    rows.sort(key=lambda pair: pair[1].history_date, reverse=True)
    rows = rows[:limit]
    ids: set[int] = {r.enterprise_id for _m, r in rows if getattr(r, "enterprise_id", None)}
    names = dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))
    out = []
    for model, record in rows:
        user = record.history_user
        enterprise = names.get(getattr(record, "enterprise_id", None) or 0, "")
        out.append(
            {
                "when": record.history_date,
                "who": (user.get_full_name() or user.get_username()) if user else _("system"),
                "what": str(model._meta.verbose_name),
                "object": _label_of(record) or enterprise,
                "enterprise": enterprise,
                "action": ACTIONS.get(record.history_type, ""),
                # A reason that is a workflow step's internal name is not shown to people.
                "reason": _readable_reason(record.history_change_reason),
            }
        )
    return out


def _readable_reason(reason: str | None) -> str:
    if not reason or re.fullmatch(r"[a-z0-9_]+", reason):
        return ""
    return reason


def _figure_year() -> int:
    return list_year(data_years())


def _headline(user: Any, *, links: bool) -> dict[str, Any]:
    year = _figure_year()
    scope = scope_for(user, "dashboard.view")
    keys = [f.key for group in ("ladder", "rd") for f in figures_in(group)]
    values = figure_values(year, scope=scope, keys=keys)
    previous = figure_values(year - 1, scope=scope, keys=[f.key for f in figures_in("ladder")])
    return {
        "figure_year": year,
        "ladder_cards": figure_cards("ladder", year, values, previous, links=links)[:6],
        "rd_cards": figure_cards("rd", year, values, links=links)[:4],
    }


# ------------------------------------------------------------------ bureau and town


def _staff(user: Any) -> dict[str, Any]:
    return {**_headline(user, links=True), "changes": recent_changes()}


def _my_tasks(user: Any) -> list[VisitTask]:
    return list(task_list(user).filter(assignee=user).exclude(state=TaskState.CLOSED)[:8])


def _attention(user: Any) -> dict[str, Any]:
    today = _today()
    expiring = [x for x in expiring_certificates(user, today) if x["window"] == 6]
    year = zero_rd_year()
    zero = without_visit_task(zero_rd_enterprises(ZeroRdSpec(year=year), user), year)
    run = latest_run(risk_year())
    failed = list(at_risk_holders(user, run, "")[:ATTENTION_ROWS]) if run is not None else []
    for r in failed:
        r.tier_label = Tier(r.tier).label
    return {
        "expiring": expiring[:ATTENTION_ROWS],
        "zero_rd": list(zero[:ATTENTION_ROWS]),
        "zero_rd_year": year,
        "failed": failed,
    }


def _town(user: Any) -> dict[str, Any]:
    rows = coverage(coverage_tasks(user), by="town", today=_today())
    headline = _headline(user, links=True)
    return {
        **headline,
        "scoped_title": _("Figures of my town %(year)s") % {"year": headline["figure_year"]},
        "my_tasks": _my_tasks(user),
        "attention": _attention(user),
        "coverage": rows,
    }


def _leader(user: Any) -> dict[str, Any]:
    year = _figure_year()
    return {
        **_headline(user, links=False),
        "targets": target_progress(year),
        "rankings": list(ranking_summary(year, draws=0).values()),
    }


# ------------------------------------------------------------------ enterprise


def _assessment(user: Any) -> dict[str, Any] | None:
    run = latest_run(risk_year())
    if run is None:
        return None
    results = list(results_for(run, user))
    passed = [Tier(r.tier).label for r in results if r.status == ResultStatus.PASS]
    gaps = [r for r in results if r.status != ResultStatus.PASS and r.gap_cost_wan is not None]
    cheapest = min(gaps, key=lambda r: r.gap_cost_wan) if gaps else None
    return {
        "year": run.year,
        "passed": passed,
        "held": [Tier(r.tier).label for r in results if r.held],
        "cheapest": {"tier": Tier(cheapest.tier).label, "cost_wan": cheapest.gap_cost_wan}
        if cheapest
        else None,
    }


def _certificates(user: Any) -> list[dict[str, Any]]:
    today = _today()
    rows = Qualification.objects.for_user(user).order_by("-issue_date")[:8]
    return [
        {"q": q, "valid": qualification_validity(q, today) == "valid", "end": q.expiry_date}
        for q in rows
    ]


def _submission_year() -> int:
    """Figures of the past calendar year are submitted during this one."""
    return _today().year - 1


def _enterprise(user: Any) -> dict[str, Any]:
    enterprise = getattr(getattr(user, "profile", None), "enterprise", None)
    year = _submission_year()
    submission = scoped_submissions(user).filter(year=year).order_by("-pk").first()
    calls = [
        {"call": c, "status": (e or {}).get("status", "unknown")}
        for c, e in open_calls_with_eligibility(enterprise)
    ]
    demands = list(
        demand_list(user).annotate(n_matches=Count("matches", distinct=True)).order_by("-pk")[:5]
    )
    return {
        "enterprise": enterprise,
        "submission_year": year,
        "submission": submission,
        "submission_status": SubmissionStatus(submission.status).label
        if submission
        else _("Not started"),
        "assessment": _assessment(user),
        "certificates": _certificates(user),
        "calls": [c for c in calls if c["status"] != "fail"][:5],
        "demands": demands,
        "delegations": list(delegation_list(user).order_by("-pk")[:5]),
    }


# ------------------------------------------------------------------ other roles


def _agency(user: Any) -> dict[str, Any]:
    return {
        "clients": list(client_enterprises(user).select_related("town")[:10]),
        "rd_submissions": list(submission_list(user).order_by("-pk")[:8]),
    }


def _expert(user: Any) -> dict[str, Any]:
    return {"expert": own_expert(user), "seats": list(expert_assignments(user)[:10])}


def _university(user: Any) -> dict[str, Any]:
    achievements = achievement_list(user)
    visible = TechDemand.objects.for_user(user).values("pk")
    matches = (
        DemandMatch.objects.filter(achievement__in=achievements.values("pk"), demand_id__in=visible)
        .select_related("demand", "achievement")
        .order_by("-score")[:8]
    )
    return {
        "achievements": list(achievements.order_by("-pk")[:8]),
        "experts": list(expert_list(user)[:8]) if can(user, "experts.view") else [],
        "matches": list(matches),
    }


def _operator(user: Any) -> dict[str, Any]:
    return {"rounds": open_round_platforms(user)}


Panel = Callable[[Any], dict[str, Any]]
PANELS: dict[Role | None, tuple[str, Panel]] = {
    Role.BUREAU_ADMIN: ("staff", _staff),
    Role.BUREAU_STAFF: ("staff", _staff),
    Role.TOWN_OFFICER: ("town", _town),
    Role.LEADER: ("leader", _leader),
    Role.ENTERPRISE: ("enterprise", _enterprise),
    Role.AGENCY: ("agency", _agency),
    Role.EXPERT: ("expert", _expert),
    Role.UNIVERSITY: ("university", _university),
    Role.PLATFORM_OPERATOR: ("operator", _operator),
}


def _no_role(user: Any) -> dict[str, Any]:
    return {}


def _notifications(user: Any) -> dict[str, Any]:
    return {"notifications": latest_for(user, 5), "unread": unread_count(user)}


def workbench_context(user: Any) -> dict[str, Any]:
    """Everything the user's workbench shows: the to-dos, then the role's panels."""
    role = user_role(user)
    kind, panel = PANELS.get(role, ("none", _no_role))
    todos = todos_for(user)
    return {
        "kind": kind,
        "role": role,
        "todos": todos,
        "todo_total": sum(t["count"] for t in todos),
        "today": _today(),
        "dashboard_url": reverse("dashboard:home") if can(user, "dashboard.view") else None,
        **panel(user),
        **_notifications(user),
    }
