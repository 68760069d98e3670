"""Writes of towns/streets and peer regions (the bureau admin's console), with history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Region, RegionKind, Town

__all__ = ["peer_region_save", "town_save"]

TOWN_FIELDS = ("code", "name", "is_street", "sort_order")
REGION_FIELDS = ("code", "name", "province", "city")


def _save(instance: Any, *, user: Any, data: dict[str, Any], names: tuple[str, ...]) -> Any:
    for name in names:
        if name in data:
            setattr(instance, name, data[name])
    instance._history_user = user
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def town_save(*, user: Any, data: dict[str, Any], instance: Town | None = None) -> Town:
    """Create a town/street of the home region or change one (field messages on bad input)."""
    if instance is None:
        home = Region.objects.filter(kind=RegionKind.HOME).first()
        if home is None:
            raise ValidationError({"name": [_("The home region is not set up yet.")]})
        instance = Town(region=home)
    return _save(instance, user=user, data=data, names=TOWN_FIELDS)


@transaction.atomic
def peer_region_save(*, user: Any, data: dict[str, Any], instance: Region | None = None) -> Region:
    """Create a peer region (for rankings) or change one; the home region is not edited here."""
    if instance is not None and instance.kind != RegionKind.PEER:
        raise ValidationError({"code": [_("Only peer regions are edited here.")]})
    instance = instance or Region(kind=RegionKind.PEER)
    return _save(instance, user=user, data=data, names=REGION_FIELDS)
