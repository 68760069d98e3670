"""Writes of the notifications app: deliver reminders (once per recipient and key, respecting
the rule and the recipient's mutes, e-mail when configured), run the daily job, mark read, and
change the bureau's rules and a user's mutes (both audited through their history).

docs/notifications.md describes the kinds, the defaults and the daily job.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from simple_history.utils import bulk_create_with_history

from .models import Notification, NotificationRule, UserMute
from .registry import KINDS, Reminder

__all__ = [
    "rules_ensure",
    "rule_update",
    "mutes_set",
    "notify",
    "deliver",
    "run_daily",
    "mark_read",
    "email_configured",
]

log = logging.getLogger(__name__)
BATCH = 1000


# ------------------------------------------------------------------ rules


def rules_ensure() -> dict[str, NotificationRule]:
    """Every registered kind's rule, created with the kind's defaults when missing."""
    rules = {r.kind: r for r in NotificationRule.objects.filter(kind__in=list(KINDS))}
    missing = [
        NotificationRule(
            kind=kind.code, enabled=True, lead=kind.default_lead, email=kind.default_email
        )
        for code, kind in KINDS.items()
        if code not in rules
    ]
    if missing:
        bulk_create_with_history(missing, NotificationRule, ignore_conflicts=True)
        rules = {r.kind: r for r in NotificationRule.objects.filter(kind__in=list(KINDS))}
    return rules


def rule_update(
    kind: str, *, enabled: bool, lead: int, email: bool, user: Any = None
) -> NotificationRule:
    """Change one kind's rule (a history row records who and when)."""
    if kind not in KINDS:
        raise KeyError(kind)
    rule = rules_ensure()[kind]
    rule.enabled, rule.lead, rule.email = enabled, lead, email
    if user is not None and user.is_authenticated:
        rule._history_user = user  # type: ignore[attr-defined]
    rule.save()
    return rule


def mutes_set(user: Any, muted: Iterable[str]) -> set[str]:
    """Make the user's muted kinds exactly `muted` (unknown kinds ignored); returns them."""
    wanted = {k for k in muted if k in KINDS}
    current = {m.kind: m for m in UserMute.objects.filter(user=user)}
    with transaction.atomic():
        for kind, mute in current.items():
            if kind not in wanted:
                mute._history_user = user  # type: ignore[attr-defined]
                mute.delete()
        new = [UserMute(user=user, kind=k) for k in sorted(wanted - set(current))]
        if new:
            bulk_create_with_history(new, UserMute, default_user=user, ignore_conflicts=True)
    return wanted


# ------------------------------------------------------------------ delivering


def email_configured() -> bool:
    """E-mail goes out only when the deployment set up Django's mail settings: an EMAIL_HOST
    in its settings, or a mail backend other than SMTP (console, file, test outbox)."""
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    overridden = settings.is_overridden("EMAIL_HOST")  # type: ignore[misc]
    return bool(overridden) or settings.EMAIL_BACKEND != smtp


def _stored_key(kind: str, key: str) -> str:
    return f"{kind}:{key}"[:200]


def _active(ids: set[int]) -> set[int]:
    """The active users among `ids` (a deactivated account gets nothing)."""
    found: set[int] = set()
    users = get_user_model().objects.filter(is_active=True)
    id_list = sorted(ids)
    for i in range(0, len(id_list), BATCH):
        found.update(users.filter(pk__in=id_list[i : i + BATCH]).values_list("pk", flat=True))
    return found


