"""Writes of the expert pool: organisations, members, experts, declared relationships.

Each write keeps its history (django-simple-history, with the acting user). Conflict detection is
`conflicts.conflicts_for` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import models, transaction

from .conflicts import CONFLICT_SOURCES, Conflict, conflicts_for
from .models import Expert, ExpertRelationship, Field, Organisation, OrganisationMember

__all__ = [
    "CONFLICT_SOURCES",
    "Conflict",
    "conflicts_for",
    "organisation_save",
    "member_add",
    "member_set",
    "expert_save",
    "relationship_save",
    "relationship_delete",
]


M = TypeVar("M", bound=models.Model)


def _save(instance: M, user: Any, data: dict[str, Any], *, exclude: Iterable[str] = ()) -> M:
    for name, value in data.items():
        setattr(instance, name, value)
    instance._history_user = user  # type: ignore[attr-defined]
    instance.full_clean(exclude=list(exclude))
    instance.save()
    return instance


@transaction.atomic
def organisation_save(
    *, user: Any, data: dict[str, Any], instance: Organisation | None = None
) -> Organisation:
    """Create or update an organisation (raises ValidationError with field messages)."""
    return _save(instance or Organisation(), user, data)


@transaction.atomic
def member_add(*, user: Any, member: Any, organisation: Organisation) -> OrganisationMember:
    """Make `member` (a university/institute user) a member of `organisation`."""
    row, _created = OrganisationMember.objects.get_or_create(user=member, organisation=organisation)
    return row


@transaction.atomic
def member_set(
    *, user: Any, member: Any, organisation: Organisation | None
) -> OrganisationMember | None:
    """Make `organisation` the member's only organisation (None: none), with history."""
    for row in OrganisationMember.objects.filter(user=member):
        if organisation is None or row.organisation_id != organisation.pk:
            row._history_user = user  # type: ignore[attr-defined]
            row.delete()
    return (
        None
        if organisation is None
        else member_add(user=user, member=member, organisation=organisation)
    )


@transaction.atomic
def expert_save(
    *,
    user: Any,
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
    *, user: Any, data: dict[str, Any], expert: Expert, instance: ExpertRelationship | None = None
) -> ExpertRelationship:
    """Record (or correct) a declared relationship of `expert`; `declared_by` is the user."""
    relationship = instance or ExpertRelationship(expert=expert, declared_by=user)
    return _save(relationship, user, data, exclude=["expert", "declared_by"])


@transaction.atomic
def relationship_delete(*, user: Any, relationship: ExpertRelationship) -> None:
    relationship._history_user = user  # type: ignore[attr-defined]
    relationship.delete()
