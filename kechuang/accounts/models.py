"""User profiles: the links a role needs (a town officer's town, an enterprise user's enterprise)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Profile"]


class Profile(models.Model):
    """Per-user links used by role scoping; the role itself is the user's group (core.roles)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    town = models.ForeignKey(
        "regions.Town",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("town/street"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("enterprise"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()
