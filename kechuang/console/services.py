"""Writes of the console: an account with its role and binding. The account itself through the
accounts services, each binding through its own app's service (all with the admin as author)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kechuang.accounts.admin_services import account_save
from kechuang.campaigns.services import agency_member_set
from kechuang.core.roles import Role
from kechuang.experts.models import Expert
from kechuang.experts.services import expert_save, member_set
from kechuang.platforms.platform_services import operator_set

__all__ = ["console_user_save"]


@transaction.atomic
def console_user_save(
    *, actor: Any, data: dict[str, Any], user: Any = None, request: Any = None
) -> Any:
    """Create or change an account from the console form's cleaned data (the account's event
    names the role and profile changes; each binding keeps its own history). Raises
    ValidationError with field messages."""
    role = Role(data["role"])
    saved, _changes = account_save(
        actor=actor,
        role=role,
        username=data.get("username", ""),
        user=user,
        profile={k: data.get(k) for k in ("display_name", "department", "town", "enterprise")},
        request=request,
    )
    agency_member_set(user=actor, member=saved, agency=data.get("agency"))
    member_set(user=actor, member=saved, organisation=data.get("organisation"))
    operator_set(user=actor, member=saved, platform=data.get("platform"))
    expert = data.get("expert")
    current = Expert.objects.filter(user=saved).first()
    if current is not None and current != expert:
        expert_save(user=actor, data={"user": None}, instance=current)
    if expert is not None and expert.user_id != saved.pk:
        expert_save(user=actor, data={"user": saved}, instance=expert)
    return saved
