"""The to-do registry of the workbenches (docs/workbench.md#to-dos).

A to-do is a count of records waiting for the user, with the link to the list that shows
exactly those records. Each count goes through the list's own selector (or its FilterSet with
the link's query string), so the number on the card is the number of rows the list shows, in
the user's scope. Other apps may add to-dos with `register_todo` from their AppConfig.ready().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kechuang.campaigns.filters import VisitTaskFilterSet
from kechuang.campaigns.selectors import pending_submission_count, task_list
from kechuang.cooperation.filters import ContractFilterSet
from kechuang.cooperation.selectors import contract_list
from kechuang.core.access import can
from kechuang.core.permissions import user_role
from kechuang.core.roles import Role
from kechuang.core.years import data_years, selected_year
from kechuang.enterprises.choices import SubmissionStatus
from kechuang.enterprises.pages import scoped_submissions
from kechuang.enterprises.portal_pages import review_queue
from kechuang.imports.selectors import batches_awaiting_commit
from kechuang.notices.filters import ObjectionFilterSet
from kechuang.notices.selectors import objection_list
from kechuang.platforms.platform_selectors import open_round_platforms, rounds
from kechuang.programmes.choices import AssignmentStatus
from kechuang.programmes.selectors import due_reports, expert_assignments
from kechuang.qualifications.pages import at_risk_holders, expiring_certificates
from kechuang.qualifications.selectors import available_assessment_years, latest_run
from kechuang.rnd.logic.zero_rd import ZeroRdSpec
from kechuang.rnd.selectors import without_visit_task, zero_rd_enterprises

__all__ = [
    "Todo",
    "TODOS",
    "register_todo",
    "todos_for",
    "filtered_count",
    "list_year",
    "risk_year",
    "zero_rd_year",
]

BUREAU = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
OFFICER = frozenset({Role.TOWN_OFFICER})


@dataclass(frozen=True)
class Todo:
    """One kind of to-do: who sees it, how many records wait, and the list that shows them."""

    code: str
    label: str | Promise
    roles: frozenset[Role]
    count: Callable[[Any], int]
    url: Callable[[Any], str]
    capability: str  # the list's capability: a role without it never sees the card
    hint: str | Promise = ""
    tone: str = "warning"  # warning (work waiting) or danger (past a time limit)


TODOS: list[Todo] = []


def register_todo(todo: Todo) -> None:
    """Add `todo` once (a second registration of the same code replaces the first)."""
    TODOS[:] = [t for t in TODOS if t.code != todo.code]
    TODOS.append(todo)


def todos_for(user: Any) -> list[dict[str, Any]]:
    """The user's to-dos in registry order: code, label, count, url, hint, tone."""
    role = user_role(user)
    out: list[dict[str, Any]] = []
    for todo in TODOS:
        if role not in todo.roles or not can(user, todo.capability):
            continue
        out.append(
            {
                "code": todo.code,
                "label": str(todo.label),
                "count": todo.count(user),
                "url": todo.url(user),
                "hint": str(todo.hint),
                "tone": todo.tone,
            }
        )
    return out


def filtered_count(filterset_class: Any, queryset: QuerySet, params: dict, user: Any) -> int:
    """Rows of a list page with query string `params`: the list's scoped queryset through its
    FilterSet, as `kechuang.core.lists.list_page` filters them."""
    request = SimpleNamespace(user=user, GET=params)
    filterset = filterset_class(params, queryset=queryset, request=request)
    return filterset.qs.count() if filterset.is_valid() else 0


def list_year(years: list[int]) -> int:
    """The year a list opens on without ?year= (`kechuang.core.years.selected_year`)."""
    return selected_year(SimpleNamespace(GET={}), years)


def _url(name: str, params: dict | None = None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(params)}" if params else url


def _today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------ bureau and town


IMPORTS_PARAMS = {"waiting": "1"}


def _imports_waiting(user: Any) -> int:
    return batches_awaiting_commit().count()


