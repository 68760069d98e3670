"""Choice classes of public notices and objections."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "NoticeKind",
    "NoticeStatus",
    "WindowKind",
    "ItemOutcome",
    "ObjectionStatus",
    "ObjectionAction",
    "OPEN_OBJECTION_STATUSES",
]


class NoticeKind(models.TextChoices):
    """What a notice publishes; each owner app picks its kind and registers its handler."""

    PROGRAMME_PROJECTS = "programme_projects", _("Programme projects")
    PLATFORM_EVALUATION = "platform_evaluation", _("Platform evaluation results")
    PLATFORM_RECOGNITION = "platform_recognition", _("Platform recognition")
    OTHER = "other", _("Other")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Under public notice")
    CLOSED = "closed", _("Notice period ended")
    FINAL = "final", _("Final list published")


class WindowKind(models.TextChoices):
    CALENDAR = "calendar", _("Calendar days")
    WORKING = "working", _("Working days")


class ItemOutcome(models.TextChoices):
    PENDING = "pending", _("Under notice")
    CONFIRMED = "confirmed", _("Confirmed")
    REMOVED = "removed", _("Removed after objection")


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    INVESTIGATING = "investigating", _("Under investigation")
    UPHELD = "upheld", _("Upheld")
    DISMISSED = "dismissed", _("Dismissed")


OPEN_OBJECTION_STATUSES = (ObjectionStatus.RECEIVED, ObjectionStatus.INVESTIGATING)


class ObjectionAction(models.TextChoices):
    FILED = "filed", _("Objection received")
    INVESTIGATE = "investigate", _("Investigation started")
    UPHOLD = "uphold", _("Objection upheld")
    DISMISS = "dismiss", _("Objection dismissed")
    NOTE = "note", _("Add a note")
