"""The campaign list's progress figures: counted per campaign over the tasks the viewer may see
(each campaign's tasks and training attendance counted on their own, not over their join)."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.campaigns.models import Campaign, TrainingAttendance, VisitTask
from kechuang.campaigns.selectors import campaign_list

from .factories import make_world

pytestmark = pytest.mark.django_db


def _campaign(world, name):
    return Campaign.objects.create(
        name=name,
        year=2025,
        kind="diagnosis",
        due_date=dt.date(2025, 12, 31),
        created_by=world.staff,
    )


def test_progress_counts_per_campaign_follow_the_viewers_tasks():
    w = make_world()
    past, future = dt.date.today() - dt.timedelta(days=3), dt.date.today() + dt.timedelta(days=30)
    main, other = _campaign(w, "走访"), _campaign(w, "培训")
    _campaign(w, "空")  # no task at all
    for enterprise, state, due in [
        (w.a1, "pending", past),  # overdue
        (w.a2, "visited", past),  # visited, overdue
        (w.a3, "closed", past),  # closed: never overdue
        (w.b1, "follow_up", future),
        (w.b2, "pending", past),
    ]:
        VisitTask.objects.create(
            campaign=main, enterprise=enterprise, state=state, due_date=due,
            assignee=w.officer_a if enterprise.town == w.town_a else w.officer_b,
        )  # fmt: skip
    VisitTask.objects.create(campaign=other, enterprise=w.b1, due_date=future)
    for enterprise, day in [(w.a1, 1), (w.a1, 2), (w.b1, 1)]:  # a1 came twice: one enterprise
        TrainingAttendance.objects.create(
            campaign=main, enterprise=enterprise, session_date=dt.date(2025, 3, day), attendees=2
        )

    def figures(user):
        return {
            c.name: (c.n_tasks, c.n_visited, c.n_closed, c.n_overdue, c.n_attended)
            for c in campaign_list(user)
        }

    assert figures(w.staff) == {
        "走访": (5, 3, 1, 3, 2),
        "培训": (1, 0, 0, 0, 0),
        "空": (0, 0, 0, 0, 0),
    }
    # A town officer sees the campaigns with tasks in their town, counted over those tasks.
    assert figures(w.officer_a) == {"走访": (3, 2, 1, 2, 2)}
    assert figures(w.officer_b) == {"走访": (2, 1, 0, 1, 2), "培训": (1, 0, 0, 0, 0)}
