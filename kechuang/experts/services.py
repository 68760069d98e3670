"""Writes of the expert pool: organisations, members, experts, declared relationships.

Each write keeps its history (django-simple-history, with the acting user). Conflict detection is
`conflicts.conflicts_for` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from .conflicts import CONFLICT_SOURCES, Conflict, conflicts_for
from .models import Expert, ExpertRelationship, Field, Organisation, OrganisationMember

__all__ = [
    "CONFLICT_SOURCES",
    "Conflict",
    "conflicts_for",
    "organisation_save",
    "member_add",
    "expert_save",
    "relationship_save",
    "relationship_delete",
]


def _save(instance, user, data: dict[str, Any], *, exclude: Iterable[str] = ()):
    for name, value in data.items():
        setattr(instance, name, value)
    instance._history_user = user
    instance.full_clean(exclude=list(exclude))
    instance.save()
    return instance


@transaction.atomic
def organisation_save(
    *, user, data: dict[str, Any], instance: Organisation | None = None
) -> Organisation:
    """Create or update an organisation (raises ValidationError with field messages)."""
    return _save(instance or Organisation(), user, data)


@transaction.atomic
def member_add(*, user, member, organisation: Organisation) -> OrganisationMember:
    """Make `member` (a university/institute user) a member of `organisation`."""
    row, _created = OrganisationMember.objects.get_or_create(user=member, organisation=organisation)
    return row


@transaction.atomic
def expert_save(
    *,
    user,
    data: dict[str, Any],
    fields: Iterable[Field] | None = None,
    instance: Expert | None = None,
) -> Expert:
    """Create or update an expert and (when given) replace their fields of expertise."""
    expert = _save(instance or Expert(), user, data)
    if fields is not None:
        expert.fields.set(list(fields))
    return expert


@transaction.atomic
def relationship_save(
    *, user, data: dict[str, Any], expert: Expert, instance: ExpertRelationship | None = None
) -> ExpertRelationship:
    """Record (or correct) a declared relationship of `expert`; `declared_by` is the user."""
    relationship = instance or ExpertRelationship(expert=expert, declared_by=user)
    return _save(relationship, user, data, exclude=["expert", "declared_by"])


@transaction.atomic
def relationship_delete(*, user, relationship: ExpertRelationship) -> None:
    relationship._history_user = user
    relationship.delete()
