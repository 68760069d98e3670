"""Pages and API: scoping by role, what-if writes nothing, ad-hoc evaluation."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.urls import reverse

from kechuang.enterprises.models import AnnualFigure
from kechuang.qualifications.models import AssessmentResult, AssessmentRun, RuleSet
from kechuang.qualifications.services import SAMPLE_CASE, assessment_run_create

from .builders import YEAR, small_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    data = small_region()
    assessment_run_create(year=YEAR)
    return data


def _as(client, region, who):
    client.force_login(region["users"][who])
    return client


def test_anonymous_is_sent_to_login(client, region):
    assert client.get(reverse("qualifications:ladder")).status_code == 302


def test_staff_sees_every_page(client, region):
    _as(client, region, "staff")
    pk = region["weak"].pk
    for url in [
        reverse("qualifications:ladder"),
        reverse("qualifications:reserve_pool"),
        reverse("qualifications:risk_list"),
        reverse("qualifications:ruleset_list"),
        reverse("qualifications:enterprise_assessment", args=[pk]),
    ]:
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("qualifications:reserve_pool") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_reserve_pool_is_scoped_to_the_town(client, region):
    _as(client, region, "town_a")
    body = client.get(
        reverse("qualifications:reserve_pool") + "?tier=tech_sme_provincial"
    ).content.decode()
    assert "甲弱企业" in body and "乙新企业" not in body and "乙零收入" not in body


def test_assessment_page_scoping(client, region):
    _as(client, region, "town_a")
    assert (
        client.get(
            reverse("qualifications:enterprise_assessment", args=[region["weak"].pk])
        ).status_code
        == 200
    )
    assert (
        client.get(
            reverse("qualifications:enterprise_assessment", args=[region["young"].pk])
        ).status_code
        == 404
    )
    _as(client, region, "ent_strong")
    own = client.get(reverse("qualifications:enterprise_assessment", args=[region["strong"].pk]))
    assert own.status_code == 200 and "甲强企业" in own.content.decode()
    assert (
        client.get(
            reverse("qualifications:enterprise_assessment", args=[region["weak"].pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("qualifications:reserve_pool")).status_code == 403


def test_leader_reads_the_ladder_only(client, region):
    _as(client, region, "leader")
    page = client.get(reverse("qualifications:ladder"))
    assert (
        page.status_code == 200
        and "?year=" not in page.content.decode().split("ladder-table")[1].split("</table>")[0]
    )
    assert client.get(reverse("qualifications:reserve_pool")).status_code == 403
    assert client.get(reverse("qualifications:risk_list")).status_code == 403
    assert (
        client.get(
            reverse("qualifications:enterprise_assessment", args=[region["weak"].pk])
        ).status_code
        == 403  # the leader's role has no assessment pages at all (not a scope question)
    )


def _counts():
    return (
        AnnualFigure.objects.count(),
        AssessmentResult.objects.count(),
        AssessmentRun.objects.count(),
        RuleSet.history.model.objects.count(),
    )


def test_whatif_changes_the_result_without_writing(client, region):
    _as(client, region, "staff")
    url = reverse("qualifications:enterprise_whatif", args=[region["weak"].pk])
    before = _counts()
    base = client.get(url, {"year": YEAR}).content.decode()
    assert 'data-testid="cond-high_tech-H5" data-status="fail"' in base
    changed = client.get(url, {"year": YEAR, "rd": "200"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="cond-high_tech-H5" data-status="pass"' in changed
    assert _counts() == before
    assert client.get(url, {"rd": "-5"}).status_code == 200  # bad input: errors shown, no 500


def test_api_results_are_scoped(client, region):
    _as(client, region, "town_a")
    data = client.get("/api/v1/qualifications/results/", {"year": YEAR, "tier": "high_tech"}).json()
    names = {r["enterprise_name"] for r in data["results"]}
    assert names == {"甲强企业", "甲弱企业"}
    other = AssessmentResult.objects.filter(enterprise=region["young"]).first()
    assert client.get(f"/api/v1/qualifications/results/{other.pk}/").status_code == 404
    _as(client, region, "leader")
    assert client.get("/api/v1/qualifications/results/").json()["count"] == 0
    assert client.get("/api/v1/qualifications/results/", {"status": "nonsense"}).status_code == 400


def test_api_evaluate(client, region):
    url = "/api/v1/qualifications/evaluate/"
    _as(client, region, "town_a")
    assert (
        client.post(url, json.dumps(SAMPLE_CASE), content_type="application/json").status_code
        == 403
    )
    _as(client, region, "ent_strong")
    ok = client.post(url, json.dumps(SAMPLE_CASE), content_type="application/json")
    assert ok.status_code == 200
    tiers = ok.json()["tiers"]
    assert tiers["tech_sme_national"]["score"] == 84 and tiers["high_tech"]["score_range"] == [
        66,
        74,
    ]
    bad = client.post(
        url,
        json.dumps({"application_date": "soon", "fiscal_years": []}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and set(bad.json()) == {"application_date", "fiscal_years"}
    bad = client.post(
        url,
        json.dumps(
            {
                "application_date": "2025-01-01",
                "ip_assets": [{"kind": "utility_model", "grant_date": "x"}],
            }
        ),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert client.post(url, "[1, 2]", content_type="application/json").status_code == 400
    assert connection.vendor in ("sqlite", "postgresql")


def test_rule_set_page_edit_by_admin_only(client, region):
    rule_set = RuleSet.objects.get()
    url = reverse("qualifications:ruleset_detail", args=[rule_set.pk])
    _as(client, region, "staff")
    page = client.get(url).content.decode()
    assert "待政策核实" in page or "pending policy verification" in page
    assert client.post(url, {}).status_code == 403
    _as(client, region, "admin")
    form = client.get(url).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    data["v:ht.min_tech_staff_ratio"] = "abc"
    bad = client.post(url, data)
    assert bad.status_code == 200 and bad.context["form"].errors["v:ht.min_tech_staff_ratio"]
    data["v:ht.min_tech_staff_ratio"] = "0.11"
    assert client.post(url, data).status_code == 302
    rule_set.refresh_from_db()
    assert rule_set.data["items"]["ht.min_tech_staff_ratio"]["value"] == "0.11"
    assert "0.11" in client.get(url).content.decode()
