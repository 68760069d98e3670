"""Demo step of the enterprise file (docs/enterprise-file.md): every demo enterprise gets its
legal representative and an S&T liaison, and a few enterprises the bureau's tags. Idempotent (an
enterprise that already has contacts is skipped) and bulk-written with history rows."""

from __future__ import annotations

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from .file_models import ContactRole, EnterpriseContact, EnterpriseTag, EnterpriseTagAssignment
from .models import Enterprise

__all__ = ["enterprises_demo"]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方"
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国志强海燕晓东春梅文斌丹丹俊杰"
)
TAGS = ("重点培育", "专精特新后备", "上市后备")


def _person(n: int) -> str:
    return (
        SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 7) % len(GIVEN)] + GIVEN[(n * 13 + 3) % len(GIVEN)]
    )


def enterprises_demo(*, generated: bool) -> None:
    with transaction.atomic():
        ids = list(
            Enterprise.objects.filter(contacts__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        contacts = []
        for pk in ids:
            contacts.append(
                EnterpriseContact(
                    enterprise_id=pk,
                    name=_person(2 * pk),
                    role=ContactRole.LEGAL_REPRESENTATIVE,
                    position="董事长",
                    phone=f"139{pk % 100_000_000:08d}",
                )
            )
            contacts.append(
                EnterpriseContact(
                    enterprise_id=pk,
                    name=_person(2 * pk + 1),
                    role=ContactRole.SCIENCE_LIAISON,
                    position="技术部经理",
                    phone=f"0574-6{pk % 10_000_000:07d}",
                    email=f"rd{pk}@example.com",
                )
            )
        bulk_create_with_history(contacts, EnterpriseContact, batch_size=2000)
        tags = {t.name: t for t in EnterpriseTag.objects.filter(name__in=TAGS)}
        new = [EnterpriseTag(name=name) for name in TAGS if name not in tags]
        for tag in bulk_create_with_history(new, EnterpriseTag):
            tags[tag.name] = tag
        if EnterpriseTagAssignment.objects.exists():
            return
        assignments = [
            EnterpriseTagAssignment(enterprise_id=pk, tag=tags[TAGS[i % len(TAGS)]])
            for i, pk in enumerate(ids[::23])
        ]
        bulk_create_with_history(assignments, EnterpriseTagAssignment, batch_size=2000)
