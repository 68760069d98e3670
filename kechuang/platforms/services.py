"""Writes of R&D institutions; same shape as the enterprise registry's services.

Only bureau admin/staff may write institutions (domain.md role table).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.services import (
    apply_fields,
    check_year,
    require_write,
    save_with_provenance,
)

from .models import RDInstitution

__all__ = ["institution_create", "institution_update"]


def _institution_errors(institution: RDInstitution) -> dict:
    errors: dict = {}
    check_year(institution, "year_recognised", errors)
    if isinstance(institution.name, str) and not institution.name.strip():
        errors["name"] = [_("This field cannot be blank.")]
    return errors


def institution_create(*, user: Any, enterprise: Enterprise, **fields: Any) -> RDInstitution:
    """Record an enterprise R&D institution at one level. Only bureau admin/staff may.

    Raises PermissionDenied or ValidationError (e.g. a second institution at the same level).
    """
    require_write(user, RDInstitution, enterprise_ids=[enterprise.pk])
    institution = RDInstitution(enterprise=enterprise)
    apply_fields(institution, fields)
    return save_with_provenance(institution, user=user, errors=_institution_errors(institution))


def institution_update(*, institution: RDInstitution, user: Any, **fields: Any) -> RDInstitution:
    """Change an R&D institution (e.g. mark it upgraded or revoked). Only bureau admin/staff may."""
    target = fields.get("enterprise", institution.enterprise)
    require_write(
        user, RDInstitution, enterprise_ids={institution.enterprise_id, getattr(target, "pk", None)}
    )
    apply_fields(institution, fields)
    return save_with_provenance(institution, user=user, errors=_institution_errors(institution))
