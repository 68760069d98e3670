"""Background work of cooperation (django-tasks): the matching engine's dense vectors of a
record, computed after it is saved so that no page waits for the encoder
(docs/matching.md#stored-vectors).

Tasks import services, never the reverse (docs/architecture.md#services-and-tasks): the
receivers below are connected from the app's ``ready()``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django_tasks import task

from . import matching
from .models import Achievement, TechDemand

log = logging.getLogger(__name__)


@task()
def match_vectors_refresh(keys: list[str]) -> dict[str, int]:
    """Encode and store the vectors of ``keys`` ("A12", "D7") whose text changed."""
    return matching.vectors_refresh(keys)


def _enqueue(keys: list[str]) -> None:
    try:
        match_vectors_refresh.enqueue(keys)
    except Exception:  # the index encodes the record itself when it meets it; never break a save
        log.exception("could not schedule the matching vectors of %s", keys)


def on_record_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    """``post_save`` of an achievement or a demand: its vector, once the save is committed."""
    if not matching.dense_enabled():
        return
    key = f"{'A' if sender is Achievement else 'D'}{instance.pk}"
    transaction.on_commit(lambda: _enqueue([key]))


def connect() -> None:
    for model in (Achievement, TechDemand):
        post_save.connect(
            on_record_saved, sender=model, dispatch_uid=f"cooperation-vectors-{model.__name__}"
        )
