"""The expert-pool objects of the shared access-matrix cast (kechuang.core.tests.cast).

The cast's expert user is the expert of the record, the university user a member of its
organisation, so both lie inside their scopes.
"""

from __future__ import annotations

import datetime as dt

from ..models import Expert, ExpertRelationship, Field, Organisation, OrganisationMember

__all__ = ["build_experts_cast"]


def build_experts_cast(users: dict, objects: dict) -> dict:
    organisation = Organisation.objects.create(name="测试大学（矩阵）", kind="university")
    OrganisationMember.objects.create(user=users["university"], organisation=organisation)
    field = Field.objects.get_or_create(code="460", defaults={"name": "材料科学"})[0]
    expert = Expert.objects.create(
        name="矩阵专家", organisation=organisation, title="教授", user=users["expert"]
    )
    expert.fields.add(field)
    relationship = ExpertRelationship.objects.create(
        expert=expert,
        kind="collaborator",
        enterprise=objects["enterprise"],
        since=dt.date(2022, 1, 1),
    )
    return {
        "organisation": organisation,
        "expert_record": expert,
        "relationship": relationship,
    }
