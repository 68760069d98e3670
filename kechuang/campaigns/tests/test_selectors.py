"""Coverage by town and officer, R&D outcomes of zero-R&D visits, and task scoping."""

from __future__ import annotations

import datetime as dt

import pytest

from kechuang.campaigns import selectors, services
from kechuang.campaigns.models import VisitTask
from kechuang.core.roles import Role

from .factories import YEAR, make_delegation, make_world

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def w():
    return make_world()


def _zero_campaign(w, year=YEAR):
    return services.campaign_create(
        user=w.staff, name="零申报走访", kind="zero_declaration",
        target_spec={"kind": "zero_rd", "year": year}, due_date=TODAY + dt.timedelta(days=20),
    )  # fmt: skip


def _set(task, state, due=None):
    VisitTask.objects.filter(pk=task.pk).update(state=state, **({"due_date": due} if due else {}))


def test_coverage_by_town_and_officer_on_a_hand_made_fixture(w, django_assert_num_queries):
    campaign = _zero_campaign(w)  # A1 (officer_a), B1 + B2 (officer_b), C1 (unassigned)
    t = {x.enterprise_id: x for x in campaign.tasks.all()}
    _set(t[w.a1.pk], "closed")
    _set(t[w.b1.pk], "visited", due=TODAY - dt.timedelta(days=1))  # visited but overdue
    _set(t[w.c1.pk], "pending", due=TODAY - dt.timedelta(days=3))  # overdue

    with django_assert_num_queries(1):
        by_town = selectors.coverage(VisitTask.objects.all(), by="town")
    rows = {r["label"]: r for r in by_town}
    assert (rows["甲镇"]["targets"], rows["甲镇"]["visited"], rows["甲镇"]["closed"]) == (1, 1, 1)
    assert rows["甲镇"]["covered_pct"] == 100
    assert (rows["乙镇"]["targets"], rows["乙镇"]["visited"], rows["乙镇"]["overdue"]) == (2, 1, 1)
    assert rows["乙镇"]["covered_pct"] == 50
    assert (rows["丙镇"]["targets"], rows["丙镇"]["visited"], rows["丙镇"]["overdue"]) == (1, 0, 1)
    total = by_town[-1]
    assert total["is_total"] and (total["targets"], total["visited"], total["overdue"],
                                  total["closed"]) == (4, 2, 2, 1)  # fmt: skip
    assert total["covered_pct"] == 50

    officers = selectors.coverage(VisitTask.objects.all(), by="officer")
    by_officer = {r["key"]: r for r in officers if not r.get("is_total")}
    assert by_officer[w.officer_a.pk]["visited"] == 1
    assert by_officer[w.officer_b.pk]["targets"] == 2
    assert by_officer[None]["targets"] == 1 and by_officer[None]["label"] is None


def test_outcomes_compare_visited_with_not_visited(w):
    campaign = _zero_campaign(w)
    t = {x.enterprise_id: x for x in campaign.tasks.all()}
    _set(t[w.a1.pk], "closed")  # visited; declares R&D next year
    _set(t[w.b1.pk], "follow_up")  # visited; declares zero next year
    # B2 (declares next year) and C1 (no figures next year) stay pending: not visited.
    result = selectors.rd_outcomes(year=YEAR)
    assert result["has_next_year"]
    assert result["visited"] == {"n": 2, "declaring": 1, "pct": 50}
    assert result["not_visited"] == {"n": 2, "declaring": 1, "pct": 50}
    # A task of a different kind of campaign does not count as a zero-R&D visit.
    services.campaign_create(user=w.staff, name="诊断", kind="diagnosis", due_date=TODAY,
                             target_spec={"kind": "zero_rd", "year": YEAR})  # fmt: skip
    VisitTask.objects.filter(campaign__kind="diagnosis").update(state="closed")
    assert selectors.rd_outcomes(year=YEAR)["visited"]["n"] == 2
    # A town officer compares only the enterprises of their town.
    mine = selectors.rd_outcomes(year=YEAR, user=w.officer_a)
    assert mine["visited"]["n"] + mine["not_visited"]["n"] == 1


def test_outcomes_without_next_year_figures(w):
    result = selectors.rd_outcomes(year=YEAR + 1)
    assert not result["has_next_year"] and result["visited"]["pct"] is None


def test_town_officer_sees_own_tasks_and_town_only(w):
    campaign = _zero_campaign(w)
    seen = set(VisitTask.objects.for_user(w.officer_a).values_list("enterprise_id", flat=True))
    assert seen == {w.a1.pk}
    # A task of another town reassigned to officer_a is theirs to see.
    task_b1 = campaign.tasks.get(enterprise=w.b1)
    services.task_reassign(task=task_b1, assignee=w.officer_a, user=w.staff)
    seen = set(VisitTask.objects.for_user(w.officer_a).values_list("enterprise_id", flat=True))
    assert seen == {w.a1.pk, w.b1.pk}
    assert not VisitTask.objects.for_user(w.leader).exists()
    assert selectors.coverage_tasks(w.leader).count() == 4
    assert [c.pk for c in selectors.campaign_list(w.officer_a)] == [campaign.pk]


def test_agency_sees_only_assigned_tasks_of_delegating_enterprises(w):
    campaign = _zero_campaign(w)
    task = campaign.tasks.get(enterprise=w.b1)
    delegation = make_delegation(w, w.b1)
    services.task_reassign(task=task, assignee=w.agency_user, user=w.staff)
    w.agency_user._kechuang_scope = None
    assert list(VisitTask.objects.for_user(w.agency_user)) == [task]
    services.delegation_end(delegation=delegation, user=w.staff)
    w.agency_user._kechuang_scope = None
    assert not VisitTask.objects.for_user(w.agency_user).exists()
    assert not selectors.campaign_list(w.agency_user).exists()


def test_officer_lookup_prefers_the_first_officer_of_a_town(w):
    from kechuang.enterprises.tests.factories import make_user

    make_user(Role.TOWN_OFFICER, town=w.town_a, username="second_a")
    assert selectors.officers_by_town()[w.town_a.pk] == w.officer_a.pk
    assert w.town_c.pk not in selectors.officers_by_town()
