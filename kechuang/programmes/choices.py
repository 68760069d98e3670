"""Choices of the programme cycle (status labels as on the pages)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = [
    "FundingMode",
    "CallStatus",
    "ApplicationStatus",
    "AssignmentStatus",
    "Stage",
    "DecisionKind",
    "ProjectStatus",
    "TrancheStatus",
    "ReportKind",
    "ReportOutcome",
    "InvestmentStatus",
]


class FundingMode(models.TextChoices):
    GRANT = "grant", _("Grant")
    INVESTMENT = "investment", _("Grant to investment")
    BOTH = "both", _("Grant or investment")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", pgettext_lazy("programmes", "Closed")
    UNDER_REVIEW = "under_review", _("Under review")
    DECIDED = "decided", _("Decided")
    NOTICED = "noticed", _("Publicly noticed")
    FINAL = "final", _("Final list published")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected at the formal check")
    CHECKED = "checked", _("Formal check passed")
    IN_REVIEW = "in_review", _("Under expert review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Not approved")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Assigned, declaration pending")
    DECLARED = "declared", _("No conflict declared")
    RECUSED = "recused", _("Recused")
    SUBMITTED = "submitted", _("Scores submitted")


class Stage(models.TextChoices):
    REVIEW = "review", _("Application review")
    ACCEPTANCE = "acceptance", _("Acceptance panel")


class DecisionKind(models.TextChoices):
    APPROVE = "approve", _("Approve")
    DECLINE = "decline", _("Do not approve")


class ProjectStatus(models.TextChoices):
    NOTICED = "noticed", _("In public notice")
    HELD = "held", _("Held: objection open")
    CANCELLED = "cancelled", _("Cancelled")
    CONFIRMED = "confirmed", _("On the final list")
    RUNNING = "running", pgettext_lazy("programmes", "Running")
    ACCEPTED = "accepted", pgettext_lazy("programmes", "Accepted")
    ACCEPTED_CONDITIONAL = "accepted_conditional", _("Accepted with conditions")
    FAILED = "failed", _("Failed acceptance")


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", pgettext_lazy("programmes", "Held")
    PAID = "paid", _("Paid")


class ReportKind(models.TextChoices):
    MID_TERM = "mid_term", _("Mid-term check")
    ACCEPTANCE = "acceptance", _("Acceptance")


class ReportOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("programmes", "Pending")
    PASSED = "passed", _("Passed")
    CONDITIONAL = "conditional", _("Passed with conditions")
    FAILED = "failed", pgettext_lazy("programmes", "Failed")


class InvestmentStatus(models.TextChoices):
    HOLDING = "holding", _("Holding")
    EXITED = "exited", _("Exited")
