"""Reads of the console: users with their role and binding, towns, regions, parameters."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from kechuang.accounts.models import AccountEvent, Profile
from kechuang.core.roles import Role
from kechuang.experts.models import OrganisationMember
from kechuang.platforms.models import EvaluationScheme
from kechuang.qualifications.models import RuleSet
from kechuang.regions.models import Region, RegionKind, Town

__all__ = [
    "account_events",
    "binding_of",
    "peer_regions",
    "rule_sets",
    "rule_sets_qs",
    "schemes",
    "towns",
    "user_initial",
    "user_role_of",
    "user_rows",
]


def user_rows() -> QuerySet:
    """Every account with what the list shows, in a fixed number of queries."""
    return (
        get_user_model()
        .objects.select_related(
            "profile__town",
            "profile__enterprise",
            "agency_membership__agency",
            "expert",
            "platform_operator__platform",
        )
        .prefetch_related(
            "groups",
            Prefetch(
                "organisation_memberships",
                queryset=OrganisationMember.objects.select_related("organisation"),
            ),
        )
        .order_by("username")
    )


def user_role_of(user: Any) -> Role | None:
    """The role from the prefetched groups (no query per row)."""
    if user.is_superuser:
        return Role.BUREAU_ADMIN
    names = {g.name for g in user.groups.all()}
    return next((r for r in Role if r.value in names), None)


def _profile(user: Any) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None


def _related(user: Any, name: str) -> Any:
    try:
        return getattr(user, name)
    except Exception:  # the reverse one-to-one is absent (RelatedObjectDoesNotExist)
        return None


def binding_of(user: Any) -> dict[str, Any]:
    """The records the account is bound to, from the prefetched relations."""
    profile = _profile(user)
    membership = _related(user, "agency_membership")
    operator = _related(user, "platform_operator")
    organisations = [m.organisation for m in user.organisation_memberships.all()]
    return {
        "town": profile.town if profile else None,
        "enterprise": profile.enterprise if profile else None,
        "agency": membership.agency if membership else None,
        "organisation": organisations[0] if organisations else None,
        "expert": _related(user, "expert"),
        "platform": operator.platform if operator else None,
    }


def user_initial(user: Any) -> dict[str, Any]:
    """The console form's initial values of an account."""
    profile = _profile(user)
    binding = binding_of(user)
    enterprise = binding["enterprise"]
    return {
        "username": user.username,
        "display_name": profile.display_name if profile else "",
        "department": profile.department if profile else "",
        "role": user_role_of(user),
        **binding,
        "enterprise": enterprise.credit_code if enterprise else "",
    }


def account_events(user: Any, limit: int = 20) -> QuerySet:
    return AccountEvent.objects.filter(user=user).select_related("actor")[:limit]


def towns() -> QuerySet:
    return Town.objects.filter(region__kind=RegionKind.HOME).order_by("sort_order", "code")


def peer_regions() -> QuerySet:
    return Region.objects.filter(kind=RegionKind.PEER).order_by("code")


def rule_sets_qs() -> QuerySet:
    return RuleSet.objects.order_by("-effective_from")


def rule_sets() -> list[RuleSet]:
    return list(rule_sets_qs())


def schemes() -> QuerySet:
    return EvaluationScheme.objects.order_by("kind", "name")
