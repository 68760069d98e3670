"""Template context of every page: the name of the home region the install serves."""

from __future__ import annotations

from .selectors import home_region

__all__ = ["home_region_name"]


def home_region_name(request) -> dict[str, str]:
    """`home_region_name` for the page header (empty before the region is set up)."""
    region = home_region()
    return {"home_region_name": region.name if region else ""}
