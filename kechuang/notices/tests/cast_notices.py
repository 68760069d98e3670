"""The notice objects of the shared access-matrix cast (kechuang.core.tests.cast)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from ..models import Objection
from ..services import ItemSpec, notice_publish

__all__ = ["build_notices_cast"]


def build_notices_cast(users: dict, objects: dict) -> dict:
    enterprise = objects["enterprise"]
    notice = notice_publish(
        kind="other",
        title="矩阵公示",
        body="",
        items=[ItemSpec(enterprise, [("单位", enterprise.name)], label=enterprise.name)],
        window_days=8,
        working_days=False,
        user=users["staff"],
    )
    objection = Objection.objects.create(
        notice=notice,
        item=notice.items.get(),
        receipt_no="YY-CAST-1",
        name="张三",
        contact="13800000000",
        reasons="测试",
    )
    objection.evidence.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    return {"notice": notice, "objection": objection}
