"""Notice and objection services: publish, file and handle objections, close, finalise.

Owner apps publish through `notice_publish` and learn of holds and the final list through
`registry.NOTICE_HANDLERS`. Rules: docs/notices.md.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .attachments import check_evidence
from .choices import (
    OPEN_OBJECTION_STATUSES,
    ItemOutcome,
    NoticeKind,
    NoticeStatus,
    ObjectionAction,
    ObjectionStatus,
    WindowKind,
)
from .logic.window import WindowDays, window_days
from .models import Notice, NoticeItem, Objection, ObjectionEvent
from .registry import FINALISED, ITEM_HELD, ITEM_RELEASED, notify

__all__ = [
    "ItemSpec",
    "MAX_WINDOW_DAYS",
    "window_end",
    "window_for",
    "notice_publish",
    "notice_release",
    "notice_close",
    "notice_finalise",
    "objection_file",
    "objection_handle",
    "TRANSITIONS",
    "is_held",
    "held_object_ids",
    "items_for",
    "noticed_object_ids",
    "throttle_allows",
]

MAX_WINDOW_DAYS = 90


@dataclass(frozen=True)
class ItemSpec:
    """One object to publish and the fields shown for it, in order, already redacted by the
    owner: only these (label, value) pairs ever reach the public page."""

    obj: models.Model
    fields: Sequence[tuple[str, Any]] = field(default_factory=list)
    label: str = ""


# ------------------------------------------------------------------ windows


def _local_date(start: dt.datetime | dt.date) -> dt.date:
    if isinstance(start, dt.datetime):
        if timezone.is_aware(start):
            return timezone.localtime(start).date()
        return start.date()
    return start


def window_for(start: dt.datetime | dt.date, days: int, working_days: bool) -> WindowDays:
    """The first and last day of the window (docs/notices.md#counting-the-window)."""
    return window_days(_local_date(start), int(days), bool(working_days))


def window_end(start: dt.datetime | dt.date, days: int, working_days: bool) -> dt.datetime:
    """The first moment after the window: local midnight after its last day. An objection
    received at 23:59:59 of the last day is in time; one at 00:00 the next day is late."""
    last = window_for(start, days, working_days).last
    midnight = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min)
    return timezone.make_aware(midnight, timezone.get_default_timezone())


def _window_note(window: WindowDays) -> str:
    if not window.fallback:
        return ""
    years = sorted({d.year for d in window.uncovered})
    return _(
        "The holiday calendar has no arrangement for %(years)s yet; working days of those "
        "years were counted Monday to Friday."
    ) % {"years": "、".join(str(y) for y in years)}


def _validate_window(days: Any, working_days: bool) -> int:
    try:
        days = int(days)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise ValidationError(
            {
                "window_length": _("The notice period must be between 1 and %(max)s days.")
                % {"max": MAX_WINDOW_DAYS}
            }
        )
    return days


def _set_window(notice: Notice, published_at: dt.datetime) -> None:
    working = notice.window_kind == WindowKind.WORKING
    window = window_for(published_at, notice.window_length, working)
    notice.published_at = published_at
    notice.window_last_day = window.last
    notice.window_ends_at = window_end(published_at, notice.window_length, working)
    notice.window_note = _window_note(window)[:255]


# ------------------------------------------------------------------ publish


@transaction.atomic
def notice_publish(
    *,
    kind: str,
    title: str,
    body: str,
    items: Iterable[ItemSpec],
    window_days: int,
    working_days: bool,
    user: Any,
    published_at: dt.datetime | None = None,
    draft: bool = False,
) -> Notice:
    """Create a notice with its items and (unless `draft`) publish it now or at `published_at`.

    Raises ValidationError with field messages for a bad kind, title, window or empty list."""
    errors: dict[str, str] = {}
    if kind not in NoticeKind.values:
        errors["kind"] = _("Choose a notice kind from the list.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Enter the notice title.")
    try:
        days = _validate_window(window_days, working_days)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        days = 1
    specs = list(items)
    if not specs:
        errors["items"] = _("A notice needs at least one item.")
    if errors:
        raise ValidationError(errors)
    notice = Notice(
        kind=kind,
        title=title[:200],
        body=body or "",
        window_kind=WindowKind.WORKING if working_days else WindowKind.CALENDAR,
        window_length=days,
        created_by=user,
        status=NoticeStatus.DRAFT,
    )
    if not draft:
        notice.status = NoticeStatus.PUBLISHED
        _set_window(notice, published_at or timezone.now())
    notice._history_user = user  # type: ignore[attr-defined]
    notice.full_clean(exclude=["created_by"])
    notice.save()
    content_types = ContentType.objects.get_for_models(*{type(s.obj) for s in specs})
    rows = [
        NoticeItem(
            notice=notice,
            position=position,
            content_type=content_types[type(spec.obj)],
            object_id=spec.obj.pk,
            label=(spec.label or str(spec.obj))[:200],
            fields=[
                [str(label), "" if value is None else str(value)] for label, value in spec.fields
            ],
        )
        for position, spec in enumerate(specs, start=1)
    ]
    bulk_create_with_history(rows, NoticeItem, default_user=user)
    return notice


