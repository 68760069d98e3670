"""Pages and API: every page renders for the roles that hold it, bad input answers field errors
(never a 500), the demand page ranks suppliers with reasons, figures equal their drill-downs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from kechuang.cooperation import selectors
from kechuang.cooperation.models import CompetitionEntrant, CompetitionResult
from kechuang.core.figures import FIGURES

from .test_services import _negotiating, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


PAGES = [
    "cooperation:demand_list",
    "cooperation:demand_create",
    "cooperation:achievement_list",
    "cooperation:achievement_create",
    "cooperation:search",
    "cooperation:brokering_list",
    "cooperation:contract_list",
    "cooperation:contract_apply",
    "cooperation:contract_statistics",
    "cooperation:event_list",
    "cooperation:event_create",
    "cooperation:competition_list",
]


def test_every_page_renders_in_chinese_for_staff(world):  # noqa: F811
    record = _negotiating(world)
    client = _client(world.staff)
    urls = [reverse(n) for n in PAGES] + [
        record.demand.get_absolute_url(),
        record.get_absolute_url(),
        world.achievements[0].get_absolute_url(),
        reverse("cooperation:search") + "?q=螺栓断了",
        reverse("cooperation:contract_apply") + f"?brokering={record.pk}",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(record.demand.get_absolute_url()).content.decode()
    assert "高强度紧固件氢脆控制与无铬钝化工艺" in page and 'data-testid="why"' in page


def test_demand_page_for_the_enterprise_shows_ranked_suppliers(world):  # noqa: F811
    client = _client(world.enterprise_user)
    response = client.post(
        reverse("cooperation:demand_create"),
        {
            "title": "螺栓断",
            "summary": "镀锌螺栓会断",
            "description": "镀锌后螺栓放几天就断",
            "mode": "development",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "高强度紧固件氢脆控制与无铬钝化工艺" in page
    assert 'data-testid="broker-form"' not in page  # enterprises do not broker


@pytest.mark.parametrize(
    "data",
    [
        {"title": "", "summary": "x", "description": "y"},
        {
            "title": "t",
            "summary": "s",
            "description": "d",
            "budget_min": "1e999",
            "mode": "development",
        },
        {
            "title": "t",
            "summary": "s",
            "description": "d",
            "budget_min": "9",
            "budget_max": "1",
            "mode": "development",
        },
        {
            "title": "t",
            "summary": "s",
            "description": "d",
            "deadline": "2024-02-30",
            "mode": "development",
        },
    ],
)
def test_bad_demand_input_is_a_field_error(world, data):  # noqa: F811
    response = _client(world.enterprise_user).post(reverse("cooperation:demand_create"), data)
    assert response.status_code == 200
    assert (
        "invalid-feedback" in response.content.decode()
        or "alert-danger" in response.content.decode()
    )


def test_bad_decisions_and_moves_answer_400(world):  # noqa: F811
    record = _negotiating(world)
    client = _client(world.staff)
    bad = client.post(record.get_absolute_url(), {"stage": "contracted", "date": "x"})
    assert bad.status_code == 400
    from .factories import make_contract

    contract = make_contract(world.staff, brokering=record, seller_organisation=world.org)
    url = contract.get_absolute_url()
    assert client.post(url, {"action": "register"}).status_code == 400  # not accepted yet: no form
    assert (
        client.post(url, {"action": "accept", "accept-accepted_on": "2024-13-01"}).status_code
        == 400
    )
    assert (
        client.post(
            url, {"action": "accept", "accept-accepted_on": str(dt.date.today())}
        ).status_code
        == 302
    )
    response = client.post(
        url,
        {
            "action": "register",
            "register-registered_type": "dev_commissioned",
            "register-non_technical_costs": "99999999",
            "register-certificate_number": "X1",
            "register-decided_on": str(dt.date.today()),
        },
    )
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()
    assert client.post(url, {"action": "nonsense"}).status_code == 404
    assert (
        client.post(
            reverse("cooperation:brokering_create", args=[record.demand.pk]),
            {"achievement": "1e30"},
        ).status_code
        == 400
    )


def test_figures_equal_their_drill_down_lists(world):  # noqa: F811
    from kechuang.cooperation import services
    from kechuang.cooperation.models import Competition, CooperationEvent

    year = dt.date.today().year
    event = CooperationEvent.objects.create(name="千企百校万里行·浙工大站", date=dt.date.today())
    CooperationEvent.objects.create(name="其他活动", kind="other", date=dt.date.today())
    record = _negotiating(world)
    record.event = event
    record.save()
    from .factories import make_demand

    services.brokering_start(
        user=world.staff,
        demand=make_demand(world.staff, world.a2),
        achievement=world.achievements[1],
        event=event,
    )
    competition = Competition.objects.create(name="第十三届中国创新创业大赛", edition=13, year=year)
    entrants = CompetitionEntrant.objects.bulk_create(
        CompetitionEntrant(
            competition=competition, enterprise=e, project="项目", group="growth", track="materials"
        )
        for e in (world.a1, world.a2, world.b1)
    )
    for stage in ("county", "nb_qualification", "nb_preliminary", "nb_semifinal", "nb_final"):
        services.result_record(
            user=world.staff, entrant=entrants[0], stage=stage, data={"advanced": True}
        )
    with pytest.raises(ValidationError):
        services.result_record(user=world.staff, entrant=entrants[1], stage="nb_final", data={})
    figures = selectors.headline_figures(year)
    assert figures["cooperation_events"] == 1
    assert figures["cooperation_demands_matched"] == 2
    assert figures["competition_entrants"] == 3
    assert figures["competition_ningbo_finalists"] == 1
    assert figures["competition_national_finalists"] == 0
    client = _client(world.staff)
    for key in (
        "cooperation_events",
        "cooperation_demands_matched",
        "competition_entrants",
        "competition_ningbo_finalists",
    ):
        response = client.get(FIGURES[key].drill_down(year))
        assert response.status_code == 200
        assert response.context["table"].paginator.count == figures[key], key
    assert CompetitionResult.objects.filter(entrant=entrants[0]).count() == 5


def test_api_lists_scoped_demands_and_suppliers(world):  # noqa: F811
    from rest_framework.test import APIClient

    record = _negotiating(world)
    api = APIClient()
    api.force_authenticate(world.enterprise_user)
    rows = api.get("/api/v1/cooperation/demands/").json()
    assert [r["id"] for r in rows["results"]] == [record.demand.pk]
    suppliers = api.get(f"/api/v1/cooperation/demands/{record.demand.pk}/suppliers/").json()
    assert suppliers[0]["why"]["reasons"]
    bad = api.post("/api/v1/cooperation/demands/", {"title": ""}, format="json")
    assert bad.status_code == 400 and "title" in bad.json()
    api.force_authenticate(world.officer_b)
    assert api.get(f"/api/v1/cooperation/demands/{record.demand.pk}/").status_code == 404
