"""Enterprise R&D institutions (企业研发机构); innovation platforms join this app later."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kechuang.core.models import ProvenanceMixin
from kechuang.core.validators import validate_single_line
from kechuang.enterprises.models import EnterpriseOwnedQuerySet

__all__ = ["InstitutionLevel", "InstitutionStatus", "RDInstitution"]


class InstitutionLevel(models.TextChoices):
    """Levels of enterprise R&D institutions, lowest first (docs/qualification-rules.md#rd-institutions)."""

    MUNICIPAL_RD_CENTRE = "municipal_enterprise_rd_centre", _("Municipal enterprise R&D centre")
    NINGBO_KEY_INSTITUTE = (
        "ningbo_key_enterprise_research_institute",
        _("Ningbo key enterprise research institute"),
    )
    PROVINCIAL_HIGH_TECH_RD_CENTRE = (
        "provincial_high_tech_rd_centre",
        _("Provincial high-tech enterprise R&D centre"),
    )
    PROVINCIAL_INSTITUTE = (
        "provincial_enterprise_research_institute",
        _("Provincial enterprise research institute"),
    )
    PROVINCIAL_KEY_INSTITUTE = (
        "provincial_key_enterprise_research_institute",
        _("Provincial key enterprise research institute"),
    )


class InstitutionStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    UPGRADED = "upgraded", _("Upgraded")
    REVOKED = "revoked", _("Revoked")


class RDInstitution(ProvenanceMixin, models.Model):
    """An R&D institution of an enterprise at one level, recognised in a year.

    An upgrade creates a new row at the higher level and marks the old one `upgraded`; the
    cumulative count counts enterprises' institutions that are not revoked.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="rd_institutions"
    )
    level = models.CharField(
        _("level"), max_length=48, choices=InstitutionLevel.choices, db_index=True
    )
    name = models.CharField(_("name"), max_length=128, validators=[validate_single_line])
    year_recognised = models.PositiveSmallIntegerField(_("year recognised"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InstitutionStatus.choices,
        default=InstitutionStatus.ACTIVE,
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = EnterpriseOwnedQuerySet.as_manager()

    class Meta:
        ordering = ["enterprise_id", "-year_recognised"]
        verbose_name = _("R&D institution")
        verbose_name_plural = _("R&D institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "level"],
                name="%(app_label)s_%(class)s_unique_enterprise_level",
                violation_error_message=_(
                    "This enterprise already has an institution at this level."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name
