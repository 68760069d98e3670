"""The demo step: idempotent, ~60 experts, the demo expert's declared conflict."""

import datetime as dt

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.experts.conflicts import conflicts_for
from kechuang.experts.demo import DEMO_UNIVERSITY, experts_demo
from kechuang.experts.models import Expert, OrganisationMember

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_sets_up_the_demo_users():
    own = make_enterprise()
    for _ in range(3):
        make_enterprise()
    make_user(Role.BUREAU_STAFF, username="staff")
    expert_user = make_user(Role.EXPERT, username="expert")
    university = make_user(Role.UNIVERSITY, username="university")
    make_user(Role.ENTERPRISE, username="enterprise", enterprise=own)
    experts_demo(generated=True)
    count = Expert.objects.count()
    experts_demo(generated=True)
    assert Expert.objects.count() == count and 55 <= count <= 70
    me = Expert.objects.get(user=expert_user)
    assert me.organisation.name == DEMO_UNIVERSITY and me.fields.count() == 2
    assert OrganisationMember.objects.filter(user=university, organisation=me.organisation).exists()
    found = conflicts_for([me.pk], own.pk, [], dt.date.today())
    assert [c.kind for c in found[me.pk]] == ["relationship:shareholder"]
    # Enterprise engineers are conflicted with their own enterprise.
    engineer = Expert.objects.filter(organisation__enterprise__isnull=False).first()
    assert conflicts_for([engineer.pk], engineer.organisation.enterprise_id, [])[engineer.pk]
