"""Writes of campaigns, visit tasks, visit records, training attendance and service agencies.

Every service takes keyword-only arguments, checks the acting user's right, validates with
`full_clean()`, writes inside `transaction.atomic()` and records history with the acting user
(django-simple-history; bulk writes through its *_with_history helpers).

Who may write: bureau admin/staff create campaigns, agencies and packages and (re)assign tasks;
a task's assignee (or staff) moves it and records visits; an enterprise account delegates to an
agency, ends its delegations and confirms the R&D figures an agency submitted for it; an agency
member submits R&D figures for enterprises currently delegating to its agency.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from kechuang.core.permissions import is_staff_role, user_role
from kechuang.core.roles import STAFF_ROLES, Role
from kechuang.enterprises.choices import SubmissionStatus as FigureStatus
from kechuang.enterprises.constants import FIRST_REPORTING_YEAR, LAST_REPORTING_YEAR
from kechuang.enterprises.models import AnnualFigure, Enterprise, FigureSubmission
from kechuang.enterprises.submissions import submission_save

from .choices import CampaignKind, DelegationStatus, SubmissionStatus, TaskState
from .constants import RD_CATEGORY_FIELDS
from .logic.targets import FilterSpecError, normalise_filter_spec
from .logic.workflow import Actor, TransitionError, check_transition, path_to
from .models import (
    Agency,
    AgencyMember,
    Campaign,
    Delegation,
    EnterpriseContact,
    RDSubmission,
    ServicePackage,
    TrainingAttendance,
    VisitAttachment,
    VisitRecord,
    VisitTask,
)
from .selectors import agency_for_user, campaign_targets, officers_by_town, task_group

__all__ = [
    "task_actors",
    "campaign_create",
    "task_transition",
    "task_reassign",
    "enterprise_contact_set",
    "visit_record_create",
    "training_attendance_record",
    "agency_create",
    "service_package_create",
    "agency_member_add",
    "agency_member_set",
    "campaign_tasks_add",
    "delegation_create",
    "delegation_end",
    "rd_submission_create",
    "rd_submission_confirm",
    "rd_submission_reject",
]

logger = logging.getLogger(__name__)

ASSIGNABLE_ROLES = STAFF_ROLES | {Role.TOWN_OFFICER, Role.AGENCY}


def _require_staff(user: Any) -> None:
    if not is_staff_role(user):
        raise PermissionDenied(_("Only bureau staff may do this."))


def _save(obj: Any, *, user: Any, exclude: Any = None) -> Any:
    obj._history_user = user
    obj.full_clean(exclude=exclude)
    obj.save()
    return obj


# ------------------------------------------------------------------ campaigns


def campaign_create(
    *,
    user: Any,
    name: str,
    kind: str,
    target_spec: dict,
    due_date: dt.date,
    description: str = "",
) -> Campaign:
    """Create a campaign and one task per target enterprise (one bulk insert).

    target_spec: a saved filter (logic.targets); its year becomes the campaign's year. Each task
    is assigned to the town officer of the enterprise's town, or left unassigned (flagged) when
    the town has none. Only bureau staff may. Raises PermissionDenied or ValidationError.
    """
    _require_staff(user)
    try:
        spec = normalise_filter_spec(
            target_spec, first_year=FIRST_REPORTING_YEAR, last_year=LAST_REPORTING_YEAR
        )
    except FilterSpecError as exc:
        raise ValidationError(
            {"target_spec": [f"{k}: {v}" for k, v in exc.errors.items()]}
        ) from exc
    campaign = Campaign(
        name=name,
        kind=kind,
        year=spec["year"],
        target_spec=spec,
        due_date=due_date,
        description=description,
        created_by=user,
    )
    with transaction.atomic():
        _save(campaign, user=user)
        officers = officers_by_town()
        try:
            targets = list(campaign_targets(spec, user).order_by("pk").values_list("pk", "town_id"))
        except ValueError as exc:  # the R&D app's own spec checks
            logger.info("Refused campaign target set %r: %s", spec, exc)
            raise ValidationError(
                {"target_spec": [_("The target set is not valid; choose it again.")]}
            ) from exc
        tasks = [
            VisitTask(
                campaign=campaign,
                enterprise_id=enterprise_id,
                assignee_id=officers.get(town_id),
                due_date=due_date,
            )
            for enterprise_id, town_id in targets
        ]
        bulk_create_with_history(tasks, VisitTask, batch_size=500, default_user=user)
    return campaign


def campaign_tasks_add(*, user: Any, campaign: Campaign, enterprise_ids: Iterable[int]) -> int:
    """Add a task to `campaign` for each chosen enterprise it does not have yet (the selection
    of the enterprise list), assigned like the campaign's own tasks to the town officer of the
    enterprise's town (one bulk insert, with history). Returns how many were added."""
    _require_staff(user)
    have = set(VisitTask.objects.filter(campaign=campaign).values_list("enterprise_id", flat=True))
    rows = (
        Enterprise.objects.for_user(user)
        .filter(pk__in=list(enterprise_ids))
        .order_by("pk")
        .values_list("pk", "town_id")
    )
    officers = officers_by_town()
    tasks = [
        VisitTask(
            campaign=campaign,
            enterprise_id=enterprise_id,
            assignee_id=officers.get(town_id),
            due_date=campaign.due_date,
        )
        for enterprise_id, town_id in rows
        if enterprise_id not in have
    ]
    with transaction.atomic():
        bulk_create_with_history(tasks, VisitTask, batch_size=500, default_user=user)
    return len(tasks)


