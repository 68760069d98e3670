"""Writes of the enterprise file (docs/enterprise-file.md): contact persons (bureau staff and
the enterprise's own users) and staff tags.

Every write checks the capability and that the enterprise is inside the writer's scope,
validates with `full_clean()` and is kept by django-simple-history with its author; removing a
tag or a contact leaves its deletion in the history.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from kechuang.core.access import can

from .file_models import EnterpriseContact, EnterpriseTag, EnterpriseTagAssignment
from .models import Enterprise

__all__ = [
    "CONTACT_FIELDS",
    "contact_create",
    "contact_update",
    "contact_delete",
    "tag_add",
    "tag_remove",
    "tags_bulk_add",
]

CONTACT_FIELDS = ("name", "role", "position", "phone", "email")


def _require(user: Any, capability: str, enterprise: Enterprise) -> None:
    if not can(user, capability):
        raise PermissionDenied
    if not Enterprise.objects.for_user(user).filter(pk=enterprise.pk).exists():
        raise PermissionDenied


def _save(obj: Any, *, user: Any) -> Any:
    obj._history_user = user
    obj.full_clean()
    obj.save()
    return obj


def contact_create(*, user: Any, enterprise: Enterprise, **fields: Any) -> EnterpriseContact:
    _require(user, "contacts.change", enterprise)
    contact = EnterpriseContact(enterprise=enterprise, **_fields(fields))
    with transaction.atomic():
        return _save(contact, user=user)


def contact_update(*, user: Any, contact: EnterpriseContact, **fields: Any) -> EnterpriseContact:
    _require(user, "contacts.change", contact.enterprise)
    for name, value in _fields(fields).items():
        setattr(contact, name, value)
    with transaction.atomic():
        return _save(contact, user=user)


def contact_delete(*, user: Any, contact: EnterpriseContact) -> None:
    _require(user, "contacts.change", contact.enterprise)
    contact._history_user = user  # type: ignore[attr-defined]
    contact.delete()


def _fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    return {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}


def _tag(name: str, *, user: Any) -> EnterpriseTag:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": [_("Enter the tag's name.")]})
    tag = EnterpriseTag.objects.filter(name=name).first()
    if tag is None:
        tag = _save(EnterpriseTag(name=name), user=user)
    return tag


def tag_add(*, user: Any, enterprise: Enterprise, name: str) -> EnterpriseTagAssignment:
    """Put tag `name` on the enterprise (created on first use); adding it twice is a no-op."""
    _require(user, "enterprise.tag", enterprise)
    with transaction.atomic():
        tag = _tag(name, user=user)
        existing = EnterpriseTagAssignment.objects.filter(enterprise=enterprise, tag=tag).first()
        if existing is not None:
            return existing
        assignment = EnterpriseTagAssignment(enterprise=enterprise, tag=tag, created_by=user)
        return _save(assignment, user=user)


def tag_remove(*, user: Any, enterprise: Enterprise, tag_id: int) -> bool:
    """Take a tag off the enterprise (False when it did not carry it)."""
    _require(user, "enterprise.tag", enterprise)
    assignment = EnterpriseTagAssignment.objects.filter(
        enterprise=enterprise, tag_id=tag_id
    ).first()
    if assignment is None:
        return False
    assignment._history_user = user  # type: ignore[attr-defined]
    assignment.delete()
    return True


def tags_bulk_add(*, user: Any, enterprise_ids: Iterable[int], name: str) -> int:
    """Put tag `name` on the listed enterprises inside the user's scope (one bulk insert, each
    assignment kept in the history); returns how many were newly tagged."""
    if not can(user, "enterprise.tag"):
        raise PermissionDenied
    ids = set(
        Enterprise.objects.for_user(user)
        .filter(pk__in=list(enterprise_ids))
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        tag = _tag(name, user=user)
        ids -= set(
            EnterpriseTagAssignment.objects.filter(tag=tag, enterprise_id__in=ids).values_list(
                "enterprise_id", flat=True
            )
        )
        rows = [
            EnterpriseTagAssignment(enterprise_id=pk, tag=tag, created_by=user)
            for pk in sorted(ids)
        ]
        created = bulk_create_with_history(
            rows,
            EnterpriseTagAssignment,
            default_user=user,
            default_change_reason=_("Tagged from the enterprise list"),
        )
    return len(created)
