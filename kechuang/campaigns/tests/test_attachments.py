"""Visit-record attachments: size and content checks (abuse cases) and the scoped download."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.campaigns import services
from kechuang.campaigns.attachments import MAIN_PARTS, check_attachment
from kechuang.campaigns.forms import VisitRecordForm
from kechuang.campaigns.models import VisitAttachment

from .factories import YEAR, make_world

pytestmark = pytest.mark.django_db
DUE = dt.date.today() + dt.timedelta(days=30)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _ooxml(ext: str, extra: dict[str, bytes] | None = None, content_type: bytes | None = None):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        main = content_type if content_type is not None else MAIN_PARTS[ext]
        z.writestr(
            "[Content_Types].xml",
            b'<?xml version="1.0"?><Types><Override PartName="/x" ContentType="'
            + main
            + b'"/></Types>',
        )
        z.writestr("word/document.xml" if ext == "docx" else "xl/workbook.xml", b"<x/>")
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return buffer.getvalue()


def _file(name, content):
    return SimpleUploadedFile(name, content, "application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("签到表.pdf", b"%PDF-1.7\n%test"),
        ("现场.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32),
        ("现场.png", PNG),
        ("纪要.docx", _ooxml("docx")),
        ("台账.xlsx", _ooxml("xlsx")),
    ],
)
def test_real_files_pass(name, content):
    check_attachment(_file(name, content))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 64),  # an executable renamed .pdf
        ("photo.jpg", PNG),  # PNG content under a .jpg name
        ("photo.png", b"GIF89a"),
        ("report.docx", b"MZ\x90\x00"),  # renamed executable
        ("report.docx", _ooxml("xlsx")),  # a workbook named as a document
        ("report.xlsx", _ooxml("xlsx", content_type=b"application/zip")),
        ("notes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),  # binary Office: refused
        ("tool.exe", b"MZ"),
        ("archive.zip", _ooxml("docx")),
    ],
)
def test_mismatched_or_other_types_are_refused(name, content):
    with pytest.raises(ValidationError):
        check_attachment(_file(name, content))


def test_zip_bomb_is_refused():
    bomb = _ooxml("docx", extra={"word/media/pad.bin": b"\x00" * (8 << 20)})
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError) as exc:
        check_attachment(_file("纪要.docx", bomb))
    assert exc.value.code == "file_bomb"


def test_size_is_counted_not_trusted(settings):
    settings.KECHUANG_VISIT_ATTACHMENT_MAX_MB = 1
    big = _file("大.pdf", b"%PDF-1.7\n" + b"0" * (1 << 20))
    with pytest.raises(ValidationError) as exc:
        check_attachment(big)
    assert exc.value.code == "file_too_large"
    lying = _file("大.pdf", b"%PDF-1.7\n" + b"0" * (1 << 20))
    lying.size = 10  # a declared size that lies is not believed
    with pytest.raises(ValidationError):
        check_attachment(lying)


def test_default_limit_is_twenty_megabytes():
    from kechuang.campaigns.attachments import max_bytes

    assert max_bytes() == 20 << 20


def test_form_refuses_a_renamed_executable():
    form = VisitRecordForm(
        {"visit_date": dt.date.today(), "people_met": "x", "findings": "y", "outcome": "visited"},
        {"attachments": [_file("签到表.pdf", b"MZ\x90\x00")]},
        siblings=[],
    )
    assert not form.is_valid()
    assert "attachments" in form.errors


# ------------------------------------------------------------------ download


@pytest.fixture
def world_with_attachment(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = make_world()
    campaign = services.campaign_create(
        user=w.staff, name="零申报走访", kind="zero_declaration", due_date=DUE,
        target_spec={"kind": "zero_rd", "year": YEAR},
    )  # fmt: skip
    task = campaign.tasks.get(enterprise=w.a1)
    services.task_reassign(task=task, assignee=w.officer_a, user=w.staff)
    record = services.visit_record_create(
        user=w.officer_a, task=task, visit_date=dt.date.today(), people_met="x", findings="y",
        files=[_file("签到表.pdf", b"%PDF-1.7\n%signed")],
    )  # fmt: skip
    return w, record.attachments.get()


def test_download_is_an_uncached_attachment(client, world_with_attachment):
    w, attachment = world_with_attachment
    url = reverse("campaigns:attachment_download", args=[attachment.pk])
    for user in (w.officer_a, w.staff):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"%PDF-1.7\n%signed"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]


def test_download_outside_the_scope_is_404(client, world_with_attachment):
    w, attachment = world_with_attachment
    url = reverse("campaigns:attachment_download", args=[attachment.pk])
    for user in (w.officer_b, w.other_agency_user):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(w.enterprise_user)
    assert client.get(url).status_code == 403  # the role lacks the capability
    client.logout()
    assert client.get(url).status_code == 302


def test_task_page_links_the_download(client, world_with_attachment):
    w, attachment = world_with_attachment
    client.force_login(w.officer_a)
    task = attachment.record.tasks.get()
    page = client.get(reverse("campaigns:task_detail", args=[task.pk])).content.decode()
    assert reverse("campaigns:attachment_download", args=[attachment.pk]) in page
    assert VisitAttachment.objects.count() == 1