def _submissions_waiting(user: Any) -> int:
    """The submissions waiting for the user's own review step: the list's review queue."""
    return review_queue(user).count()


def _submissions_url(user: Any) -> str:
    return _url("enterprises:submission_list", {"status": "queue"})


OVERDUE_PARAMS = {"overdue": "true"}
MY_OVERDUE_PARAMS = {"overdue": "true", "mine": "true"}
MY_PENDING_PARAMS = {"state": "pending", "mine": "true"}


def _tasks(params: dict) -> Callable[[Any], int]:
    def count(user: Any) -> int:
        return filtered_count(VisitTaskFilterSet, task_list(user), params, user)

    return count


def _expiring_six_months(user: Any) -> int:
    return sum(1 for x in expiring_certificates(user, _today()) if x["window"] == 6)


def risk_year() -> int:
    return list_year(available_assessment_years())


def _failed_tier(user: Any) -> int:
    run = latest_run(risk_year())
    return at_risk_holders(user, run, "").count() if run is not None else 0


def zero_rd_year() -> int:
    return list_year(data_years())


def _zero_rd_untasked(user: Any) -> int:
    year = zero_rd_year()
    return without_visit_task(zero_rd_enterprises(ZeroRdSpec(year=year), user), year).count()


OBJECTION_PARAMS = {"status": "received"}


def _objections(user: Any) -> int:
    return filtered_count(ObjectionFilterSet, objection_list(), OBJECTION_PARAMS, user)


def _platform_reports(user: Any) -> int:
    return sum(r.submitted for r in rounds())


# The window of the due-report list (kechuang/programmes due_reports page).
PROGRAMME_DUE_DAYS = 60


def _programme_reports_due(user: Any) -> int:
    return len(due_reports(today=_today(), days_ahead=PROGRAMME_DUE_DAYS, user=user))


CONTRACT_PARAMS = {"near_limit": "true"}


def _contracts_near_limit(user: Any) -> int:
    return filtered_count(ContractFilterSet, contract_list(user), CONTRACT_PARAMS, user)


# ------------------------------------------------------------------ other roles


def _rd_submissions_pending(user: Any) -> int:
    return pending_submission_count(user)


def _returned_submissions(user: Any) -> int:
    return scoped_submissions(user).filter(status=SubmissionStatus.RETURNED).count()


def _review_seats(user: Any) -> int:
    waiting = [AssignmentStatus.ASSIGNED, AssignmentStatus.DECLARED]
    return expert_assignments(user).filter(status__in=waiting).count()


def _platform_reports_to_fill(user: Any) -> int:
    done = {"submitted", "accepted"}
    return sum(
        1
        for _r, _p, report in open_round_platforms(user)
        if report is None or report.status not in done
    )


