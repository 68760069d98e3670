"""Role scoping, applied in one place: every list, page, export and API endpoint starts here.

`user_role(user)` names the user's role (a Django group). `Scope` says which enterprises a user
may see; `ScopedQuerySet.for_user()` turns it into a filter on any model that belongs to an
enterprise, and `get_object_for_user()` answers 404 for rows outside the scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from django.http import Http404

from .roles import STAFF_ROLES, Role

__all__ = ["Scope", "user_role", "user_scope", "get_object_for_user", "is_staff_role"]


def user_role(user) -> Role | None:
    """The user's role: the first role group the user belongs to (superusers are bureau admins)."""
    if user is None or not user.is_authenticated:
        return None
    cached = getattr(user, "_kechuang_role", False)
    if cached is not False:
        return cast("Role | None", cached)
    role: Role | None
    if user.is_superuser:
        role = Role.BUREAU_ADMIN
    else:
        names = set(user.groups.values_list("name", flat=True))
        role = next((r for r in Role if r.value in names), None)
    user._kechuang_role = role
    return role


def is_staff_role(user) -> bool:
    return user_role(user) in STAFF_ROLES


@dataclass(frozen=True)
class Scope:
    """Which enterprises a user may see: all, those of some towns, some enterprises, or none."""

    all: bool = False
    town_ids: frozenset[int] = frozenset()
    enterprise_ids: frozenset[int] = frozenset()

    @property
    def none(self) -> bool:
        return not (self.all or self.town_ids or self.enterprise_ids)


def user_scope(user) -> Scope:
    """The enterprise scope of a user, from the role table of domain.md.

    Bureau admin/staff see all; a town officer only enterprises of their town; an enterprise user
    only its own enterprise; leaders, experts and universities no enterprise records (leaders read
    region-wide aggregates through the dashboard selectors, which do not go through this scope).
    """
    cached = getattr(user, "_kechuang_scope", None)
    if cached is not None:
        return cached
    role = user_role(user)
    profile = getattr(user, "profile", None) if role else None
    if role in STAFF_ROLES:
        scope = Scope(all=True)
    elif role == Role.TOWN_OFFICER and profile and profile.town_id:
        scope = Scope(town_ids=frozenset({profile.town_id}))
    elif role == Role.ENTERPRISE and profile and profile.enterprise_id:
        scope = Scope(enterprise_ids=frozenset({profile.enterprise_id}))
    else:
        scope = Scope()
    # Agencies and later roles extend the scope through registered providers.
    for provider in SCOPE_PROVIDERS:
        scope = provider(user, role, scope)
    if user is not None and user.is_authenticated:
        user._kechuang_scope = scope
    return scope


# Callables (user, role, scope) -> scope that later apps (e.g. agency delegations) register.
SCOPE_PROVIDERS: list = []


def get_object_for_user(queryset, user, **lookup):
    """Fetch one object inside the user's scope, or raise Http404 (never reveal it exists)."""
    try:
        return queryset.for_user(user).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
