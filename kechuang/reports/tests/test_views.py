"""/reports/ through real URLs: staff generate and download, leaders download read-only, other
roles get 403, anonymous users go to the login page."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from kechuang.reports.models import Report

URL = "/reports/"


@pytest.fixture
def login(client, demo, db):
    def _login(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return _login


def test_anonymous_is_sent_to_login(client, demo, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("username", ["town", "enterprise", "expert", "agency"])
def test_other_roles_are_refused(login, username):
    assert login(username).get(URL).status_code == 403


def test_staff_generates_a_workbook_and_downloads_it(login):
    client = login("staff")
    page = client.get(URL)
    assert page.status_code == 200 and b'data-testid="report-form"' in page.content
    response = client.post(URL, {"year": "2024", "format": "xlsx"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.year, report.format, report.generated_by.username) == (2024, "xlsx", "staff")
    assert report.figures > 0 and report.duration_ms > 0
    listed = client.get(response["Location"])
    assert report.filename.encode() in listed.content

    download = client.get(report.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Type"].endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''" in download["Content-Disposition"]
    book = load_workbook(io.BytesIO(download.content))
    assert "企业梯队" in book.sheetnames


def test_invalid_year_creates_nothing(login):
    response = login("staff").post(URL, {"year": "1990", "format": "docx"})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_leader_reads_and_downloads_but_cannot_generate(login):
    staff = get_user_model().objects.get(username="staff")
    report = Report.objects.create(
        year=2024,
        format="pdf",
        filename="r.pdf",
        content=b"%PDF-1.7 test",
        size=13,
        duration_ms=1,
        generated_by=staff,
    )
    client = login("leader")
    page = client.get(URL)
    assert page.status_code == 200
    assert b'data-testid="report-form"' not in page.content
    assert b'data-testid="download-latest"' in page.content
    assert client.get(report.get_absolute_url()).content == b"%PDF-1.7 test"
    assert client.post(URL, {"year": "2024", "format": "docx"}).status_code == 403
    assert Report.objects.count() == 1


def test_other_roles_cannot_download(login):
    report = Report.objects.create(
        year=2024, format="pdf", filename="r.pdf", content=b"x", size=1, duration_ms=1
    )
    assert login("town").get(report.get_absolute_url()).status_code == 403
