"""Writes of the enterprise portal's yearly-figure submissions (docs/portal.md#workflow).

The enterprise's own accounts fill and submit; the town officer of the enterprise's town passes
or returns; bureau staff accept or return. The moves are the table of `logic/submission.py`:
every service looks up its transition there, checks that the acting user's role holds the
transition's capability and that the submission is inside the user's scope, and records the
step in the submission's history (who, when and why). Only an accepted submission writes the
registry's yearly figures (and so the R&D aggregates, through the data-changed hook).

Figures from an official source (a yearly-figures row imported from the statistics or tax
data) are never overwritten silently: accepting values that differ needs the reviewer's
confirmation, which is recorded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kechuang.core.access import can
from kechuang.core.hooks import data_changed

from . import policy
from .choices import AttachmentKind, DataSource, ReviewStage, SubmissionStatus
from .logic import submission as flow
from .models import AnnualFigure, Enterprise, FigureSubmission, SubmissionAttachment
from .reminders import notify_submission_returned
from .services import _annual_figure_errors, apply_fields, require_write

__all__ = [
    "ATTACHMENT_CHECKS",
    "SUBMISSION_FIELDS",
    "official_values",
    "official_source_label",
    "submission_save",
    "submission_update",
    "submission_submit",
    "submission_town_pass",
    "submission_town_return",
    "submission_return",
    "submission_accept",
    "attachment_add",
    "attachment_delete",
]

SUBMISSION_FIELDS = policy.ENTERPRISE_FIGURE_FIELDS

# Checks of an uploaded document (size counted while reading, content matching the extension),
# registered by the app that owns them (the visit-record attachment checks of campaigns) from
# its AppConfig.ready(): each raises ValidationError. Without one, uploads are refused.
ATTACHMENT_CHECKS: list[Callable[[Any], None]] = []
MAX_ATTACHMENTS = 20  # per submission


# ------------------------------------------------------------------ official figures


def official_values(figure: AnnualFigure | None) -> dict[str, Any]:
    """The declared figures of a registry row that came from an official source (an import of
    the statistics or tax data), by field name; empty for any other row."""
    if figure is None or figure.source != DataSource.IMPORT:
        return {}
    return {
        name: getattr(figure, name)
        for name in SUBMISSION_FIELDS
        if getattr(figure, name) is not None
    }


def official_source_label(figure: AnnualFigure | None) -> str:
    """Where an official row came from, for the pages (the import's file name)."""
    if figure is None or figure.source != DataSource.IMPORT:
        return ""
    batch = figure.import_batch
    name = batch.file_name if batch is not None else ""
    return (
        _("Imported statistics (%(file)s)") % {"file": name} if name else _("Imported statistics")
    )


def _submitted_values(submission: FigureSubmission) -> dict[str, Any]:
    return {name: getattr(submission, name) for name in SUBMISSION_FIELDS}


# ------------------------------------------------------------------ checks


def _transition(submission: FigureSubmission, action: str) -> flow.Transition:
    try:
        return flow.transition(action, submission.status)
    except flow.TransitionError as exc:
        raise ValidationError(
            {
                "status": [
                    _("A submission that is “%(status)s” cannot be changed this way.")
                    % {"status": submission.get_status_display()}
                ]
            }
        ) from exc


def _require_actor(user: Any, submission: FigureSubmission, step: flow.Transition) -> None:
    """The user's role holds the step's capability and the submission is in the user's scope."""
    if not can(user, step.capability):
        if step.stage == "town":
            raise PermissionDenied(
                _("Only the town officer of the enterprise's town reviews first.")
            )
        if step.stage == "bureau":
            raise PermissionDenied(_("Only bureau staff review submissions."))
        raise PermissionDenied(_("You may not change this record."))
    if not FigureSubmission.objects.for_user(user).filter(pk=submission.pk).exists():
        raise PermissionDenied(_("You may not change this record."))


def _save_step(submission: FigureSubmission, *, user: Any, reason: str) -> FigureSubmission:
    submission._history_user = user if getattr(user, "is_authenticated", False) else None  # type: ignore[attr-defined]
    submission._change_reason = reason[:100]  # type: ignore[attr-defined]
    submission.save()
    return submission


def _submission_errors(submission: FigureSubmission) -> dict:
    errors = _annual_figure_errors(submission)  # the same checks as the registry's figures
    try:
        submission.full_clean(validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(
                m for m in messages if m not in errors.get(field, [])
            )
    return errors


def _locked(submission: FigureSubmission) -> FigureSubmission:
    return (
        FigureSubmission.objects.select_for_update()
        .select_related("enterprise")
        .get(pk=submission.pk)
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for returning the submission.")]})
    return reason


# ------------------------------------------------------------------ the enterprise's steps


def submission_save(
    *, user: Any, enterprise: Enterprise, year: int, submit: bool = False, **fields: Any
) -> FigureSubmission:
    """Create or change the enterprise's open submission for `year` (暂存), optionally submitting
    it (提交) to its town's review. Only the enterprise's own accounts may, and only the fields it
    declares itself (policy.ENTERPRISE_FIGURE_FIELDS). Raises PermissionDenied or
    ValidationError; nothing is written then."""
    require_write(user, FigureSubmission, enterprise_ids=[enterprise.pk], fields=["year", *fields])
    with transaction.atomic():
        submission = (
            FigureSubmission.objects.select_for_update()
            .filter(enterprise=enterprise, year=year)
            .exclude(status=SubmissionStatus.ACCEPTED)
            .first()
        )
        if submission is None:
            submission = FigureSubmission(enterprise=enterprise, year=year, created_by=user)
        step = _transition(submission, "submit" if submit else "save")
        if not can(user, step.capability):
            raise PermissionDenied(_("You may not change this record."))
        submission.status = step.target
        apply_fields(submission, fields)
        errors = _submission_errors(submission)
        if errors:
            raise ValidationError(errors)
        if submit:
            submission.submitted_by = user
            submission.submitted_at = timezone.now()
        reason = _("Submitted for review") if submit else _("Draft saved")
        try:
            with transaction.atomic():
                return _save_step(submission, user=user, reason=reason)
        except IntegrityError as exc:  # a concurrent first save of the same year
            raise ValidationError(
                {"year": [_("This enterprise already has an open submission for this year.")]}
            ) from exc


def submission_update(
    *, submission: FigureSubmission, user: Any, **fields: Any
) -> FigureSubmission:
    """Change a draft or returned submission's values (the enterprise's own accounts)."""
    return submission_save(
        user=user, enterprise=submission.enterprise, year=submission.year, **fields
    )


def submission_submit(*, submission: FigureSubmission, user: Any) -> FigureSubmission:
    """Send a draft (or a returned submission) to the town's review."""
    require_write(user, FigureSubmission, enterprise_ids=[submission.enterprise_id])
    with transaction.atomic():
        submission = _locked(submission)
        step = _transition(submission, "submit")
        _require_actor(user, submission, step)
        errors = _submission_errors(submission)
        if errors:
            raise ValidationError(errors)
        submission.status = step.target
        submission.submitted_by = user
        submission.submitted_at = timezone.now()
        return _save_step(submission, user=user, reason=_("Submitted for review"))


# ------------------------------------------------------------------ the reviews


def _return(
    submission: FigureSubmission, *, user: Any, reason: str, action: str
) -> FigureSubmission:
    reason = _reason(reason)
    with transaction.atomic():
        submission = _locked(submission)
        step = _transition(submission, action)
        _require_actor(user, submission, step)
        submission.status = step.target
        submission.reason = reason
        submission.full_clean(validate_constraints=False)
        now = timezone.now()
        if step.stage == "town":
            submission.returned_stage = ReviewStage.TOWN
            submission.town_reviewer, submission.town_reviewed_at = user, now
        else:
            submission.returned_stage = ReviewStage.BUREAU
            submission.reviewer, submission.reviewed_at = user, now
        stage = ReviewStage(submission.returned_stage).label
        _save_step(
            submission,
            user=user,
            reason=_("Returned (%(stage)s): %(reason)s") % {"stage": stage, "reason": reason},
        )
        _notify_returned(submission)
    return submission


def _notify_returned(submission: FigureSubmission) -> None:
    """Tell the enterprise's accounts that its submission came back, with the reason and a
    link to it (the "submission returned" notification kind, docs/notifications.md)."""
    link = reverse("enterprises:submission_detail", kwargs={"pk": submission.pk})
    notify_submission_returned(submission, link=link)


def submission_town_return(
    *, submission: FigureSubmission, user: Any, reason: str
) -> FigureSubmission:
    """The town officer returns a submitted submission to the enterprise with a reason."""
    return _return(submission, user=user, reason=reason, action="town_return")


def submission_town_pass(
    *, submission: FigureSubmission, user: Any, note: str = ""
) -> FigureSubmission:
    """The town officer passes a submitted submission on to the bureau's review."""
    with transaction.atomic():
        submission = _locked(submission)
        step = _transition(submission, "town_pass")
        _require_actor(user, submission, step)
        submission.status = step.target
        submission.reason = ""
        submission.returned_stage = ""
        submission.town_reviewer = user
        submission.town_reviewed_at = timezone.now()
        note = (note or "").strip()
        text = _("Passed by the town")
        return _save_step(submission, user=user, reason=f"{text}: {note}" if note else text)


def submission_return(*, submission: FigureSubmission, user: Any, reason: str) -> FigureSubmission:
    """Bureau staff return a submission the town passed to the enterprise with a reason."""
    return _return(submission, user=user, reason=reason, action="return")


def submission_accept(
    *, submission: FigureSubmission, user: Any, confirm_official: bool = False
) -> FigureSubmission:
    """Bureau staff accept a submission the town passed: its values are written to the
    enterprise's yearly figures of that year in the same transaction, the figures' history
    naming the submission. An empty submitted field keeps the registry's value; the official
    classifications (policy.OFFICIAL_FIGURE_FIELDS) are never taken from the enterprise.

    When the registry's row came from an official source and a submitted value differs from it,
    the reviewer must confirm (`confirm_official`); the confirmation and the fields are recorded.
    """
    with transaction.atomic():
        submission = _locked(submission)
        step = _transition(submission, "accept")
        _require_actor(user, submission, step)
        figure = AnnualFigure.objects.filter(
            enterprise_id=submission.enterprise_id, year=submission.year
        ).first() or AnnualFigure(enterprise=submission.enterprise, year=submission.year)
        submitted = _submitted_values(submission)
        differences = flow.official_differences(submitted, official_values(figure))
        if differences and not confirm_official:
            labels = "、".join(
                str(getattr(FigureSubmission._meta.get_field(n), "verbose_name", n))
                for n in differences
            )
            raise ValidationError(
                {
                    "confirm_official": [
                        _(
                            "These values differ from the official figures: %(fields)s. "
                            "Confirm that the submitted values replace them."
                        )
                        % {"fields": labels}
                    ]
                }
            )
        for name, value in submitted.items():
            if value is not None:
                setattr(figure, name, value)
        errors = _annual_figure_errors(figure)
        try:
            figure.full_clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)
        figure.source = DataSource.ENTERPRISE
        figure.updated_by = user
        figure.import_batch = None
        figure.source_row = None
        figure._history_user = user  # type: ignore[attr-defined]
        why = _("Accepted submission #%(id)s") % {"id": submission.pk}
        if differences:
            why += "; " + _("official figures replaced: %(fields)s") % {
                "fields": "、".join(
                    str(getattr(FigureSubmission._meta.get_field(n), "verbose_name", n))
                    for n in differences
                )
            }
        figure._change_reason = why[:100]  # type: ignore[attr-defined]
        figure.save()
        submission.status = step.target
        submission.figure = figure
        submission.reviewer = user
        submission.reviewed_at = timezone.now()
        submission.official_confirmed = bool(differences)
        reason = _("Accepted into the yearly figures")
        if differences:
            reason = _("Accepted; differences from the official figures confirmed")
        _save_step(submission, user=user, reason=reason)
        data_changed(years=[submission.year])
    return submission


# ------------------------------------------------------------------ attachments


def attachment_add(
    *, submission: FigureSubmission, user: Any, file: Any, kind: str = AttachmentKind.OTHER
) -> SubmissionAttachment:
    """Keep a document with an editable submission (the enterprise's own accounts). The file's
    size and content are checked (ATTACHMENT_CHECKS) before anything is stored."""
    require_write(user, FigureSubmission, enterprise_ids=[submission.enterprise_id])
    if not can(user, "figure_submissions.fill"):
        raise PermissionDenied(_("You may not change this record."))
    submission = FigureSubmission.objects.get(pk=submission.pk)  # its status now
    if submission.status not in flow.EDITABLE:
        raise ValidationError(
            {"file": [_("Documents can be added only while the submission is being filled.")]}
        )
    if kind not in AttachmentKind.values:
        raise ValidationError({"kind": [_("Choose the kind of document.")]})
    if submission.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError(
            {"file": [_("At most %(n)s documents per submission.") % {"n": MAX_ATTACHMENTS}]}
        )
    if not ATTACHMENT_CHECKS:
        raise ValidationError({"file": [_("Uploads are not available at the moment.")]})
    try:
        for check in ATTACHMENT_CHECKS:
            check(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    name = os.path.basename(getattr(file, "name", "") or "")[:200] or "file"
    attachment = SubmissionAttachment(
        submission=submission,
        kind=kind,
        name=name,
        size=int(getattr(file, "size", 0) or 0),
        uploaded_by=user,
    )
    attachment.file.save(name, file, save=False)
    attachment._history_user = user  # type: ignore[attr-defined]
    attachment.save()
    return attachment


def attachment_delete(*, attachment: SubmissionAttachment, user: Any) -> None:
    """Remove a document of an editable submission (the enterprise's own accounts)."""
    submission = FigureSubmission.objects.get(pk=attachment.submission_id)
    require_write(user, FigureSubmission, enterprise_ids=[submission.enterprise_id])
    if submission.status not in flow.EDITABLE:
        raise ValidationError(
            {"file": [_("Documents can be removed only while the submission is being filled.")]}
        )
    attachment._history_user = user  # type: ignore[attr-defined]
    stored = attachment.file.name
    attachment.delete()
    if stored:
        attachment.file.storage.delete(stored)