# ------------------------------------------------------------------ tasks


def task_actors(task: VisitTask, user: Any) -> set[str]:
    """The workflow actors the user is for this task (assignee and/or staff)."""
    actors = set()
    if is_staff_role(user):
        actors.add(Actor.STAFF)
    if task.assignee_id is not None and task.assignee_id == getattr(user, "pk", None):
        actors.add(Actor.ASSIGNEE)
    return actors


def _visible(task: VisitTask, user: Any) -> None:
    if not VisitTask.objects.for_user(user).filter(pk=task.pk).exists():
        raise PermissionDenied(_("You may not work on this task."))


def task_transition(*, task: VisitTask, to_state: str, user: Any) -> VisitTask:
    """Move a task to `to_state` if the workflow table allows it for this user (its assignee or
    bureau staff). The only code that changes a task's state. Raises PermissionDenied (not the
    user's task) or ValidationError (a move the workflow does not have)."""
    _visible(task, user)
    try:
        check_transition(task.state, to_state, task_actors(task, user))
    except TransitionError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(_("You may not move this task.")) from exc
        raise ValidationError(
            {
                "state": [
                    _("A task cannot move from “%(from)s” to “%(to)s”.")
                    % {"from": task.get_state_display(), "to": to_state}
                ]
            }
        ) from exc
    task.state = to_state
    task._history_user = user  # type: ignore[attr-defined]
    task.save(update_fields=["state", "updated_at"])
    return task


def enterprise_contact_set(
    *, task: VisitTask, user: Any, person: str, position: str = "", phone: str = ""
) -> EnterpriseContact:
    """Record the contact person of the task's enterprise (the task's assignee or bureau staff).
    Raises PermissionDenied (not the user's task) or ValidationError (e.g. a bad phone)."""
    _visible(task, user)
    if not task_actors(task, user):
        raise PermissionDenied(_("You may not work on this task."))
    contact = EnterpriseContact.objects.filter(enterprise_id=task.enterprise_id).first()
    contact = contact or EnterpriseContact(enterprise_id=task.enterprise_id)
    contact.person, contact.position, contact.phone = person, position, phone
    with transaction.atomic():
        _save(contact, user=user, exclude=["enterprise"])
    return contact


