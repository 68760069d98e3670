"""Who receives a reminder, in bulk: the users bound to enterprises, the officers of towns,
the holders of a role (docs/notifications.md#recipients). The bindings are the accounts'
profiles (an enterprise user's enterprise, a town officer's town)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from kechuang.accounts.models import Profile
from kechuang.core.roles import Role

__all__ = ["enterprise_users", "town_officers", "role_users"]


def enterprise_users(enterprise_ids: Iterable[int]) -> dict[int, set[int]]:
    """enterprise id → the active enterprise users bound to it."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = Profile.objects.filter(
        enterprise_id__in=set(enterprise_ids),
        user__is_active=True,
        user__groups__name=Role.ENTERPRISE.value,
    ).values_list("enterprise_id", "user_id")
    for enterprise_id, user_id in rows:
        found[enterprise_id].add(user_id)
    return found


def town_officers(town_ids: Iterable[int]) -> dict[int, set[int]]:
    """town id → the active town officers of that town."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = Profile.objects.filter(
        town_id__in=set(town_ids),
        user__is_active=True,
        user__groups__name=Role.TOWN_OFFICER.value,
    ).values_list("town_id", "user_id")
    for town_id, user_id in rows:
        found[town_id].add(user_id)
    return found


def role_users(*roles: Role) -> set[int]:
    """The active users holding one of `roles`."""
    return set(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[r.value for r in roles])
        .values_list("pk", flat=True)
    )
