"""Background work of the qualification engine (django-tasks): re-assess after data changes,
and the re-assessment asked for from a page (never run inside the request).

Tasks import services, never the reverse (docs/architecture.md#services-and-tasks).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django_tasks import task

from kechuang.imports.recovery import sweep_stale_quietly

from .selectors import latest_run, run_is_current
from .services import assessment_run_create, assessment_runs_mark_stale

log = logging.getLogger(__name__)


@task()
def assess_year(year: int, force: bool = False, user_id: int | None = None) -> dict:
    """Re-assess ``year`` unless its newest run is already current (changes often come in
    bursts: one import schedules one task per affected year, later ones find nothing to do).

    ``force`` (a person asked from a page) re-assesses anyway, as ``user_id``. The run beats
    while it works (see ``assessment_run_create``), so a killed worker's run is marked
    interrupted by the sweeper and can be re-run.
    """
    sweep_stale_quietly()
    if not force and run_is_current(latest_run(year)):
        return {"year": year, "skipped": True}
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = assessment_run_create(year=year, user=user)
    return {"year": year, "run": run.pk, "enterprises": run.enterprise_count}


def on_data_changed(years: set[int] | None) -> None:
    """``core.hooks.data_changed`` handler: runs depending on the data become stale, and a
    background re-assessment is scheduled for each of their years."""
    marked = assessment_runs_mark_stale(years)
    if not marked or not getattr(settings, "KECHUANG_AUTO_ASSESS", True):
        return
    for year in marked:
        try:
            assess_year.enqueue(year=year)
        except Exception:  # the stale banner still tells users; never break the writer
            log.exception("could not schedule the re-assessment of %s", year)
