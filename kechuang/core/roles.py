"""The roles of the role table in docs/domain (spec: domain.md), implemented as Django groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Role", "STAFF_ROLES", "READ_ALL_ROLES"]


class Role(models.TextChoices):
    BUREAU_ADMIN = "bureau_admin", _("Bureau admin")
    BUREAU_STAFF = "bureau_staff", _("Bureau staff")
    TOWN_OFFICER = "town_officer", _("Town officer")
    LEADER = "leader", _("Leader")
    ENTERPRISE = "enterprise", _("Enterprise")
    EXPERT = "expert", _("Expert")
    UNIVERSITY = "university", _("University / institute")
    AGENCY = "agency", _("Service agency")
    PLATFORM_OPERATOR = "platform_operator", _("Platform operator")


# Roles that see and work on every enterprise record.
STAFF_ROLES = frozenset({Role.BUREAU_ADMIN, Role.BUREAU_STAFF})
# Roles that read region-wide aggregates (dashboards); the leader reads nothing else.
READ_ALL_ROLES = STAFF_ROLES | {Role.LEADER}
