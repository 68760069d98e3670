"""Public notice pages without sign-in: redaction, the objection form (honeypot, fill time,
throttle, window), the receipt; staff handling pages."""

import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kechuang.notices.forms import fill_token
from kechuang.notices.models import Objection

from .factories import make_notice

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()


def _payload(notice, **kw):
    values = {
        "item": notice.items.first().pk,
        "name": "张三",
        "organisation": "某公司",
        "contact": "13800000000",
        "reasons": "该项目申报的专利并非本单位所有。",
        "website": "",
        "token": fill_token(notice.pk, time.time() - 60),
    }
    values.update(kw)
    return values


def test_public_pages_need_no_sign_in_and_show_only_published_fields(client):
    notice, objs, _staff = make_notice()
    listing = client.get(reverse("notices:notice_list"))
    assert listing.status_code == 200 and notice.title in listing.content.decode()
    page = client.get(notice.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert objs[0].name in body and "项目名称" in body
    # The owner's other data never reach the page (the credit code was not passed).
    assert objs[0].credit_code not in body
    assert "公示期" in body and "objection-form" in body


def test_anonymous_objection_gives_a_receipt_and_holds_the_item(client):
    notice, objs, _staff = make_notice()
    response = client.post(notice.get_absolute_url(), _payload(notice))
    assert response.status_code == 302
    objection = Objection.objects.get()
    receipt = client.get(response["Location"])
    assert objection.receipt_no in receipt.content.decode()
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "13800000000" not in page  # contact never public
    assert notice.items.first().held


@pytest.mark.parametrize(
    "change",
    [
        {"website": "http://spam.example"},  # honeypot
        {"token": "forged"},
        {"token": fill_token(0, time.time() - 60)},  # another notice's token
    ],
)
def test_spam_protection_refuses_without_a_record(client, change):
    notice, _objs, _staff = make_notice()
    response = client.post(notice.get_absolute_url(), _payload(notice, **change))
    assert response.status_code == 400
    assert not Objection.objects.exists()


def test_too_fast_a_submission_is_refused(client):
    notice, _objs, _staff = make_notice()
    response = client.post(notice.get_absolute_url(), _payload(notice, token=fill_token(notice.pk)))
    assert response.status_code == 400 and not Objection.objects.exists()


def test_throttle_per_address(client, settings):
    settings.KECHUANG_OBJECTION_THROTTLE_PER_HOUR = 2
    notice, _objs, _staff = make_notice()
    codes = [client.post(notice.get_absolute_url(), _payload(notice)).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Objection.objects.count() == 2


def test_bad_input_is_field_level_never_500(client):
    notice, _objs, _staff = make_notice()
    response = client.post(
        notice.get_absolute_url(), _payload(notice, item="abc", name="", reasons="")
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"item", "name", "reasons"} <= set(errors)
    fake = client.post(
        notice.get_absolute_url(),
        {**_payload(notice), "evidence": SimpleUploadedFile("证明.pdf", b"MZ not a pdf")},
    )
    assert fake.status_code == 400
    assert client.get(reverse("notices:notice_detail", kwargs={"pk": 999999})).status_code == 404


def test_objection_after_the_window_is_refused(client):
    import datetime as dt

    from django.utils import timezone

    notice, _objs, _staff = make_notice(published_at=timezone.now() - dt.timedelta(days=30))
    page = client.get(notice.get_absolute_url()).content.decode()
    assert "objection-form" not in page
    response = client.post(notice.get_absolute_url(), _payload(notice))
    assert response.status_code == 400 and not Objection.objects.exists()


def test_draft_is_not_public(client, django_user_model):
    from kechuang.notices.services import ItemSpec, notice_publish

    _n, objs, staff = make_notice()
    draft = notice_publish(
        kind="other",
        title="草稿公示",
        body="",
        items=[ItemSpec(objs[0], [])],
        window_days=5,
        working_days=True,
        user=staff,
        draft=True,
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(staff)
    assert "草稿公示" in client.get(reverse("notices:notice_manage")).content.decode()


def test_staff_handles_an_objection_through_the_pages(client):
    notice, _objs, staff = make_notice()
    client.post(notice.get_absolute_url(), _payload(notice))
    objection = Objection.objects.get()
    client.force_login(staff)
    assert client.get(reverse("notices:objection_list")).status_code == 200
    url = objection.get_absolute_url()
    assert client.post(url, {"action": "dismiss", "reply": ""}).status_code == 400
    assert client.post(url, {"action": "bogus"}).status_code == 400
    assert client.post(url, {"action": "dismiss", "reply": "经核实不成立。"}).status_code == 302
    objection.refresh_from_db()
    assert objection.status == "dismissed" and not notice.items.first().held
    page = client.get(url).content.decode()
    assert "经核实不成立。" in page
