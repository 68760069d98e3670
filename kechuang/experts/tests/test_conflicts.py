"""Conflict detection: every built-in source, dates and windows, the registry and its cost."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kechuang.enterprises.tests.factories import make_enterprise
from kechuang.experts import conflicts
from kechuang.experts.choices import OrganisationKind
from kechuang.experts.conflicts import Conflict, conflicts_for
from kechuang.experts.models import ExpertRelationship

from .factories import make_expert, make_organisation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def world():
    applicant = make_enterprise()
    applicant_org = make_organisation(
        name="申报企业", kind=OrganisationKind.ENTERPRISE, enterprise=applicant
    )
    partner = make_organisation(name="合作大学")
    other = make_organisation(name="无关大学")
    return {
        "applicant": applicant,
        "partner": partner,
        "inside": make_expert(applicant_org),
        "at_partner": make_expert(partner),
        "free": make_expert(other),
    }


def _kinds(found, expert):
    return [c.kind for c in found.get(expert.pk, [])]


def test_same_organisation_as_applicant_or_partner(world):
    found = conflicts_for(
        [world["inside"].pk, world["at_partner"].pk, world["free"].pk],
        world["applicant"].pk,
        [world["partner"].pk],
        TODAY,
    )
    assert _kinds(found, world["inside"]) == ["same_organisation"]
    assert "申报企业" in found[world["inside"].pk][0].reason
    assert _kinds(found, world["at_partner"]) == ["same_organisation"]
    assert world["free"].pk not in found


@pytest.mark.parametrize(
    "kind, until, counts",
    [
        ("relative", None, True),
        ("shareholder", None, True),
        ("shareholder", dt.date(2025, 1, 1), False),  # ended: counts only while it lasts
        ("former_employer", dt.date(2021, 6, 2), True),  # within 4 years of its end
        ("former_employer", dt.date(2021, 5, 31), False),
        ("collaborator", dt.date(2022, 1, 1), True),
        ("other", None, True),
    ],
)
def test_declared_relationship_kinds_and_windows(world, kind, until, counts):
    expert = world["free"]
    ExpertRelationship.objects.create(
        expert=expert,
        kind=kind,
        enterprise=world["applicant"],
        since=dt.date(2019, 1, 1),
        until=until,
    )
    found = conflicts_for([expert.pk], world["applicant"].pk, [], TODAY)
    assert (f"relationship:{kind}" in _kinds(found, expert)) is counts


def test_relationship_with_a_partner_and_not_yet_begun(world):
    expert = world["free"]
    ExpertRelationship.objects.create(expert=expert, kind="relative", organisation=world["partner"])
    ExpertRelationship.objects.create(
        expert=expert, kind="shareholder", enterprise=world["applicant"], since=dt.date(2026, 1, 1)
    )
    found = conflicts_for([expert.pk], world["applicant"].pk, [world["partner"].pk], TODAY)
    assert _kinds(found, expert) == ["relationship:relative"]


def test_years_window_is_configuration(world, settings):
    settings.KECHUANG_CONFLICT_RULES = {
        "relationship_kinds": {"collaborator": ("合作者", 1)},
        "same_organisation": False,
    }
    expert = world["inside"]
    ExpertRelationship.objects.create(
        expert=expert, kind="collaborator", enterprise=world["applicant"], until=dt.date(2023, 1, 1)
    )
    assert conflicts_for([expert.pk], world["applicant"].pk, [], TODAY) == {}


def test_registered_source_is_merged_and_queries_do_not_grow(world, monkeypatch):
    calls = []

    def fake(expert_ids, applicant, partners, on_date):
        calls.append(list(expert_ids))
        return {expert_ids[0]: [Conflict("fake", "测试来源", "tests.fake")], 999999: []}

    monkeypatch.setattr(conflicts, "CONFLICT_SOURCES", [*conflicts.CONFLICT_SOURCES, fake])
    few = [world["free"].pk]
    with CaptureQueriesContext(connection) as small:
        conflicts_for(few, world["applicant"].pk, [world["partner"].pk], TODAY)
    many = [make_expert().pk for _ in range(15)] + few
    with CaptureQueriesContext(connection) as large:
        found = conflicts_for(many, world["applicant"].pk, [world["partner"].pk], TODAY)
    assert len(large) == len(small)
    assert len(calls) == 2 and calls[1] == sorted(many)
    assert found[min(many)] == [Conflict("fake", "测试来源", "tests.fake")]
    assert 999999 not in found
