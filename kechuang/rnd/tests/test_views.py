"""Pages, downloads and API of R&D investment, with role scoping."""

import io

import pytest
from docx import Document
from openpyxl import load_workbook

from kechuang.rnd.texts import FINDING_TEXTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client, users):
    def login(name):
        client.force_login(users[name])
        return client

    return login


def test_anonymous_is_sent_to_login(client, region):
    for url in ["/rnd/", "/rnd/zero/", f"/rnd/diagnosis/{region['e'][0].pk}/"]:
        assert client.get(url).status_code == 302


@pytest.mark.parametrize("by", ["town", "division", "revenue_band", "tier"])
def test_overview_shows_figures_definitions_and_links(as_user, region, by):
    html = as_user("staff").get(f"/rnd/?year=2024&by={by}&o=label").content.decode()
    assert 'data-testid="stat-above_scale_with_rd"' in html
    assert "统计口径研发费用大于0" in html  # the definition beside the figure
    assert "/enterprises/?year=2024&amp;above_scale=true" in html
    assert 'data-testid="slice-table"' in html


def test_revenue_band_drill_down_lists_the_same_enterprises(as_user, region):
    c = as_user("staff")
    r = c.get("/rnd/enterprises/?year=2024&above_scale=true&revenue_band=50m_200m")
    assert r.status_code == 200
    assert r.context["table"].paginator.count == 2  # E1 120 m, E2 60 m


def test_leader_reads_overview_without_links_but_not_lists(as_user, region):
    c = as_user("leader")
    html = c.get("/rnd/?year=2024").content.decode()
    assert "/enterprises/?year=2024" not in html
    assert c.get("/rnd/zero/").status_code == 403


def test_zero_list_flags_contradictions_and_exports(as_user, region):
    c = as_user("staff")
    html = c.get("/rnd/zero/?year=2024").content.decode()
    assert 'data-testid="contradiction-alert"' in html
    assert html.index("乙五") < html.index("乙四")
    r = c.get("/rnd/zero/?year=2024&export=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    names = [row[1] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert names == ["乙五", "乙四"]


def test_zero_list_town_officer_sees_own_town_only(as_user, region):
    html = as_user("officer_a").get("/rnd/zero/?year=2024").content.decode()
    assert "乙五" not in html


def test_diagnosis_page_and_word_report(as_user, region):
    e1 = region["e"][0]
    c = as_user("staff")
    html = c.get(f"/rnd/diagnosis/{e1.pk}/?year=2024").content.decode()
    assert 'data-testid="findings"' in html
    r = c.get(f"/rnd/diagnosis/{e1.pk}/report.docx?year=2024")
    assert r.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    # E1: 30 S&T staff, no personnel cost; super-deduction 5 m > statistical 4 m
    assert str(FINDING_TEXTS["staff_without_personnel_cost"][0]) in text
    assert str(FINDING_TEXTS["deduction_exceeds_statistical"][0]) in text
    assert "2023年第7号" in text


@pytest.mark.parametrize(
    "user,enterprise,status",
    [
        ("staff", 0, 200),
        ("officer_a", 0, 200),
        ("officer_b", 0, 404),  # town officer of another town
        ("enterprise_1", 0, 200),
        ("enterprise_2", 0, 404),  # another enterprise
        ("leader", 0, 403),
        ("expert", 0, 403),
    ],
)
def test_diagnosis_scoping(as_user, region, user, enterprise, status):
    pk = region["e"][enterprise].pk
    c = as_user(user)
    assert c.get(f"/rnd/diagnosis/{pk}/").status_code == status
    assert c.get(f"/rnd/diagnosis/{pk}/report.docx").status_code == status
    assert c.get(f"/api/v1/rnd/diagnosis/{pk}/").status_code == status


def test_api_aggregates(as_user, region):
    body = as_user("leader").get("/api/v1/rnd/aggregates/?year=2024&by=town").json()
    assert body["figures"]["above_scale_with_rd"] == 2
    assert body["figures"]["rd_expense_above_scale_yuan"] == 5200000.0
    assert {r["label"] for r in body["rows"]} == {"甲镇", "乙镇"}
    assert "above_scale_with_rd" in body["definitions"]
    assert as_user("officer_a").get("/api/v1/rnd/aggregates/").status_code == 403
    assert as_user("staff").get("/api/v1/rnd/aggregates/?by=colour").status_code == 400


def test_api_zero_is_scoped(as_user, region):
    body = as_user("staff").get("/api/v1/rnd/zero/?year=2024").json()
    assert [r["name"] for r in body["results"]] == ["乙五", "乙四"]
    assert body["results"][0]["is_contradiction"] is True
    assert body["filter_spec"]["kind"] == "zero_rd"
    assert as_user("officer_a").get("/api/v1/rnd/zero/?year=2024").json()["count"] == 0


def test_api_diagnosis_findings(as_user, region):
    e5 = region["e"][4]
    body = as_user("staff").get(f"/api/v1/rnd/diagnosis/{e5.pk}/?year=2024").json()
    codes = [f["code"] for f in body["findings"]]
    assert "zero_rd_declared" in codes and "patents_without_rd" in codes
    assert body["tax"]["cit_rate"] == 0.15  # valid high-tech enterprise
