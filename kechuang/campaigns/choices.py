"""Choice classes of campaigns, visit tasks and service agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .logic.workflow import TaskState as _State

__all__ = [
    "CampaignKind",
    "TaskState",
    "DelegationStatus",
    "SubmissionStatus",
    "TargetKind",
]


class CampaignKind(models.TextChoices):
    """The "full coverage" (全覆盖) campaigns of the seed's 2025 plan §一."""

    DIAGNOSIS = "diagnosis", _("Diagnosis and improvement")
    TRAINING = "training", _("Finance / R&D accounting training")
    ZERO_DECLARATION = "zero_declaration", _("Zero-declaration visits")
    HIGH_TECH_RESERVE = "high_tech_reserve", _("High-tech reserve support")


class TaskState(models.TextChoices):
    """States of a visit task; the allowed moves are the table in logic/workflow.py."""

    PENDING = _State.PENDING, _("Pending")
    VISITED = _State.VISITED, _("Visited")
    FOLLOW_UP = _State.FOLLOW_UP, _("Follow-up")
    CLOSED = _State.CLOSED, _("Closed")


class DelegationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class TargetKind(models.TextChoices):
    """Kinds of saved filter that define a campaign's target set (selectors.TARGET_RESOLVERS)."""

    ABOVE_SCALE = "above_scale", _("All above-scale industrial enterprises")
    ZERO_RD = "zero_rd", _("Above-scale industrial enterprises declaring zero R&D")
