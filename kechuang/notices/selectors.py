"""Reads of notices and objections. Public reads never include contact data or drafts."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .choices import OPEN_OBJECTION_STATUSES
from .models import Notice, NoticeItem, Objection

__all__ = [
    "public_notices",
    "public_notice",
    "notice_items",
    "managed_notices",
    "objection_list",
    "objection_get",
]


def public_notices() -> QuerySet[Notice]:
    return Notice.objects.public().annotate(n_items=Count("items")).order_by("-published_at", "-pk")


def public_notice(pk: int) -> Notice:
    """A notice anyone may read (Notice.DoesNotExist for drafts and unknown ids)."""
    return Notice.objects.public().get(pk=pk)


def notice_items(notice: Notice) -> QuerySet[NoticeItem]:
    return notice.items.order_by("position", "pk")


def managed_notices() -> QuerySet[Notice]:
    return Notice.objects.annotate(
        n_items=Count("items", distinct=True),
        n_objections=Count("objections", distinct=True),
        n_open=Count(
            "objections",
            filter=Q(objections__status__in=OPEN_OBJECTION_STATUSES),
            distinct=True,
        ),
    ).order_by("-created_at", "-pk")


def objection_list() -> QuerySet[Objection]:
    return Objection.objects.select_related("notice", "item")


def objection_get(pk: int) -> Objection:
    return objection_list().prefetch_related("events__actor").get(pk=pk)


def receipt_notice(pk: int | None) -> Notice | None:
    """The public notice an objection receipt refers to, if it is still public."""
    return Notice.objects.public().filter(pk=pk).first()


def api_notices(*, include_drafts: bool) -> QuerySet[Notice]:
    """Notices of the API: the public ones, or every notice for the bureau staff who draft."""
    rows = Notice.objects.all() if include_drafts else Notice.objects.public()
    return rows.prefetch_related("items").order_by("-published_at", "-pk")


def api_objections() -> QuerySet[Objection]:
    return Objection.objects.prefetch_related("events").order_by("-received_at", "-pk")