def task_reassign(
    *, task: VisitTask, assignee: Any, user: Any, due_date: dt.date | None = None
) -> VisitTask:
    """Give a task to bureau staff, a town officer or an agency member (staff only).

    An agency member may only receive tasks of enterprises that currently delegate to their
    agency (an agency never sees a non-delegating enterprise)."""
    _require_staff(user)
    if assignee is not None:
        role = user_role(assignee)
        if role not in ASSIGNABLE_ROLES:
            raise ValidationError(
                {"assignee": [_("Tasks go to staff, town officers or agencies.")]}
            )
        if role == Role.AGENCY and not (
            Delegation.objects.filter(
                agency__members__user=assignee, enterprise_id=task.enterprise_id
            )
            .active_on(dt.date.today())
            .exists()
        ):
            raise ValidationError(
                {"assignee": [_("This enterprise does not delegate to that agency.")]}
            )
    task.assignee = assignee
    if due_date is not None:
        task.due_date = due_date
    return _save(task, user=user)


def visit_record_create(
    *,
    user: Any,
    task: VisitTask,
    visit_date: dt.date,
    people_met: str,
    findings: str,
    agreed_actions: str = "",
    outcome: str = TaskState.VISITED,
    also_task_ids: Iterable[int] = (),
    files: Iterable = (),
) -> VisitRecord:
    """Record one visit to the task's enterprise and move the task, plus any other open tasks of
    the same enterprise due the same month (`also_task_ids`), to `outcome` (visited, follow-up or
    closed) through the workflow. Every task must be the user's (assignee) or the user staff.
    Attachments are validated (type, size). All or nothing."""
    _visible(task, user)
    group = {t.pk: t for t in task_group(task, user)}
    wanted = {task.pk} | {int(i) for i in also_task_ids}
    unknown = wanted - set(group)
    if unknown:
        raise ValidationError(
            {"also_task_ids": [_("Some tasks are not open tasks of this visit.")]}
        )
    tasks = [group[pk] for pk in sorted(wanted)]
    errors: dict[str, list] = {}
    if visit_date and visit_date > dt.date.today():
        errors.setdefault("visit_date", []).append(_("A visit cannot be in the future."))
    try:
        paths = {t.pk: path_to(t.state, outcome) for t in tasks}
    except TransitionError:
        errors.setdefault("outcome", []).append(_("A closed task cannot be visited again."))
        paths = {}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        record = VisitRecord(
            enterprise_id=task.enterprise_id,
            visit_date=visit_date,
            people_met=people_met,
            findings=findings,
            agreed_actions=agreed_actions,
            outcome=outcome,
            created_by=user,
        )
        _save(record, user=user)
        for t in tasks:
            for step in paths[t.pk]:
                task_transition(task=t, to_state=step, user=user)
        record.tasks.set(tasks)
        for f in files:
            attachment = VisitAttachment(record=record, file=f, name=getattr(f, "name", "")[:255])
            try:
                _save(attachment, user=user)
            except ValidationError as exc:
                raise ValidationError({"attachments": exc.messages}) from exc
    return record


def training_attendance_record(
    *, campaign: Campaign, user: Any, enterprise_ids: Iterable[int], session_date: dt.date
) -> int:
    """Record which enterprises attended a training session of a training campaign (bulk), and
    move their pending tasks of the campaign to visited. Staff, or a town officer for the
    enterprises of their town. Returns the number of new attendance rows."""
    if campaign.kind != CampaignKind.TRAINING:
        raise ValidationError({"campaign": [_("Attendance is recorded for training campaigns.")]})
    if user_role(user) not in STAFF_ROLES | {Role.TOWN_OFFICER}:
        raise PermissionDenied
    ids = set(
        Enterprise.objects.for_user(user)
        .filter(pk__in=list(enterprise_ids))
        .values_list("pk", flat=True)
    )
    if not ids:
        raise ValidationError({"enterprises": [_("Choose at least one enterprise.")]})
    existing = set(
        TrainingAttendance.objects.filter(
            campaign=campaign, session_date=session_date, enterprise_id__in=ids
        ).values_list("enterprise_id", flat=True)
    )
    rows = [
        TrainingAttendance(campaign=campaign, enterprise_id=i, session_date=session_date)
        for i in sorted(ids - existing)
    ]
    with transaction.atomic():
        bulk_create_with_history(rows, TrainingAttendance, default_user=user)
        pending = list(
            VisitTask.objects.for_user(user).filter(
                campaign=campaign, enterprise_id__in=ids, state=TaskState.PENDING
            )
        )
        moved = []
        for task in pending:
            try:
                check_transition(task.state, TaskState.VISITED, task_actors(task, user))
            except TransitionError:
                continue
            task.state = TaskState.VISITED
            moved.append(task)
        bulk_update_with_history(moved, VisitTask, ["state"], default_user=user)
    return len(rows)


