"""Regions: the home region this install serves, its towns/streets, and peer regions for rankings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Region", "Town"]


class RegionKind(models.TextChoices):
    HOME = "home", _("Home region")
    PEER = "peer", _("Peer region")


# ------------------------------------------------------------------ Region


class Region(models.Model):
    """A county-level region: the home region (exactly one) or a peer region used in rankings.

    `code` is the 6-digit administrative division code (GB/T 2260), e.g. 330282 for 慈溪市.
    `group` names the peer group(s) a region belongs to, e.g. "ningbo" for Ningbo's ten units.
    """

    code = models.CharField(_("division code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(
        _("kind"), max_length=8, choices=RegionKind.choices, default=RegionKind.PEER
    )
    province = models.CharField(_("province"), max_length=32, blank=True)
    city = models.CharField(_("city"), max_length=32, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


# ------------------------------------------------------------------ Town


class Town(models.Model):
    """A town or street (镇/街道) of the home region; enterprises and town officers belong to one."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="towns")
    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=32)
    is_street = models.BooleanField(_("street (街道)"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("town/street")
        verbose_name_plural = _("towns/streets")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="%(app_label)s_%(class)s_unique_region_name",
                violation_error_message=_("A town with this name already exists in the region."),
            )
        ]

    def __str__(self) -> str:
        return self.name