def _content_types(labels: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for label in labels:
        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            continue
        found[label] = ContentType.objects.get_for_model(model).pk
    return found


def deliver(
    kind: str,
    reminders: Iterable[Reminder | tuple],
    *,
    rule: NotificationRule | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Store the reminders of `kind` for their recipients, skipping muted recipients and
    (recipient, key) pairs already stored; e-mail the new ones when the rule says so.
    Returns how many notifications were created. Nothing happens when the rule is off."""
    if kind not in KINDS:
        raise KeyError(kind)
    rule = rule or rules_ensure()[kind]
    if not rule.enabled:
        return 0
    now = now or timezone.now()
    items = [r if isinstance(r, Reminder) else Reminder(*r) for r in reminders]
    if not items:
        return 0
    muted = set(UserMute.objects.filter(kind=kind).values_list("user_id", flat=True))
    wanted: dict[tuple[int, str], Reminder] = {}
    for item in items:
        key = _stored_key(kind, item.key)
        for uid in set(item.recipient_ids):
            if uid is not None and uid not in muted:
                wanted.setdefault((uid, key), item)
    active = _active({uid for uid, _key in wanted})
    wanted = {pair: item for pair, item in wanted.items() if pair[0] in active}
    if not wanted:
        return 0
    keys = {key for _uid, key in wanted}
    existing: set[tuple[int, str]] = set()
    key_list = sorted(keys)
    for i in range(0, len(key_list), BATCH):
        existing.update(
            Notification.objects.filter(key__in=key_list[i : i + BATCH]).values_list(
                "recipient_id", "key"
            )
        )
    fresh = [(pair, item) for pair, item in wanted.items() if pair not in existing]
    if not fresh:
        return 0
    types = _content_types({item.target[0] for _p, item in fresh if item.target})
    rows = [
        Notification(
            recipient_id=uid,
            kind=kind,
            key=key,
            title=str(item.title)[:200],
            body=str(item.body)[:2000],
            link=str(item.link)[:300],
            target_type_id=types.get(item.target[0]) if item.target else None,
            target_id=item.target[1] if item.target else None,
            created_at=now,
        )
        for (uid, key), item in fresh
    ]
    Notification.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    if rule.email and email_configured():
        _email(kind, now)
    return len(rows)


def _email(kind: str, created_at: dt.datetime) -> None:
    """Send the notifications of `kind` created at `created_at` whose recipient has an
    address and that were not e-mailed yet; mark them e-mailed."""
    pending = Notification.objects.filter(
        kind=kind, created_at=created_at, emailed_at__isnull=True
    ).exclude(recipient__email="")
    rows = list(pending.values_list("pk", "recipient__email", "title", "body", "link"))
    if not rows:
        return
    base = getattr(settings, "KECHUANG_SITE_URL", "").rstrip("/")
    messages = [
        EmailMessage(
            subject=title,
            body="\n\n".join(p for p in (body, f"{base}{link}" if link else "") if p),
            to=[address],
        )
        for _pk, address, title, body, link in rows
    ]
    try:
        get_connection(fail_silently=False).send_messages(messages)
    except Exception:  # the in-app notification stands; the e-mail is tried no more
        log.exception("could not e-mail %s notifications of %s", len(messages), kind)
        return
    Notification.objects.filter(pk__in=[r[0] for r in rows]).update(emailed_at=timezone.now())


def notify(
    users: Iterable[Any],
    kind: str,
    key: str,
    title: str,
    body: str = "",
    link: str = "",
    *,
    target: tuple[str, int] | None = None,
) -> int:
    """Notify users (objects or ids) of an event of `kind` once per `key` (e.g. one
    submission's return: "submission:<pk>:returned:<n>"). Returns how many were created."""
    ids = [u if isinstance(u, int) else u.pk for u in users]
    return deliver(kind, [Reminder(ids, key, title, body, link, target)])


def run_daily(today: dt.date | None = None) -> dict[str, int]:
    """Run every registered generator once for `today` (the daily job); idempotent: a second
    run on the same day, or the next day for the same due dates, creates nothing new."""
    today = today or timezone.localdate()
    rules = rules_ensure()
    created: dict[str, int] = {}
    with translation.override(settings.LANGUAGE_CODE):
        for code, kind in sorted(KINDS.items()):
            if kind.generator is None:
                continue
            rule = rules[code]
            if not rule.enabled:
                created[code] = 0
                continue
            created[code] = deliver(code, kind.generator(rule, today), rule=rule)
    return created


# ------------------------------------------------------------------ reading


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all unread ones when `ids` is None)."""
    queryset = Notification.objects.for_user(user).unread()
    if ids is not None:
        clean = [int(i) for i in ids if str(i).isdigit() and len(str(i)) < 19]  # bigint range
        queryset = queryset.filter(pk__in=clean)
    return queryset.update(read_at=timezone.now())
