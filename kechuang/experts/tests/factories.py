"""Organisations and experts for tests."""

from __future__ import annotations

import itertools

from ..choices import OrganisationKind
from ..models import Expert, Field, Organisation

__all__ = ["make_organisation", "make_expert", "make_field"]

_seq = itertools.count(1)


def make_organisation(**overrides) -> Organisation:
    n = next(_seq)
    values = {"name": f"测试大学{n}", "kind": OrganisationKind.UNIVERSITY, "city": "宁波市"}
    values.update(overrides)
    return Organisation.objects.create(**values)


def make_field(code: str | None = None, name: str | None = None) -> Field:
    n = next(_seq)
    return Field.objects.get_or_create(code=code or f"X{n}", defaults={"name": name or f"领域{n}"})[
        0
    ]


def make_expert(organisation: Organisation | None = None, **overrides) -> Expert:
    n = next(_seq)
    values = {"name": f"专家{n}", "title": "教授", "summary": "新材料与智能制造"}
    values.update(overrides)
    return Expert.objects.create(organisation=organisation or make_organisation(), **values)
