"""Reads of regions and towns."""

from django.conf import settings
from django.db.models import QuerySet

from .models import Region, RegionKind, Town

__all__ = ["home_region", "home_towns"]


def home_region() -> Region | None:
    """The home region this install serves (configured by KECHUANG_HOME_REGION_CODE)."""
    return (
        Region.objects.filter(kind=RegionKind.HOME).first()
        or Region.objects.filter(code=settings.KECHUANG_HOME_REGION_CODE).first()
    )


def home_towns() -> QuerySet[Town]:
    """Towns/streets of the home region, in display order."""
    return Town.objects.filter(region__kind=RegionKind.HOME).order_by("sort_order", "code")
