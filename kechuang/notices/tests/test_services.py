"""Publishing, objections inside/outside the window, holds, handling, final list, handlers."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kechuang.notices import registry
from kechuang.notices.choices import ItemOutcome, NoticeKind, NoticeStatus, ObjectionStatus
from kechuang.notices.models import ObjectionEvent
from kechuang.notices.services import (
    held_object_ids,
    is_held,
    notice_close,
    notice_finalise,
    noticed_object_ids,
    objection_file,
    objection_handle,
    throttle_allows,
)

from .factories import make_notice

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _file(notice, now=None, item=None, **kw):
    values = {"name": "张三", "contact": "13800000000", "reasons": "申报材料与事实不符。"}
    values.update(kw)
    return objection_file(notice=notice, item=item or notice.items.first(), now=now, **values)


def test_publish_computes_the_window_and_items_keep_only_given_fields():
    start = dt.datetime(2020, 12, 29, 9, 0, tzinfo=SHANGHAI)
    notice, objs, _user = make_notice(published_at=start)
    assert notice.status == NoticeStatus.PUBLISHED
    assert notice.window_last_day == dt.date(2021, 1, 5)
    items = list(notice.items.all())
    assert [i.position for i in items] == [1, 2]
    assert items[0].fields == [["项目名称", "项目1"], ["承担单位", objs[0].name]]
    assert items[0].owner == objs[0]


def test_publish_refuses_bad_input_with_field_messages(django_user_model):
    from kechuang.notices.services import notice_publish

    with pytest.raises(ValidationError) as exc:
        notice_publish(
            kind="nope", title="", body="", items=[], window_days=0, working_days=False, user=None
        )
    assert set(exc.value.message_dict) == {"kind", "title", "items", "window_length"}


def test_objection_in_the_last_minute_is_accepted_and_after_it_refused():
    start = dt.datetime(2020, 12, 29, 9, 0, tzinfo=SHANGHAI)
    notice, _objs, _user = make_notice(published_at=start)
    last_minute = dt.datetime(2021, 1, 5, 23, 59, 30, tzinfo=SHANGHAI)
    objection = _file(notice, now=last_minute)
    assert objection.receipt_no.startswith("YY20210105-")
    with pytest.raises(ValidationError) as exc:
        _file(notice, now=dt.datetime(2021, 1, 6, 0, 0, tzinfo=SHANGHAI))
    assert "2021年01月05日" in exc.value.messages[0]


def test_objection_before_publication_is_refused():
    start = dt.datetime(2020, 12, 29, 9, 0, tzinfo=SHANGHAI)
    notice, _objs, _user = make_notice(published_at=start)
    with pytest.raises(ValidationError):
        _file(notice, now=start - dt.timedelta(minutes=1))


def test_working_day_window_over_national_day():
    start = dt.datetime(2024, 9, 30, 10, 0, tzinfo=SHANGHAI)
    notice, _objs, _user = make_notice(published_at=start, days=3, working=True)
    assert notice.window_last_day == dt.date(2024, 10, 9)
    _file(notice, now=dt.datetime(2024, 10, 5, 12, 0, tzinfo=SHANGHAI))  # during the holiday
    with pytest.raises(ValidationError):
        _file(notice, now=dt.datetime(2024, 10, 10, 0, 0, tzinfo=SHANGHAI))


def test_hold_release_and_handlers(monkeypatch, django_capture_on_commit_callbacks):
    events = []
    monkeypatch.setitem(
        registry.NOTICE_HANDLERS,
        NoticeKind.PROGRAMME_PROJECTS,
        lambda e, i: events.append((e, i.pk)),
    )
    notice, objs, staff = make_notice()
    first, second = notice.items.all()
    with django_capture_on_commit_callbacks(execute=True):
        a = _file(notice, item=first)
        b = _file(notice, item=first)
    assert is_held(objs[0]) and not is_held(objs[1])
    assert held_object_ids(type(objs[0])) == {objs[0].pk}
    assert events == [("item_held", first.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        objection_handle(objection=a, action="investigate", user=staff)
        objection_handle(objection=a, action="dismiss", reply="经核实，情况属实。", user=staff)
    assert is_held(objs[0])  # b is still open
    with django_capture_on_commit_callbacks(execute=True):
        objection_handle(objection=b, action="uphold", reply="异议成立。", user=staff)
    first.refresh_from_db()
    assert not first.held and first.outcome == ItemOutcome.REMOVED
    assert events[-1] == ("item_released", first.pk)
    assert list(ObjectionEvent.objects.filter(objection=a).values_list("action", flat=True)) == [
        "filed",
        "investigate",
        "dismiss",
    ]


def test_handling_steps_are_table_driven():
    notice, _objs, staff = make_notice()
    objection = _file(notice)
    with pytest.raises(ValidationError) as exc:
        objection_handle(objection=objection, action="dismiss", reply="", user=staff)
    assert "reply" in exc.value.message_dict
    objection_handle(objection=objection, action="dismiss", reply="不成立。", user=staff)
    with pytest.raises(ValidationError):
        objection_handle(objection=objection, action="investigate", user=staff)
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED


def test_finalise_refused_while_held_then_confirms(django_capture_on_commit_callbacks, monkeypatch):
    start = dt.datetime(2020, 12, 29, 9, 0, tzinfo=SHANGHAI)
    notice, objs, staff = make_notice(published_at=start)
    objection = _file(notice, now=start + dt.timedelta(days=1))
    after = dt.datetime(2021, 1, 6, 9, 0, tzinfo=SHANGHAI)
    with pytest.raises(ValidationError):
        notice_close(notice=notice, user=staff, now=start + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        notice_finalise(notice=notice, user=staff, now=after)
    objection_handle(objection=objection, action="uphold", reply="成立。", user=staff)
    events = []
    monkeypatch.setitem(
        registry.NOTICE_HANDLERS, NoticeKind.PROGRAMME_PROJECTS, lambda e, i: events.append(e)
    )
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_finalise(
            notice=notice.__class__.objects.get(pk=notice.pk), user=staff, now=after
        )
    assert notice.status == NoticeStatus.FINAL
    assert list(notice.items.values_list("outcome", flat=True)) == ["removed", "confirmed"]
    assert events == ["finalised", "finalised"]
    assert noticed_object_ids(type(objs[0]), kind=NoticeKind.PROGRAMME_PROJECTS, year=2020) == {
        o.pk for o in objs
    }
    assert noticed_object_ids(type(objs[0]), year=2021) == set()


def test_evidence_content_is_checked():
    notice, _objs, _staff = make_notice()
    fake = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as exc:
        _file(notice, evidence=fake)
    assert "evidence" in exc.value.message_dict
    good = SimpleUploadedFile("证明.pdf", b"%PDF-1.4\n%%EOF")
    assert _file(notice, evidence=good).evidence.name.endswith(".pdf")


def test_throttle_counts_per_key(settings):
    from django.core.cache import cache

    cache.clear()
    assert [throttle_allows("1.2.3.4", limit=2) for _ in range(3)] == [True, True, False]
    assert throttle_allows("5.6.7.8", limit=2)