@transaction.atomic
def notice_release(*, notice: Notice, user: Any, now: dt.datetime | None = None) -> Notice:
    """Publish a draft notice: its window starts now."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("Only a draft notice can be published."))
    notice.status = NoticeStatus.PUBLISHED
    _set_window(notice, now or timezone.now())
    notice._history_user = user  # type: ignore[attr-defined]
    notice.save()
    return notice


@transaction.atomic
def notice_close(*, notice: Notice, user: Any, now: dt.datetime | None = None) -> Notice:
    """End the notice period (only once its window has passed)."""
    now = now or timezone.now()
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.PUBLISHED:
        raise ValidationError(_("Only a notice under public notice can be closed."))
    if notice.window_ends_at and now < notice.window_ends_at:
        raise ValidationError(
            _("The notice period runs until %(date)s; it cannot be closed earlier.")
            % {"date": f"{notice.window_last_day:%Y年%m月%d日}"}
        )
    notice.status = NoticeStatus.CLOSED
    notice.closed_at = now
    notice._history_user = user  # type: ignore[attr-defined]
    notice.save()
    return notice


@transaction.atomic
def notice_finalise(
    *, notice: Notice, user: Any, final_body: str = "", now: dt.datetime | None = None
) -> Notice:
    """Publish the final list: every item without an upheld objection is confirmed. Refused
    while the window is open or any item still has open objections."""
    now = now or timezone.now()
    if notice.status == NoticeStatus.PUBLISHED:
        notice = notice_close(notice=notice, user=user, now=now)
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.CLOSED:
        raise ValidationError(_("The final list can be published only after the notice period."))
    held = list(notice.items.filter(held=True).values_list("label", flat=True)[:5])
    if held:
        raise ValidationError(
            _("Objections against %(items)s are still open; handle them first.")
            % {"items": "、".join(held)}
        )
    items = list(notice.items.all())
    for item in items:
        if item.outcome == ItemOutcome.PENDING:
            item.outcome = ItemOutcome.CONFIRMED
    bulk_update_with_history(items, NoticeItem, ["outcome"], default_user=user)
    notice.status = NoticeStatus.FINAL
    notice.final_body = final_body or ""
    notice.finalised_at = now
    notice._history_user = user  # type: ignore[attr-defined]
    notice.save()
    notify(notice.kind, FINALISED, items)
    return notice


# ------------------------------------------------------------------ objections


def _receipt_no(now: dt.datetime) -> str:
    return f"YY{timezone.localtime(now):%Y%m%d}-{secrets.token_hex(3).upper()}"


def objection_file(
    *,
    notice: Notice,
    item: NoticeItem,
    name: str,
    contact: str,
    reasons: str,
    organisation: str = "",
    evidence: File | None = None,
    now: dt.datetime | None = None,
) -> Objection:
    """File a written objection with reasons (and optional evidence) against one item.

    Refused (ValidationError) outside the window: the Torch Centre practice accepts only
    objections received within the notice period (docs/notices.md#objections)."""
    now = now or timezone.now()
    if not notice.window_open(now):
        if notice.window_ends_at and now >= notice.window_ends_at:
            raise ValidationError(
                _(
                    "The notice period ended on %(date)s; objections received later are not "
                    "accepted."
                )
                % {"date": f"{notice.window_last_day:%Y年%m月%d日}"}
            )
        raise ValidationError(_("This notice is not open for objections."))
    if item.notice_id != notice.pk:
        raise ValidationError({"item": _("Choose an item of this notice.")})
    if evidence:
        try:
            check_evidence(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.messages}) from exc
    for attempt in range(5):
        try:
            with transaction.atomic():
                objection = Objection(
                    notice=notice,
                    item=item,
                    receipt_no=_receipt_no(now),
                    name=name,
                    organisation=organisation or "",
                    contact=contact,
                    reasons=reasons,
                    received_at=now,
                )
                objection.full_clean(exclude=["evidence", "notice", "item"])
                if evidence:
                    objection.evidence = evidence
                objection.save()
                ObjectionEvent.objects.create(
                    objection=objection, action=ObjectionAction.FILED, actor=None, at=now
                )
                locked = NoticeItem.objects.select_for_update().get(pk=item.pk)
                if not locked.held:
                    locked.held = True
                    locked.save(update_fields=["held"])
                    notify(notice.kind, ITEM_HELD, [locked])
                return objection
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


