"""Dashboard and registry pages through real URLs: roles, drill-down links, exports, uploads,
and a fixed number of queries whatever the data size."""

from __future__ import annotations

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise, Qualification
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
)
from kechuang.enterprises.tests.fixtures import login

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_dashboard_shows_computed_figures_with_links(client, data):
    login(client, Role.BUREAU_STAFF)
    response = client.get("/dashboard/?year=2024")
    assert response.status_code == 200
    html = response.content.decode()
    # 5 above-scale in 2024, 4 of them with R&D: 80.0 %
    card = re.search(
        r'href="([^"]+)" data-testid="stat-above_scale_industrial">.*?kc-value">([\d,]+)<',
        html,
        re.S,
    )
    assert card.group(2) == "5"
    assert card.group(1) == "/enterprises/?year=2024&amp;above_scale=true"
    assert 'data-testid="stat-above_scale_with_rd_share_pct"' in html and "80.0" in html


def test_figure_link_lands_on_a_list_with_the_same_count(client, data):
    login(client, Role.BUREAU_STAFF)
    response = client.get("/enterprises/?year=2024&above_scale=true&has_rd=true")
    assert response.status_code == 200
    assert response.context["table"].paginator.count == 4


def test_bad_year_never_fails(client, data):
    login(client, Role.BUREAU_STAFF)
    for value in ["abc", "99999", "-1", "2024'"]:
        assert client.get("/dashboard/", {"year": value}).status_code == 200
    assert (
        client.get("/enterprises/", {"year": "x", "town": "zz", "above_scale": "maybe"}).status_code
        == 200
    )


def test_leader_reads_dashboard_without_drill_down(client, data):
    login(client, Role.LEADER)
    html = client.get("/dashboard/?year=2024").content.decode()
    assert 'data-testid="stat-above_scale_industrial"' in html
    assert "/enterprises/?year=2024" not in html
    assert client.get("/enterprises/").status_code == 403
    # The leader holds no right to enterprise records (access policy): refused outright.
    assert client.get(f"/enterprises/{Enterprise.objects.first().pk}/").status_code == 403


def test_enterprise_user_lands_on_its_workbench_and_sees_only_its_own_page(client, data):
    own, other = Enterprise.objects.all()[:2]
    login(client, Role.ENTERPRISE, enterprise=own)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    assert client.get("/dashboard/").status_code == 403
    assert client.get(f"/enterprises/{own.pk}/").status_code == 200
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404
    assert client.get("/enterprises/").status_code == 403
    assert client.get("/imports/").status_code == 403


def test_town_officer_sees_only_their_town(client, data, towns):
    a, b = towns
    login(client, Role.TOWN_OFFICER, town=a)
    response = client.get("/enterprises/?year=2024")
    names = {r.record.town_id for r in response.context["table"].rows}
    assert names == {a.pk}
    other = Enterprise.objects.filter(town=b).first()
    assert client.get(f"/enterprises/{other.pk}/").status_code == 404
    export = load_workbook(io.BytesIO(client.get("/enterprises/?export=xlsx").content)).active
    assert export.max_row - 1 == Enterprise.objects.filter(town=a).count()


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?year=2024",
        "/enterprises/?year=2024&above_scale=true&sort=-rd_expense_stat",
        "DETAIL",
        "/enterprises/qualifications/?kind=high_tech",
        "/institutions/",
    ],
)
def test_query_count_does_not_grow_with_data(client, towns, url):
    login(client, Role.BUREAU_STAFF)

    def grow(n):
        for _ in range(n):
            e = make_enterprise(town=towns[0])
            make_annual_figure(e, 2024, is_above_scale_industrial=True)
            Qualification.objects.create(
                enterprise=e, kind="high_tech", year=2024, issue_date="2024-11-20"
            )

    def count():
        target = (
            f"/enterprises/{Enterprise.objects.order_by('pk').first().pk}/"
            if url == "DETAIL"
            else url
        )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(target).status_code == 200
        return len(ctx.captured_queries)

    grow(3)
    small = count()
    grow(30)
    assert count() == small
    # The enterprise page is the enterprise file: a fixed number of queries per panel of every
    # module (docs/enterprise-file.md#bounded-queries).
    assert small <= (60 if url == "DETAIL" else 20)


def test_institution_total_links_to_the_same_count(client, towns):
    from kechuang.platforms.models import RDInstitution

    e1, e2 = make_enterprise(town=towns[0]), make_enterprise(town=towns[0])
    RDInstitution.objects.create(
        enterprise=e1, level="municipal_enterprise_rd_centre", name="A", year_recognised=2020
    )
    RDInstitution.objects.create(
        enterprise=e2, level="municipal_enterprise_rd_centre", name="B", year_recognised=2024
    )
    RDInstitution.objects.create(
        enterprise=e2,
        level="provincial_high_tech_rd_centre",
        name="C",
        year_recognised=2021,
        status="revoked",
    )
    make_annual_figure(e1, 2023)
    login(client, Role.BUREAU_STAFF)
    html = client.get("/dashboard/?year=2023").content.decode()
    link = re.search(
        r'href="([^"]+)" data-testid="stat-rd_institutions_total">.*?kc-value">(\d+)<', html, re.S
    )
    assert link.group(2) == "1"
    assert client.get(link.group(1).replace("&amp;", "&")).context["table"].paginator.count == 1


def test_list_filters_use_the_year_join_not_a_subquery(client, data):
    login(client, Role.BUREAU_STAFF)
    with CaptureQueriesContext(connection) as ctx:
        client.get("/enterprises/?year=2024&above_scale=true&has_rd=true&sort=-rd_expense_stat")
    listing = [
        q["sql"]
        for q in ctx.captured_queries
        if "enterprises_enterprise" in q["sql"] and "fy" in q["sql"]
    ]
    assert listing and not any("EXISTS" in sql for sql in listing)
