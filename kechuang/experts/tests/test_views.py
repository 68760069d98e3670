"""Expert-pool pages: scoping per role, forms with field-level errors, no 500 on bad input."""

import datetime as dt

import pytest
from django.urls import reverse

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_enterprise, make_user
from kechuang.experts.models import Expert, ExpertRelationship, OrganisationMember

from .factories import make_expert, make_field, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    staff = make_user(Role.BUREAU_STAFF)
    expert_user = make_user(Role.EXPERT)
    university = make_user(Role.UNIVERSITY)
    uni = make_organisation(name="宁波大学")
    other = make_organisation(name="浙江大学宁波研究院")
    OrganisationMember.objects.create(user=university, organisation=uni)
    field = make_field("460", "材料科学")
    mine = make_expert(uni, name="王教授", user=expert_user, phone="0574-1234567")
    mine.fields.add(field)
    stranger = make_expert(other, name="李研究员", phone="0574-7654321")
    return {
        "staff": staff,
        "expert": expert_user,
        "university": university,
        "mine": mine,
        "stranger": stranger,
        "uni": uni,
        "field": field,
    }


def _get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs or None))


def test_pool_list_filters_and_export_for_staff(client, pool):
    client.force_login(pool["staff"])
    page = client.get(reverse("experts:expert_list"), {"field": pool["field"].pk})
    assert page.status_code == 200
    body = page.content.decode()
    assert "王教授" in body and "李研究员" not in body and "待政策核实" in body
    export = client.get(reverse("experts:expert_list"), {"export": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    for bad in ({"field": "abc"}, {"organisation": "99999999999999999999"}, {"availability": "x"}):
        assert client.get(reverse("experts:expert_list"), bad).status_code == 200


def test_expert_sees_own_record_with_contact_and_not_others(client, pool):
    assert _get(client, pool["expert"], "experts:expert_list").status_code == 403
    me = _get(client, pool["expert"], "experts:expert_me")
    assert me.status_code == 302 and me["Location"] == pool["mine"].get_absolute_url()
    own = _get(client, pool["expert"], "experts:expert_detail", pk=pool["mine"].pk)
    assert own.status_code == 200 and "0574-1234567" in own.content.decode()
    assert (
        _get(client, pool["expert"], "experts:expert_detail", pk=pool["stranger"].pk).status_code
        == 404
    )


def test_university_sees_its_organisation_experts_without_contact(client, pool):
    page = _get(client, pool["university"], "experts:expert_detail", pk=pool["mine"].pk)
    assert page.status_code == 200 and "0574-1234567" not in page.content.decode()
    assert (
        _get(
            client, pool["university"], "experts:expert_detail", pk=pool["stranger"].pk
        ).status_code
        == 404
    )
    orgs = _get(client, pool["university"], "experts:organisation_list").content.decode()
    assert "宁波大学" in orgs and "浙江大学宁波研究院" not in orgs


def test_expert_declares_a_relationship_with_field_errors_first(client, pool):
    client.force_login(pool["expert"])
    url = reverse("experts:relationship_add", kwargs={"pk": pool["mine"].pk})
    bad = client.post(url, {"kind": "relative", "since": "2024-05-01", "until": "2020-01-01"})
    assert bad.status_code == 400
    assert {"enterprise", "until"} <= set(bad.context["form"].errors)
    enterprise = make_enterprise()
    good = client.post(
        url, {"kind": "shareholder", "enterprise": enterprise.credit_code, "since": "2023-01-01"}
    )
    assert good.status_code == 302
    rel = ExpertRelationship.objects.get(expert=pool["mine"])
    assert rel.declared_by == pool["expert"] and rel.history.count() == 1
    # Not on somebody else's record.
    other = reverse("experts:relationship_add", kwargs={"pk": pool["stranger"].pk})
    assert (
        client.post(other, {"kind": "relative", "enterprise": enterprise.credit_code}).status_code
        == 404
    )


def test_staff_creates_an_expert_and_bad_input_is_field_level(client, pool):
    client.force_login(pool["staff"])
    url = reverse("experts:expert_create")
    bad = client.post(url, {"name": "", "organisation": "abc", "email": "x", "availability": "?"})
    assert bad.status_code == 200
    form = bad.context["form"]
    assert {"name", "organisation", "email", "availability"} <= set(form.errors)
    ok = client.post(
        url,
        {
            "name": "赵工",
            "organisation": pool["uni"].pk,
            "title": "高级工程师",
            "fields": [pool["field"].pk],
            "summary": "锂电池材料",
            "availability": "limited",
            "available_from": "2025-01-01",
            "available_until": "2024-01-01",
            "active": "on",
        },
    )
    assert ok.status_code == 200 and "available_until" in ok.context["form"].errors
    ok = client.post(
        url,
        {
            "name": "赵工",
            "organisation": pool["uni"].pk,
            "fields": [pool["field"].pk],
            "availability": "available",
            "active": "on",
        },
    )
    assert ok.status_code == 302
    created = Expert.objects.get(name="赵工")
    assert list(created.fields.all()) == [pool["field"]]
    assert created.history.first().history_user == pool["staff"]


def test_conflict_check_page_lists_reasons(client, pool):
    applicant = make_enterprise()
    ExpertRelationship.objects.create(
        expert=pool["stranger"], kind="relative", enterprise=applicant, since=dt.date(2020, 1, 1)
    )
    client.force_login(pool["staff"])
    page = client.get(
        reverse("experts:conflict_check"),
        {"applicant": applicant.credit_code, "partners": [pool["uni"].pk]},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "李研究员" in body and "王教授" in body
    assert (
        client.get(reverse("experts:conflict_check"), {"applicant": "nonsense"}).status_code == 200
    )


def test_api_scopes_and_hides_contact(pool):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(pool["university"])
    rows = api.get("/api/v1/experts/experts/").json()
    rows = rows.get("results", rows)
    assert [r["name"] for r in rows] == ["王教授"] and "phone" not in rows[0]
    api.force_authenticate(pool["expert"])
    mine = api.get(f"/api/v1/experts/experts/{pool['mine'].pk}/").json()
    assert mine["phone"] == "0574-1234567"
    assert api.get(f"/api/v1/experts/experts/{pool['stranger'].pk}/").status_code == 404
    assert api.post("/api/v1/experts/experts/", {"name": "x"}).status_code == 403
    enterprise = make_enterprise()
    made = api.post(
        "/api/v1/experts/relationships/",
        {"expert": pool["mine"].pk, "kind": "relative", "enterprise": enterprise.pk},
        format="json",
    )
    assert made.status_code == 201, made.content
    refused = api.post(
        "/api/v1/experts/relationships/",
        {"expert": pool["stranger"].pk, "kind": "relative", "enterprise": enterprise.pk},
        format="json",
    )
    assert refused.status_code == 400