# ------------------------------------------------------------------ agencies


def agency_create(*, user: Any, **fields: Any) -> Agency:
    """Register a service agency (staff only)."""
    _require_staff(user)
    return _save(Agency(**fields), user=user)


def service_package_create(*, user: Any, agency: Agency, **fields: Any) -> ServicePackage:
    """Add a service package to an agency (staff only); money in yuan, subsidy ≤ price."""
    _require_staff(user)
    return _save(ServicePackage(agency=agency, **fields), user=user)


def agency_member_add(*, user: Any, agency: Agency, member: Any) -> AgencyMember:
    """Link a user of the agency role to an agency (staff only)."""
    _require_staff(user)
    if user_role(member) != Role.AGENCY:
        raise ValidationError({"user": [_("Only users with the agency role can join an agency.")]})
    return _save(AgencyMember(agency=agency, user=member), user=user)


@transaction.atomic
def agency_member_set(*, user: Any, member: Any, agency: Agency | None) -> AgencyMember | None:
    """Move a user to `agency`, or out of every agency (None); staff only, with history."""
    _require_staff(user)
    row = AgencyMember.objects.filter(user=member).first()
    if row is not None and (agency is None or row.agency_id != agency.pk):
        row._history_user = user  # type: ignore[attr-defined]  # simple-history's hook
        row.delete()
        row = None
    if agency is None or row is not None:
        return row
    return agency_member_add(user=user, agency=agency, member=member)


def _own_enterprise_id(user: Any) -> int | None:
    return getattr(getattr(user, "profile", None), "enterprise_id", None)


def delegation_create(
    *,
    user: Any,
    agency: Agency,
    start_date: dt.date,
    end_date: dt.date,
    package: ServicePackage | None = None,
    enterprise: Enterprise | None = None,
) -> Delegation:
    """Delegate an enterprise's R&D work to an agency for [start_date, end_date].

    An enterprise account delegates its own enterprise (any `enterprise` argument is ignored);
    bureau staff may record a delegation for any enterprise. Overlapping active delegations to
    the same agency are refused."""
    role = user_role(user)
    enterprise_id: Any
    if role == Role.ENTERPRISE and _own_enterprise_id(user):
        enterprise_id = _own_enterprise_id(user)
    elif role in STAFF_ROLES and enterprise is not None:
        enterprise_id = enterprise.pk
    else:
        raise PermissionDenied(_("Only the enterprise itself may delegate to an agency."))
    if package is not None and package.agency_id != agency.pk:
        raise ValidationError({"package": [_("This package belongs to another agency.")]})
    overlapping = Delegation.objects.filter(
        enterprise_id=enterprise_id,
        agency=agency,
        status=DelegationStatus.ACTIVE,
        start_date__lte=end_date,
        end_date__gte=start_date,
    )
    if start_date and end_date and overlapping.exists():
        raise ValidationError(
            {"agency": [_("A delegation to this agency already covers part of this period.")]}
        )
    delegation = Delegation(
        enterprise_id=enterprise_id,
        agency=agency,
        package=package,
        start_date=start_date,
        end_date=end_date,
        created_by=user,
    )
    return _save(delegation, user=user)


