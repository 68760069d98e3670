"""The enterprise-file objects of the shared access-matrix cast (kechuang.core.tests.cast): a
contact person and a staff tag on the cast's enterprise A1."""

from __future__ import annotations

from ..file_models import ContactRole, EnterpriseContact, EnterpriseTag, EnterpriseTagAssignment

__all__ = ["build_enterprise_file_cast"]


def build_enterprise_file_cast(users: dict, objects: dict) -> dict:
    enterprise = objects["enterprise"]
    contact = EnterpriseContact.objects.create(
        enterprise=enterprise,
        name="王小明",
        role=ContactRole.SCIENCE_LIAISON,
        position="技术总监",
        phone="13812345678",
        email="wang@example.com",
    )
    tag = EnterpriseTag.objects.create(name="重点培育")
    EnterpriseTagAssignment.objects.create(
        enterprise=enterprise, tag=tag, created_by=users["staff"]
    )
    return {"contact": contact, "enterprise_tag": tag}
