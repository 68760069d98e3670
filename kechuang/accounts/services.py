"""Writes of users and roles."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from kechuang.core.roles import Role

from .models import Profile

__all__ = ["roles_ensure", "user_create"]


def roles_ensure() -> dict[str, Group]:
    """Create the role groups of domain.md's role table if missing; return them by role value."""
    return {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}


@transaction.atomic
def user_create(
    *, username: str, password: str, role: Role, display_name: str = "", town=None, enterprise=None
):
    """Create (or reset) a user with one role and the profile links the role needs.

    A bureau admin is also a Django superuser (the Django admin is theirs).
    """
    groups = roles_ensure()
    User = get_user_model()
    user, _created = User.objects.get_or_create(username=username)
    user.set_password(password)
    user.is_superuser = user.is_staff = role == Role.BUREAU_ADMIN
    user.save()
    user.groups.set([groups[role.value]])
    Profile.objects.update_or_create(
        user=user, defaults={"display_name": display_name, "town": town, "enterprise": enterprise}
    )
    return user
