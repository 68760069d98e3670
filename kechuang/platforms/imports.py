"""What an Excel import of the platform registry needs from this app (the templates themselves
are the import framework's, docs/imports.md#templates): after lifecycle steps are imported,
each platform's stage and level follow its latest steps, as when a step is recorded on the
platform page (docs/platforms.md#lifecycle)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from .models import EVENT_STAGE, LEVEL_EVENTS, EventKind, Platform, PlatformEvent, PlatformLevel

__all__ = ["lifecycle_state", "follow_lifecycle_steps"]


def lifecycle_state(stage: str, steps: Iterable[tuple[str, str]]) -> tuple[str, str]:
    """(stage, level) after the steps (kind, level) in date order, from the current stage.

    Each step sets the stage it leads to; a recognition, upgrade or downgrade sets the level;
    a revocation clears it.
    """
    level = PlatformLevel.NONE.value
    for kind, step_level in steps:
        stage = EVENT_STAGE.get(kind, stage)
        if kind in LEVEL_EVENTS:
            level = step_level
        if kind == EventKind.REVOKED:
            level = PlatformLevel.NONE.value
    return stage, level


def follow_lifecycle_steps(event_pks: list[int], *, user: Any, reason: str) -> int:
    """Bring the stage and level of the platforms of the imported steps `event_pks` in line with
    all their steps (two reads, one bulk update with history); the number of platforms changed."""
    platform_ids = set(
        PlatformEvent.objects.filter(pk__in=event_pks).values_list("platform_id", flat=True)
    )
    steps: dict[int, list[tuple[str, str]]] = {pk: [] for pk in platform_ids}
    for platform_id, kind, level in (
        PlatformEvent.objects.filter(platform_id__in=platform_ids)
        .order_by("platform_id", "date", "id")
        .values_list("platform_id", "kind", "level")
    ):
        steps[platform_id].append((kind, level))
    changed = []
    now = timezone.now()  # bulk_update does not apply auto_now
    for platform in Platform.objects.filter(pk__in=platform_ids):
        stage, level = lifecycle_state(platform.stage, steps[platform.pk])
        if (stage, level) != (platform.stage, platform.level):
            platform.stage, platform.level, platform.updated_at = stage, level, now
            changed.append(platform)
    if changed:
        bulk_update_with_history(
            changed,
            Platform,
            ["stage", "level", "updated_at"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    return len(changed)