# The handling workflow: status → {action: next status}; a note never changes the status.
TRANSITIONS: dict[str, dict[str, str]] = {
    ObjectionStatus.RECEIVED: {
        ObjectionAction.INVESTIGATE: ObjectionStatus.INVESTIGATING,
        ObjectionAction.UPHOLD: ObjectionStatus.UPHELD,
        ObjectionAction.DISMISS: ObjectionStatus.DISMISSED,
        ObjectionAction.NOTE: ObjectionStatus.RECEIVED,
    },
    ObjectionStatus.INVESTIGATING: {
        ObjectionAction.UPHOLD: ObjectionStatus.UPHELD,
        ObjectionAction.DISMISS: ObjectionStatus.DISMISSED,
        ObjectionAction.NOTE: ObjectionStatus.INVESTIGATING,
    },
    ObjectionStatus.UPHELD: {ObjectionAction.NOTE: ObjectionStatus.UPHELD},
    ObjectionStatus.DISMISSED: {ObjectionAction.NOTE: ObjectionStatus.DISMISSED},
}
DECISIONS = (ObjectionAction.UPHOLD, ObjectionAction.DISMISS)


@transaction.atomic
def objection_handle(
    *, objection: Objection, action: str, user: Any, reply: str = "", note: str = ""
) -> Objection:
    """Investigate, uphold or dismiss (with a reply to the objector), or add a note; every step
    goes to the handling log. Closing the item's last open objection releases the item."""
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    allowed = TRANSITIONS.get(objection.status, {})
    if action not in allowed:
        raise ValidationError(
            {
                "action": _("This step is not possible for an objection that is “%(status)s”.")
                % {"status": objection.get_status_display()}
            }
        )
    reply = (reply or "").strip()
    note = (note or "").strip()
    if action in DECISIONS and not reply:
        raise ValidationError({"reply": _("Write the reply to the objector.")})
    if action == ObjectionAction.NOTE and not note:
        raise ValidationError({"note": _("Write the note.")})
    now = timezone.now()
    objection.status = allowed[action]
    if action in DECISIONS:
        objection.reply = reply
        objection.replied_at = now
    objection._history_user = user  # type: ignore[attr-defined]
    objection.full_clean(exclude=["evidence", "notice", "item"])
    objection.save()
    ObjectionEvent.objects.create(
        objection=objection,
        action=action,
        actor=user,
        at=now,
        note=reply if action in DECISIONS else note,
    )
    if action in DECISIONS:
        item = NoticeItem.objects.select_for_update().get(pk=objection.item_id)
        still_open = item.objections.filter(status__in=OPEN_OBJECTION_STATUSES).exists()
        changed = False
        if action == ObjectionAction.UPHOLD and item.outcome != ItemOutcome.REMOVED:
            item.outcome = ItemOutcome.REMOVED
            changed = True
        if item.held and not still_open:
            item.held = False
            changed = True
            released = True
        else:
            released = False
        if changed:
            item._history_user = user  # type: ignore[attr-defined]
            item.save()
        if released:
            notify(objection.notice.kind, ITEM_RELEASED, [item])
    return objection


# ------------------------------------------------------------------ reads for owner apps


def items_for(obj: models.Model) -> models.QuerySet[NoticeItem]:
    """The notice items that publish `obj`, newest notice first."""
    ct = ContentType.objects.get_for_model(type(obj))
    return NoticeItem.objects.filter(content_type=ct, object_id=obj.pk).select_related("notice")


def is_held(obj: models.Model) -> bool:
    """Whether `obj` is held by an open objection on any notice."""
    return items_for(obj).filter(held=True).exists()


def held_object_ids(model: type[models.Model]) -> set[int]:
    """The ids of every `model` row held by open objections (one query)."""
    ct = ContentType.objects.get_for_model(model)
    return set(
        NoticeItem.objects.filter(content_type=ct, held=True).values_list("object_id", flat=True)
    )


def noticed_object_ids(
    model: type[models.Model], *, kind: str | None = None, year: int | None = None
) -> set[int]:
    """The ids of `model` rows published on a (non-draft) notice, optionally of one kind and
    published in one calendar year (local time) — one query."""
    ct = ContentType.objects.get_for_model(model)
    rows = NoticeItem.objects.filter(content_type=ct).exclude(notice__status=NoticeStatus.DRAFT)
    if kind:
        rows = rows.filter(notice__kind=kind)
    if year:
        tz = timezone.get_default_timezone()
        start = timezone.make_aware(dt.datetime(int(year), 1, 1), tz)
        end = timezone.make_aware(dt.datetime(int(year) + 1, 1, 1), tz)
        rows = rows.filter(notice__published_at__gte=start, notice__published_at__lt=end)
    return set(rows.values_list("object_id", flat=True))


def throttle_allows(key: str, *, limit: int | None = None, seconds: int = 3600) -> bool:
    """Count one attempt for `key` in the cache; False once more than `limit` attempts were made
    within `seconds` (KECHUANG_OBJECTION_THROTTLE_PER_HOUR, default 5)."""
    if limit is None:
        limit = int(getattr(settings, "KECHUANG_OBJECTION_THROTTLE_PER_HOUR", 5))
    cache_key = f"kechuang:notices:throttle:{key}"
    if cache.add(cache_key, 1, seconds):
        return 1 <= limit
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, seconds)
        count = 1
    return count <= limit