def delegation_end(*, delegation: Delegation, user: Any) -> Delegation:
    """End a delegation now: the agency loses access to the enterprise at once.

    The enterprise itself or bureau staff may."""
    if not (is_staff_role(user) or _own_enterprise_id(user) == delegation.enterprise_id):
        raise PermissionDenied(_("Only the enterprise itself may end its delegation."))
    if delegation.status == DelegationStatus.ENDED:
        return delegation
    delegation.status = DelegationStatus.ENDED
    delegation.ended_at = timezone.now()
    return _save(delegation, user=user)


def rd_submission_create(
    *, user: Any, enterprise: Enterprise, year: int, note: str = "", **categories: Any
) -> RDSubmission:
    """An agency submits R&D expense by high-tech-scope category (yuan) for a delegating
    enterprise; it waits for the enterprise's confirmation."""
    agency = agency_for_user(user)
    if (
        user_role(user) != Role.AGENCY
        or agency is None
        or not Delegation.objects.filter(agency=agency, enterprise=enterprise)
        .active_on(dt.date.today())
        .exists()
    ):
        raise PermissionDenied(_("This enterprise does not delegate to your agency."))
    unknown = set(categories) - set(RD_CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"unknown categories {sorted(unknown)}")
    errors: dict[str, list] = {}
    for name, value in categories.items():
        if value is not None and value < 0:
            errors.setdefault(name, []).append(_("An amount cannot be negative."))
    if all(categories.get(n) is None for n in RD_CATEGORY_FIELDS):
        errors.setdefault("__all__", []).append(_("Enter at least one category."))
    if not FIRST_REPORTING_YEAR <= (year or 0) <= LAST_REPORTING_YEAR:
        errors.setdefault("year", []).append(_("Enter a valid year."))
    if errors:
        raise ValidationError(errors)
    submission = RDSubmission(
        enterprise=enterprise, agency=agency, year=year, note=note, submitted_by=user, **categories
    )
    return _save(submission, user=user)


def _decide(submission: RDSubmission, user: Any) -> None:
    if _own_enterprise_id(user) != submission.enterprise_id or user_role(user) != Role.ENTERPRISE:
        raise PermissionDenied(_("Only the enterprise may confirm its figures."))
    if submission.status != SubmissionStatus.PENDING:
        raise ValidationError({"status": [_("This submission was already decided.")]})


def rd_submission_confirm(*, submission: RDSubmission, user: Any) -> RDSubmission:
    """The enterprise confirms an agency's R&D figures. Like every figure an enterprise
    declares, they reach the registry only through its reviewed yearly submission: the
    categories (total = sum of the eight) go into that year's submission, which is sent to the
    bureau; the registry changes when the bureau accepts it. All or nothing."""
    _decide(submission, user)
    fields = {n: v for n, v in submission.categories.items() if v is not None}
    with transaction.atomic():
        figure = AnnualFigure.objects.filter(
            enterprise_id=submission.enterprise_id, year=submission.year
        ).first()
        open_submission = (
            FigureSubmission.objects.filter(
                enterprise_id=submission.enterprise_id, year=submission.year
            )
            .exclude(status=FigureStatus.ACCEPTED)
            .first()
        )
        base = open_submission or figure
        merged = {n: getattr(base, n) if base else None for n in RD_CATEGORY_FIELDS}
        merged.update(fields)
        present = [v for v in merged.values() if v is not None]
        fields["rd_hnte_total"] = sum(present)
        submission_save(
            user=user,
            enterprise=submission.enterprise,
            year=submission.year,
            submit=True,
            **fields,
        )
        submission.status = SubmissionStatus.CONFIRMED
        submission.decided_by = user
        submission.decided_at = timezone.now()
        _save(submission, user=user)
    return submission


def rd_submission_reject(*, submission: RDSubmission, user: Any) -> RDSubmission:
    """The enterprise rejects an agency's R&D figures; nothing is written to its figures."""
    _decide(submission, user)
    submission.status = SubmissionStatus.REJECTED
    submission.decided_by = user
    submission.decided_at = timezone.now()
    return _save(submission, user=user)
