"""The cooperation objects of the shared access-matrix cast (kechuang.core.tests.cast): a demand
of A1 (in town A, delegating to the agency) ranked to an achievement of the cast university
user's organisation, a brokering record in negotiation, an accepted contract, an event and a
competition, so every scoped role sees them."""

from __future__ import annotations

import datetime as dt

from kechuang.experts.models import OrganisationMember

from .. import services
from ..models import Competition, CooperationEvent
from .factories import make_achievements, make_contract, make_demand, make_organisation


def build_cooperation_cast(users: dict, objects: dict) -> dict:
    staff = users["staff"]
    organisation = make_organisation("宁波大学科学技术学院", "university")
    OrganisationMember.objects.get_or_create(user=users["university"], organisation=organisation)
    achievement = make_achievements(staff, organisation)[0]
    event = CooperationEvent.objects.create(name="千企百校万里行·宁波站", date=dt.date.today())
    demand = make_demand(staff, objects["enterprise"], event=event)
    record = services.brokering_start(
        user=staff, demand=demand, achievement=achievement, event=event
    )
    today = dt.date.today()
    services.brokering_move(user=staff, record=record, stage="contacted", date=today)
    services.brokering_move(user=staff, record=record, stage="meeting", date=today, people="张工")
    services.brokering_move(user=staff, record=record, stage="negotiation", date=today)
    contract = make_contract(
        staff,
        brokering=record,
        seller_organisation=organisation,
        buyer_enterprise=objects["enterprise"],
        seller_enterprise=objects["enterprise"],
    )
    competition = Competition.objects.create(name="第十三届中国创新创业大赛", edition=13, year=2024)
    return {
        "coop_demand": demand,
        "coop_achievement": achievement,
        "coop_brokering": record,
        "coop_contract": contract,
        "coop_event": event,
        "coop_competition": competition,
    }
