"""Choice classes of the expert pool."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["OrganisationKind", "Availability"]


class OrganisationKind(models.TextChoices):
    UNIVERSITY = "university", _("University")
    INSTITUTE = "institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Service agency")
    GOVERNMENT = "government", _("Government body")
    OTHER = "other", _("Other")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited")
    UNAVAILABLE = "unavailable", _("Unavailable")
