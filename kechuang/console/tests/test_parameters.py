"""Rule values pending verification and evaluation-scheme weights from the console: changed
through their apps' services, with history, field messages on bad input, still unconfirmed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.platforms.models import EvaluationScheme
from kechuang.qualifications.models import RuleSet
from kechuang.qualifications.services import ruleset_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_admin():
    admin = make_user(Role.BUREAU_ADMIN)
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(admin)
    client.admin = admin
    return client


def test_a_pending_rule_value_changes_and_stays_pending(client_admin):
    rule_set = RuleSet.objects.order_by("-effective_from").first() or ruleset_seed()[0]
    url = reverse("console:ruleset_parameters", args=[rule_set.pk])
    form = client_admin.get(url).context["form"]
    assert form.items and all(i["status"] == "UNCONFIRMED" for i in form.items.values())
    key = "cult.min_sales_growth"
    assert key in form.items
    bad = client_admin.post(url, {f"v:{key}": "abc"})
    assert bad.status_code == 200 and f"v:{key}" in bad.context["form"].errors
    response = client_admin.post(url, {f"v:{key}": "0.12"})
    assert response.status_code == 302
    rule_set.refresh_from_db()
    item = rule_set.data["items"][key]
    assert (item["value"], item["status"]) == ("0.12", "UNCONFIRMED")
    assert rule_set.history.first().history_user == client_admin.admin
    page = client_admin.get(url).content.decode()
    assert "待政策核实" in page


def test_scheme_weights_and_grade_limits(client_admin):
    scheme = EvaluationScheme.objects.create(
        name="测试方案",
        kind="incubator",
        config={
            "indicators": [{"code": "mentors", "label": "创业导师", "weight": 10, "target": 10}],
            "weights": {"quantitative": 60, "expert": 30, "management": 10},
            "grades": [["A", 90], ["B", 80], ["C", 60]],
        },
    )
    url = reverse("console:scheme_parameters", args=[scheme.pk])
    data = {
        "w_quantitative": "50",
        "w_expert": "40",
        "w_management": "10",
        "g_A": "85",
        "g_B": "88",
        "g_C": "60",
        "i_mentors": "-1",
    }
    bad = client_admin.post(url, data)
    assert bad.status_code == 200 and "i_mentors" in bad.context["form"].errors
    bad = client_admin.post(url, {**data, "i_mentors": "12"})
    assert "g_B" in bad.context["form"].errors
    response = client_admin.post(url, {**data, "i_mentors": "12", "g_B": "75"})
    assert response.status_code == 302
    scheme.refresh_from_db()
    assert scheme.config["weights"] == {"quantitative": 50, "expert": 40, "management": 10}
    assert scheme.config["grades"] == [["A", 85], ["B", 75], ["C", 60]]
    assert scheme.config["indicators"][0]["weight"] == 12
    assert scheme.pending_verification
    assert scheme.history.first().history_user == client_admin.admin