def _defaults() -> list[Todo]:
    everyone_reviewing = BUREAU | OFFICER
    return [
        Todo(
            "imports_waiting",
            _("Checked imports waiting to be committed"),
            BUREAU,
            _imports_waiting,
            lambda u: _url("imports:import_list", IMPORTS_PARAMS),
            "imports.manage",
            _("The dry run passed; nothing is written until someone commits it."),
        ),
        Todo(
            "submissions_review",
            _("Yearly-figure submissions to review"),
            everyone_reviewing,
            _submissions_waiting,
            _submissions_url,
            "figure_submissions.view",
            _("Only an accepted submission changes the registry's figures."),
        ),
        Todo(
            "tasks_overdue",
            _("Visit tasks overdue"),
            BUREAU,
            _tasks(OVERDUE_PARAMS),
            lambda u: _url("campaigns:task_list", OVERDUE_PARAMS),
            "campaigns.work",
            _("Open tasks past their due date."),
            "danger",
        ),
        Todo(
            "my_tasks_pending",
            _("My visit tasks to do"),
            OFFICER,
            _tasks(MY_PENDING_PARAMS),
            lambda u: _url("campaigns:task_list", MY_PENDING_PARAMS),
            "campaigns.work",
            _("Tasks assigned to me that have not been visited yet."),
        ),
        Todo(
            "my_tasks_overdue",
            _("My visit tasks overdue"),
            OFFICER,
            _tasks(MY_OVERDUE_PARAMS),
            lambda u: _url("campaigns:task_list", MY_OVERDUE_PARAMS),
            "campaigns.work",
            _("Open tasks assigned to me past their due date."),
            "danger",
        ),
        Todo(
            "certificates_expiring",
            _("High-tech certificates expiring within 6 months"),
            everyone_reviewing,
            _expiring_six_months,
            lambda u: _url("qualifications:risk_list"),
            "reserve.view",
            _("Valid for three years from issue (国科发火〔2016〕32号 第九条); not yet renewed."),
        ),
        Todo(
            "failed_tier",
            _("Title holders no longer meeting their tier's rules"),
            OFFICER,
            _failed_tier,
            lambda u: _url("qualifications:risk_list", {"year": risk_year()}),
            "reserve.view",
            _("From the latest assessment run."),
        ),
        Todo(
            "zero_rd_untasked",
            _("Zero-R&D enterprises without a visit task"),
            everyone_reviewing,
            _zero_rd_untasked,
            lambda u: _url("rnd:zero_rd_list", {"year": zero_rd_year(), "untasked": "true"}),
            "rnd.list",
            _("Above-scale industrial enterprises declaring no R&D, not yet visited."),
        ),
        Todo(
            "objections_open",
            _("Objections to public notices to handle"),
            BUREAU,
            _objections,
            lambda u: _url("notices:objection_list", OBJECTION_PARAMS),
            "notices.manage",
            _("Received during a notice's objection period and not yet handled."),
            "danger",
        ),
        Todo(
            "platform_reports_review",
            _("Platform yearly reports to review"),
            BUREAU,
            _platform_reports,
            lambda u: _url("platform_pages:round_list"),
            "platforms.manage",
            _("Submitted by the platforms in the yearly reporting rounds."),
        ),
        Todo(
            "programme_reports_due",
            _("Programme progress reports due within 60 days"),
            BUREAU,
            _programme_reports_due,
            lambda u: _url("programmes:due_reports"),
            "programmes.check",
            _("Mid-term and acceptance reports not yet submitted, overdue ones included."),
        ),
        Todo(
            "contracts_near_limit",
            _("Technical contracts near their registration time limit"),
            BUREAU,
            _contracts_near_limit,
            lambda u: _url("cooperation:contract_list", CONTRACT_PARAMS),
            "contracts.decide",
            _("Accepted applications to decide within 5 days of the limit, or already past it."),
            "danger",
        ),
        Todo(
            "returned_submissions",
            _("My yearly-figure submissions returned for correction"),
            frozenset({Role.ENTERPRISE}),
            _returned_submissions,
            lambda u: _url("enterprises:submission_list", {"status": "returned"}),
            "figure_submissions.view",
            _("Correct and submit them again."),
            "danger",
        ),
        Todo(
            "rd_submissions_pending",
            _("Agency R&D submissions awaiting confirmation"),
            frozenset({Role.ENTERPRISE, Role.AGENCY}),
            _rd_submissions_pending,
            lambda u: _url("campaigns:submission_list"),
            "submissions.view",
            _("Written to the yearly figures only when the enterprise confirms."),
        ),
        Todo(
            "review_seats",
            _("Programme reviews assigned to me"),
            frozenset({Role.EXPERT}),
            _review_seats,
            lambda u: _url("programmes:review_list"),
            "programmes.review",
            _("Declare any conflict of interest first, then score."),
        ),
        Todo(
            "platform_reports_to_fill",
            _("Yearly platform reports to fill in"),
            frozenset({Role.PLATFORM_OPERATOR}),
            _platform_reports_to_fill,
            lambda u: _url("platform_pages:round_list"),
            "platforms.report",
            _("Open reporting rounds without a submitted report."),
        ),
    ]


for _todo in _defaults():
    register_todo(_todo)
