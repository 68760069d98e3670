"""Demo build step of the qualification engine: the stored assessments of every year.

A fresh demo must show the ladder, the reserve pool and the risk lists at once, so the build
assesses every year with figures (the same service the 重新评估 button calls). Idempotent: a
year whose newest run is still current is left alone.
"""

from __future__ import annotations

from .selectors import available_assessment_years, latest_run, run_is_current
from .services import assessment_run_create

__all__ = ["qualifications_demo"]


def qualifications_demo(*, generated: bool) -> list[int]:
    """``DEMO_EXTENSIONS`` entry: assess each year lacking a current run; return those years."""
    assessed = []
    for year in available_assessment_years():
        if run_is_current(latest_run(year)):
            continue
        assessment_run_create(year=year)
        assessed.append(year)
    return assessed
