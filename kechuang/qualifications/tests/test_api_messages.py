"""The evaluate API answers bad cases with Chinese messages, never the raw exception text."""

from __future__ import annotations

import json

import pytest

from kechuang.qualifications.services import SAMPLE_CASE

from .builders import small_region

pytestmark = pytest.mark.django_db
URL = "/api/v1/qualifications/evaluate/"


@pytest.fixture
def client_ent(client):
    client.force_login(small_region()["users"]["ent_strong"])
    return client


def _post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def test_a_case_the_engine_cannot_read_gets_a_chinese_message(client_ent):
    bad = _post(
        client_ent,
        {
            "application_date": "2025-01-01",
            "ip_assets": [{"kind": "utility_model", "grant_date": "x"}],
        },
    )
    assert bad.status_code == 400
    text = json.dumps(bad.json(), ensure_ascii=False)
    assert "isoformat" not in text and "'x'" not in text and "Error" not in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text


def test_no_rule_set_on_the_date_is_a_chinese_field_error(client_ent, monkeypatch):
    from kechuang.qualifications.api import views

    def no_rule_set(on):
        raise LookupError(f"no rule set in force on {on.isoformat()}")

    monkeypatch.setattr(views, "ruleset_in_force", no_rule_set)
    bad = _post(client_ent, SAMPLE_CASE)
    assert bad.status_code == 400
    messages = bad.json()["application_date"]
    assert "no rule set" not in messages[0] and "规则" in messages[0]


def test_not_an_object_is_a_chinese_message(client_ent):
    bad = client_ent.post(URL, "[1, 2]", content_type="application/json")
    assert bad.status_code == 400
    assert "JSON" in bad.json()["non_field_errors"][0]
    assert "must be" not in bad.json()["non_field_errors"][0]
