"""The enterprise file (docs/enterprise-file.md): which panels and timeline modules each role
sees, contacts and tags with their history, the bounded number of queries, and the printable
version. Built on the shared access cast (A1 in town A: tasks, a visit, programme applications,
a demand, a contract, a contact person and a staff tag)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kechuang.campaigns.models import VisitRecord
from kechuang.core.tests.cast import build_cast
from kechuang.enterprises.file_models import (
    EnterpriseContact,
    EnterpriseTag,
    EnterpriseTagAssignment,
)
from kechuang.enterprises.models import IntellectualProperty, Qualification

ALL_PANELS = {
    "profile",
    "tags",
    "figures",
    "qualifications",
    "assessment",
    "diagnosis",
    "visits",
    "platforms",
    "programmes",
    "cooperation",
    "history",
}
# Role → the panels of A1's file it sees (None: the file is refused).
EXPECTED_PANELS = {
    "admin": ALL_PANELS,
    "staff": ALL_PANELS,
    "officer": ALL_PANELS,  # A1 is in the officer's town
    "enterprise": ALL_PANELS - {"tags", "visits"},  # its own file, without the bureau's parts
    "agency": ALL_PANELS - {"tags", "programmes"},  # A1 delegates to the agency
    "leader": None,
    "expert": None,
    "university": None,
    "operator": None,
}
pytestmark = pytest.mark.django_db

EXPECTED_MODULES = {
    "staff": {"enterprises", "tags", "campaigns", "platforms", "programmes", "cooperation"},
    "officer": {"enterprises", "tags", "campaigns", "platforms", "programmes", "cooperation"},
    "enterprise": {"enterprises", "platforms", "programmes", "cooperation"},
    "agency": {"enterprises", "campaigns", "platforms", "cooperation"},
}


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield build_cast()
            transaction.set_rollback(True)


@pytest.fixture
def rollback(cast, db):
    """The cast, each test's changes rolled back (the test's own savepoint)."""
    return cast


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _file_url(cast) -> str:
    return reverse("enterprises:enterprise_detail", args=[cast.objects["enterprise"].pk])


def _panels(html: str) -> set[str]:
    return set(re.findall(r'data-testid="panel-([a-z_]+)"', html))


def _modules(html: str) -> set[str]:
    return set(re.findall(r'data-module="([a-z_]+)"', html))


@pytest.mark.parametrize("role", sorted(EXPECTED_PANELS))
def test_each_role_sees_its_panels_of_the_file(rollback, role):
    cast = rollback
    response = _client(cast.users[role]).get(_file_url(cast))
    expected = EXPECTED_PANELS[role]
    if expected is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert _panels(html) == expected
    if role in EXPECTED_MODULES:
        assert _modules(html) == EXPECTED_MODULES[role]
    # The staff tag never reaches a page without the tags panel.
    assert ("重点培育" in html) == ("tags" in expected)
    assert "王小明" in html  # the contact person: bureau, town, the enterprise and its agency


def test_a_town_officer_of_another_town_gets_404(rollback):
    cast = rollback
    from kechuang.campaigns.tests.factories import make_user
    from kechuang.core.roles import Role
    from kechuang.regions.models import Town

    other = Town.objects.exclude(pk=cast.objects["town_a"].pk).first()
    officer = make_user(Role.TOWN_OFFICER, town=other, username="officer_elsewhere")
    assert _client(officer).get(_file_url(cast)).status_code == 404
    print_url = reverse("enterprises:enterprise_print", args=[cast.objects["enterprise"].pk])
    assert _client(officer).get(print_url).status_code == 404


def test_timeline_is_newest_first_across_modules_and_filters_by_module(rollback):
    cast = rollback
    client = _client(cast.users["staff"])
    html = client.get(_file_url(cast)).content.decode()
    body = html.split('data-testid="timeline-table"', 1)[1]
    dates = re.findall(r'<td class="text-nowrap">(\d{4}-\d{2}-\d{2})</td>', body)
    assert len(dates) >= 3 and dates == sorted(dates, reverse=True)
    assert "高新技术企业" in body or "High-tech" in body  # the registry's certificate
    only = client.get(_file_url(cast), {"module": "campaigns"}).content.decode()
    rows = only.split('data-testid="timeline-table"', 1)[1].split("</tbody>")[0]
    assert rows.count("<tr") >= 2  # the visit and the task
    assert "enterprise registered" not in rows.lower()
    assert "签订" not in rows and "合同" not in rows
    # A module the viewer may not see is ignored (the whole timeline is shown).
    enterprise = _client(cast.users["enterprise"])
    text = enterprise.get(_file_url(cast), {"module": "campaigns"}).content.decode()
    assert 'data-module="campaigns"' not in text


def test_print_version_has_the_panels_and_the_timeline(rollback):
    cast = rollback
    url = reverse("enterprises:enterprise_print", args=[cast.objects["enterprise"].pk])
    html = _client(cast.users["enterprise"]).get(url).content.decode()
    assert 'data-testid="print-file"' in html and 'data-testid="timeline"' in html
    assert _panels(html) == EXPECTED_PANELS["enterprise"] - {"history"}
    assert "重点培育" not in html


# ------------------------------------------------------------------ contacts


def test_the_enterprise_adds_a_contact_and_it_is_in_the_history(rollback):
    cast = rollback
    enterprise = cast.objects["enterprise"]
    client = _client(cast.users["enterprise"])
    url = reverse("enterprises:contact_add", args=[enterprise.pk])
    bad = client.post(url, {"name": "李四", "role": "finance", "phone": "12345", "email": "x@"})
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "invalid-feedback" in text and text.count("invalid-feedback") >= 2
    ok = client.post(
        url,
        {"name": "李四", "role": "finance", "position": "财务经理", "phone": "0574-65123456"},
    )
    assert ok.status_code == 302
    contact = EnterpriseContact.objects.get(enterprise=enterprise, name="李四")
    record = contact.history.get()
    assert record.history_user == cast.users["enterprise"] and record.history_type == "+"
    edit = reverse("enterprises:contact_edit", args=[enterprise.pk, contact.pk])
    client.post(edit, {"name": "李四", "role": "finance", "phone": "13900001111"})
    assert contact.history.count() == 2
    page = client.get(_file_url(cast)).content.decode()
    assert "13900001111" in page


@pytest.mark.parametrize("role", ["officer", "agency", "leader"])
def test_contacts_are_changed_only_by_the_bureau_and_the_enterprise(rollback, role):
    cast = rollback
    enterprise = cast.objects["enterprise"]
    url = reverse("enterprises:contact_add", args=[enterprise.pk])
    response = _client(cast.users[role]).post(url, {"name": "赵六", "role": "other"})
    assert response.status_code == 403
    assert not EnterpriseContact.objects.filter(name="赵六").exists()


def test_an_enterprise_cannot_touch_another_enterprises_contacts(rollback):
    cast = rollback
    from kechuang.enterprises.models import Enterprise

    other = Enterprise.objects.exclude(pk=cast.objects["enterprise"].pk).first()
    contact = EnterpriseContact.objects.create(enterprise=other, name="外企联系人", role="other")
    client = _client(cast.users["enterprise"])
    url = reverse("enterprises:contact_edit", args=[other.pk, contact.pk])
    assert client.post(url, {"name": "改名", "role": "other"}).status_code == 404
    contact.refresh_from_db()
    assert contact.name == "外企联系人"


# ------------------------------------------------------------------ tags


def test_staff_add_and_remove_a_tag_and_the_town_may_not(rollback):
    cast = rollback
    enterprise = cast.objects["enterprise"]
    url = reverse("enterprises:tag_change", args=[enterprise.pk])
    staff = _client(cast.users["staff"])
    assert staff.post(url, {"name": " 专精特新后备 "}).status_code == 302
    tag = EnterpriseTag.objects.get(name="专精特新后备")
    assignment = EnterpriseTagAssignment.objects.get(enterprise=enterprise, tag=tag)
    assert assignment.created_by == cast.users["staff"]
    staff.post(url, {"name": "专精特新后备"})  # twice: still one
    assert EnterpriseTagAssignment.objects.filter(tag=tag).count() == 1
    assert staff.post(url, {"name": ""}).status_code == 302  # an error message, not a 500
    for role in ("officer", "enterprise", "agency"):
        assert _client(cast.users[role]).post(url, {"remove": tag.pk}).status_code == 403
    assert staff.post(url, {"remove": tag.pk}).status_code == 302
    assert not EnterpriseTagAssignment.objects.filter(tag=tag).exists()
    kinds = list(
        EnterpriseTagAssignment.history.filter(tag_id=tag.pk).values_list("history_type", flat=True)
    )
    assert sorted(kinds) == ["+", "-"]


def test_bulk_tag_from_the_list_selection_stays_in_scope(rollback):
    from kechuang.enterprises.file_services import tags_bulk_add
    from kechuang.enterprises.models import Enterprise

    cast = rollback
    ids = list(Enterprise.objects.values_list("pk", flat=True))
    client = _client(cast.users["staff"])
    url = reverse("enterprises:tags_bulk")
    asked = client.get(url, {"selected": ids[:5]}).content.decode()
    assert asked.count('name="selected"') == 5
    assert client.post(url, {"selected": ids[:5], "name": ""}).status_code == 200  # field error
    assert client.post(url, {}).status_code == 200  # nothing selected: a message, not a 500
    response = client.post(url, {"selected": ids[:5], "name": "年度走访"})
    assert response.status_code == 302
    tagged = EnterpriseTagAssignment.objects.filter(tag__name="年度走访")
    assert tagged.count() == 5
    assert EnterpriseTagAssignment.history.filter(tag__name="年度走访").count() == 5
    # Again with more: only the new ones are added.
    assert tags_bulk_add(user=cast.users["staff"], enterprise_ids=ids[:7], name="年度走访") == 2


# ------------------------------------------------------------------ bounded queries


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_file_runs_a_constant_number_of_queries(rollback):
    cast = rollback
    enterprise = cast.objects["enterprise"]
    client = _client(cast.users["staff"])
    url = _file_url(cast)
    _count(client, url)  # warm the caches (derived-figure memo, rule set)
    before = _count(client, url)
    today = dt.date.today()
    IntellectualProperty.objects.bulk_create(
        IntellectualProperty(enterprise=enterprise, kind="utility_model", number=f"ZL-QC-{i}")
        for i in range(6)
    )
    Qualification.objects.bulk_create(
        Qualification(
            enterprise=enterprise,
            kind="provincial_tech_sme",
            year=2015 + i,
            issue_date=dt.date(2015 + i, 6, 1),
            number=f"QC-{i}",
        )
        for i in range(4)
    )
    EnterpriseContact.objects.bulk_create(
        EnterpriseContact(enterprise=enterprise, name=f"联系人{i}", role="other") for i in range(5)
    )
    tags = EnterpriseTag.objects.bulk_create(EnterpriseTag(name=f"查询标签{i}") for i in range(4))
    EnterpriseTagAssignment.objects.bulk_create(
        EnterpriseTagAssignment(enterprise=enterprise, tag=t) for t in tags
    )
    records = VisitRecord.objects.bulk_create(
        VisitRecord(
            enterprise=enterprise,
            visit_date=today - dt.timedelta(days=i + 1),
            people_met="负责人",
            findings="回访",
            created_by=cast.users["officer"],
        )
        for i in range(5)
    )
    task = cast.objects["task"]
    VisitRecord.tasks.through.objects.bulk_create(
        VisitRecord.tasks.through(visitrecord_id=r.pk, visittask_id=task.pk) for r in records
    )
    after = _count(client, url)
    assert after == before


# ------------------------------------------------------------------ global search


def _search(client, q, api=False):
    if api:
        return client.get(reverse("enterprises-api:search"), {"q": q}).json()
    return client.get(reverse("enterprises:search"), {"q": q}).content.decode()


@pytest.mark.parametrize(
    ("role", "finds"),
    [
        ("staff", True),
        ("officer", True),  # A1 is in the officer's town
        ("enterprise", True),  # itself
        ("agency", True),  # A1 delegates to it
    ],
)
def test_search_by_name_code_and_person_in_scope(rollback, role, finds):
    cast = rollback
    a1 = cast.objects["enterprise"]
    client = _client(cast.users[role])
    by_person = _search(client, "王小明", api=True)
    assert [h["id"] for h in by_person] == [a1.pk]
    assert by_person[0]["matched"] == "person" and by_person[0]["person"] == "王小明"
    by_code = _search(client, a1.credit_code[:10], api=True)
    assert a1.pk in [h["id"] for h in by_code] and by_code[0]["matched"] == "code"
    html = _search(client, a1.name[1:])
    assert f'<mark class="kc-hit">{a1.name[1:]}</mark>' in html


def test_search_is_scoped_by_role(rollback):
    from kechuang.enterprises.models import Enterprise

    cast = rollback
    a1 = cast.objects["enterprise"]
    others = Enterprise.objects.exclude(pk=a1.pk).exclude(town=a1.town)
    other = others.first()
    EnterpriseContact.objects.create(enterprise=other, name="王小明", role="finance")
    staff = {h["id"] for h in _search(_client(cast.users["staff"]), "王小明", api=True)}
    assert staff == {a1.pk, other.pk}
    for role in ("officer", "enterprise", "agency"):
        found = {h["id"] for h in _search(_client(cast.users[role]), "王小明", api=True)}
        assert found == {a1.pk}, role
    own = _search(_client(cast.users["enterprise"]), other.name, api=True)
    assert own == []
    for role in ("leader", "expert", "university"):
        client = _client(cast.users[role])
        assert client.get(reverse("enterprises:search"), {"q": "王小明"}).status_code == 403
        assert client.get(reverse("enterprises-api:search"), {"q": "王"}).status_code == 403


def test_search_ignores_short_and_odd_queries(rollback):
    cast = rollback
    client = _client(cast.users["staff"])
    assert _search(client, "王", api=True) == []
    assert _search(client, "%_%", api=True) == []
    assert client.get(reverse("enterprises:search"), {"q": "x" * 500}).status_code == 200
    response = client.get(reverse("enterprises-api:search"), {"q": "x" * 500})
    assert response.status_code == 400  # a field error, not a 500
    page = client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert 'data-testid="topbar-search"' in page
