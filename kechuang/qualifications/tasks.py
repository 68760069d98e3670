"""Background work of the qualification engine (django-tasks): re-assess after data changes."""

from django_tasks import task

from .selectors import latest_run, run_is_current
from .services import assessment_run_create


@task()
def assess_year(year: int) -> dict:
    """Re-assess ``year`` unless its newest run is already current (changes often come in
    bursts: one import schedules one task per affected year, later ones find nothing to do)."""
    if run_is_current(latest_run(year)):
        return {"year": year, "skipped": True}
    run = assessment_run_create(year=year)
    return {"year": year, "run": run.pk, "enterprises": run.enterprise_count}
