"""Notification kinds of the enterprise registry: a yearly-figure submission returned to the
enterprise (docs/notifications.md#submission-returned). The portal's review service calls
`notify_submission_returned(submission)` after the return is saved. Registered from
EnterprisesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kechuang.notifications.recipients import enterprise_users
from kechuang.notifications.registry import register_kind
from kechuang.notifications.services import notify

__all__ = ["SUBMISSION_RETURNED", "notify_submission_returned"]

SUBMISSION_RETURNED = "submission_returned"


def notify_submission_returned(submission: Any, *, link: str = "") -> int:
    """Tell the enterprise's users (and whoever submitted) that `submission` was returned, with
    its reason; once per return (the key carries the moment of the review)."""
    recipients = set(enterprise_users([submission.enterprise_id]).get(submission.enterprise_id, ()))
    if submission.submitted_by_id:
        recipients.add(submission.submitted_by_id)
    # The moment of this return: the later of the town's and the bureau's review.
    stamps = [t for t in (submission.reviewed_at, submission.town_reviewed_at) if t is not None]
    stamp = max(stamps) if stamps else timezone.now()
    values = {"year": submission.year, "reason": submission.reason or "—"}
    return notify(
        recipients,
        SUBMISSION_RETURNED,
        f"{submission.pk}:{stamp:%Y%m%d%H%M%S%f}",
        gettext("Your %(year)s figures were returned") % values,
        gettext("Reason: %(reason)s") % values,
        link,
        target=("enterprises.figuresubmission", submission.pk),
    )


register_kind(
    SUBMISSION_RETURNED,
    _("Submission returned"),
    _("The enterprise's yearly figures were returned by the town or the bureau, with a reason."),
    order=40,
)
