"""Platform pages and services: scoping (an operator sees only its platform, a town officer its
town's), the platform page under a constant number of queries, the yearly-report round
(pre-filled, evidence and pledge checked, returned, accepted), evaluation and its public notice,
the enterprise page and dashboard panels."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kechuang.core.roles import Role
from kechuang.enterprises.models import Enterprise
from kechuang.enterprises.tests.factories import make_user
from kechuang.platforms import platform_services as svc
from kechuang.platforms.models import (
    Evaluation,
    EvaluationScheme,
    Platform,
    PlatformLink,
    PlatformReport,
    ReportingRound,
)
from kechuang.qualifications.tests.test_pages_in_chinese import visible_text

from .cast_platforms import build_platform_world

PDF = b"%PDF-1.4 test"


@pytest.fixture
def world(db):
    return build_platform_world(60)


@pytest.fixture
def staff(db):
    return make_user(Role.BUREAU_STAFF)


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_operator_sees_only_its_platform(world):
    client = _client(world["operator"])
    incubator = world["incubator"]
    other = Platform.objects.exclude(pk=incubator.pk).first()
    assert client.get(incubator.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listing = client.get("/platforms/")
    assert [p.pk for p in listing.context["table"].data] == [incubator.pk]
    assert client.get("/platforms/evaluations/").status_code == 403


def test_town_officer_sees_only_its_towns_platforms_and_enterprises(world):
    town = world["incubator"].town
    officer = make_user(Role.TOWN_OFFICER, town=town)
    client = _client(officer)
    names = {p.name for p in client.get("/platforms/").context["table"].data}
    assert names == set(Platform.objects.filter(town=town).values_list("name", flat=True))
    other = Platform.objects.exclude(town=town).first()
    assert client.get(other.get_absolute_url()).status_code == 404


def test_platform_page_shows_a_failed_condition_with_its_gap(world, staff):
    response = _client(staff).get(world["incubator"].get_absolute_url() + "?year=2024")
    assert response.status_code == 200
    body = response.content.decode()
    conditions = {c["id"]: c for c in response.context["recognition"]["conditions"]}
    assert conditions["I2"]["status"] == "fail"  # 9,000 m² < 10,000 m²
    assert conditions["I2"]["gaps"][0]["additional"] == "1,000"
    # The clause is shown; the condition's code is not (a random token may contain "I2", so
    # only the text a reader sees is searched, and the code only as a word of its own).
    assert "国科发区〔2018〕300号" in body
    assert not re.search(r"(?<![A-Za-z0-9])I2(?![A-Za-z0-9])", visible_text(body))


def test_platform_page_queries_do_not_grow_with_linked_enterprises(world, staff):
    incubator = world["incubator"]
    client = _client(staff)
    url = incubator.get_absolute_url() + "?year=2024"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    extra = Enterprise.objects.exclude(platform_links__platform=incubator)[:10]
    PlatformLink.objects.bulk_create(
        [
            PlatformLink(
                platform=incubator, enterprise=e, role="incubatee", entry_date=dt.date(2024, 3, 1)
            )
            for e in extra
        ]
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["links"]) >= 10
    assert len(many) == len(few)


def test_yearly_report_round(world, staff):
    incubator, operator = world["incubator"], world["operator"]
    round_ = ReportingRound.objects.get(year=2024)
    report = svc.report_for(round_, incubator)
    assert report.values["incubatees"] > 0  # pre-filled from the registry
    report = svc.report_save(user=operator, report=report, values={"area_m2": 10500})
    with pytest.raises(ValidationError) as missing:
        svc.report_submit(user=operator, report=report)
    assert {"evidence", "pledge"} <= set(missing.value.message_dict)
    with pytest.raises(ValidationError) as bad:
        svc.report_save(
            user=operator,
            report=report,
            values={},
            pledge=SimpleUploadedFile("pledge.pdf", b"MZ not a pdf"),
        )
    assert "pledge" in bad.value.message_dict
    report = svc.report_save(
        user=operator,
        report=PlatformReport.objects.get(pk=report.pk),
        values={},
        evidence=SimpleUploadedFile("e.pdf", PDF),
        pledge=SimpleUploadedFile("p.pdf", PDF),
    )
    svc.report_submit(user=operator, report=report)
    with pytest.raises(PermissionDenied):
        svc.report_review(user=operator, report=report, accept=True)
    with pytest.raises(ValidationError):
        svc.report_review(user=staff, report=report, accept=False, comment="")
    svc.report_review(user=staff, report=report, accept=False, comment="请补充孵化面积证明")
    report.refresh_from_db()
    assert report.status == "returned"
    report = svc.report_save(user=operator, report=report, values={"area_m2": 10000})
    svc.report_submit(user=operator, report=report)
    svc.report_review(user=staff, report=report, accept=True)
    incubator.refresh_from_db()
    assert incubator.facts["area_m2"] == 10000
    assert report.history.count() >= 5  # every step audited


def test_other_operator_cannot_write_the_report(world):
    other_platform = Platform.objects.exclude(pk=world["incubator"].pk).first()
    stranger = make_user(Role.PLATFORM_OPERATOR)
    from kechuang.platforms.models import PlatformOperator

    PlatformOperator.objects.create(user=stranger, platform=other_platform)
    report = svc.report_for(ReportingRound.objects.get(year=2024), world["incubator"])
    with pytest.raises(PermissionDenied):
        svc.report_save(user=stranger, report=report, values={})


def test_evaluation_and_publication(world, staff):
    incubator = world["incubator"]
    scheme = EvaluationScheme.objects.get(kind="incubator")
    with pytest.raises(ValidationError):
        svc.evaluation_compute(
            user=staff, platform=incubator, scheme=scheme, year=2024, expert=101, management=0
        )
    evaluation = svc.evaluation_compute(
        user=staff, platform=incubator, scheme=scheme, year=2024, expert=90, management=90
    )
    assert evaluation.grade in "ABCD" and evaluation.total is not None
    notice = svc.evaluations_publish(user=staff, year=2024, kind="incubator")
    assert (
        notice.items.count()
        == Evaluation.objects.filter(year=2024, platform__kind="incubator").count()
    )
    with pytest.raises(ValidationError):
        svc.evaluations_publish(user=staff, year=2024, kind="incubator")


def test_bad_input_answers_field_messages_not_500(world, staff):
    client = _client(staff)
    pk = world["incubator"].pk
    response = client.post(
        f"/platforms/{pk}/events/new/", {"kind": "recognised", "date": "2024-13-01"}
    )
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(
        f"/platforms/{pk}/links/new/", {"enterprise": "nonsense", "role": "incubatee"}
    )
    assert "enterprise" in response.context["form"].errors
    assert client.get("/platforms/?valid_at=abc&kind=zzz").status_code in (200, 400)
    assert client.get("/platforms/evaluations/?year=99999").status_code == 200


def test_event_moves_level_and_stage(world, staff):
    platform = Platform.objects.get(name="数字家纺技术创新中心")
    svc.event_record(user=staff, platform=platform, kind="unveiled", date=dt.date(2025, 6, 1))
    svc.event_record(
        user=staff, platform=platform, kind="recognised", date=dt.date(2025, 9, 1), level="ningbo"
    )
    platform.refresh_from_db()
    assert (platform.stage, platform.level) == ("recognised", "ningbo")
    with pytest.raises(ValidationError):
        svc.event_record(user=staff, platform=platform, kind="upgraded", date=dt.date(2025, 10, 1))
