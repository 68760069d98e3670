"""Every qualifications page, rendered for bureau staff in Chinese, shows Chinese labels,
operators and official clauses only: no code identifiers, JSON, verification codes, condition
ids or notes pointing at internal documents."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from kechuang.qualifications.cells import CELLS
from kechuang.qualifications.forms import EVALUATED_TIERS
from kechuang.qualifications.models import RuleSet
from kechuang.qualifications.services import assessment_run_create, ruleset_update

from .builders import YEAR, small_region

pytestmark = pytest.mark.django_db

FORBIDDEN = [
    (re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"), "snake_case identifier"),
    (re.compile(r"\bspec\b", re.I), "reference to an internal document"),
    (re.compile(r"\b(?:UN)?CONFIRMED\b|\bSECONDARY\b"), "verification code"),
    (re.compile(r"[{}]"), "JSON"),
    (re.compile(r"\b(?:direct|import):"), "internal route or reason"),
    (re.compile(r"==|>=|<=|!="), "ASCII operator"),
    (re.compile(r"\b(?:pass|fail|unknown|borderline)\b"), "engine status"),
    (re.compile(r"(?<![A-Za-z0-9])(?:C5s|C2[abc]|H5b|[CHZK]\d)(?![A-Za-z0-9])"), "condition id"),
    (
        re.compile(r"\b(?:zero denominator|manual review|not evaluated|thresholds?)\b", re.I),
        "English note",
    ),
]


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    html = re.sub(r"<!--.*?-->", " ", html, flags=re.S)
    titles = " ".join(re.findall(r'\s(?:title|aria-label|placeholder)="([^"]*)"', html))
    text = re.sub(r"<[^>]+>", " ", html) + " " + titles
    return re.sub(r"\s+", " ", text).replace("&quot;", '"').replace("&#x27;", "'")


def problems(text: str) -> list[str]:
    found = []
    for pattern, what in FORBIDDEN:
        for m in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, m.start() - 30) : m.end() + 30]}…")
    return found


@pytest.fixture
def pages(client):
    region = small_region()
    assessment_run_create(year=YEAR)
    rule_set = RuleSet.objects.get()
    ruleset_update(
        rule_set=rule_set,
        user=region["users"]["admin"],
        changes={
            "ht.min_tech_staff_ratio": {"value": "0.11"},
            "tsn.base_year_offset": {"status": "CONFIRMED"},
        },
    )
    urls = [
        reverse("qualifications:ladder") + f"?year={YEAR}",
        reverse("qualifications:risk_list") + f"?year={YEAR}",
        reverse("qualifications:ruleset_list"),
        reverse("qualifications:ruleset_detail", args=[rule_set.pk]),
    ]
    for tier, _label in EVALUATED_TIERS:
        urls.append(reverse("qualifications:reserve_pool") + f"?year={YEAR}&tier={tier}")
        for cell in CELLS:
            urls.append(
                reverse("qualifications:assessment_results")
                + f"?year={YEAR}&tier={tier}&cell={cell}"
            )
    for key in ("strong", "weak", "young", "empty", "odd"):
        pk = region[key].pk
        urls.append(reverse("qualifications:enterprise_assessment", args=[pk]) + f"?year={YEAR}")
        urls.append(
            reverse("qualifications:enterprise_whatif", args=[pk])
            + f"?year={YEAR}&rd=1000&hightech_income=5&no_incidents=no"
        )
    client.force_login(region["users"]["staff"])
    return client, urls


def test_every_page_is_in_chinese_without_code_identifiers(pages):
    client, urls = pages
    found = []
    with translation.override("zh-hans"):
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
            assert response.status_code == 200, url
            found += [f"{url}: {p}" for p in problems(visible_text(response.content.decode()))]
    assert not found, "\n".join(found[:40])


def test_the_scan_catches_developer_text():
    for sample in ["tech_staff 20", "direct:high_tech_certificate", "pass == pass",
                   "import:generator", "employees_avg = 10", "spec \u00a75", "UNCONFIRMED",
                   '{"a": 1}', "缺少数据：H7"]:  # fmt: skip
        assert problems(sample), sample
