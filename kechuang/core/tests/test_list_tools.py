"""The officer's list tools: the column chooser, saved views per user, "export this view" with
the on-screen columns, the exported selection, and a query count that does not grow."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from kechuang.accounts.models import ListPreference, SavedListView
from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import (
    make_annual_figure,
    make_enterprise,
    make_town,
    make_user,
)

pytestmark = pytest.mark.django_db

LIST = "enterprises:enterprise_list"


@pytest.fixture
def registry():
    town = make_town("浒山街道")
    return [make_annual_figure(make_enterprise(town=town), 2024).enterprise for _ in range(3)]


def _client(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _headers(content: bytes) -> list[str]:
    ws = load_workbook(io.BytesIO(content)).active
    return [c.value for c in next(ws.iter_rows(max_row=1))]


def test_chosen_columns_are_shown_and_exported(registry):
    staff = make_user(Role.BUREAU_STAFF)
    client = _client(staff)
    url = reverse(LIST)
    client.post(
        reverse("accounts:list_columns"),
        {"list_key": LIST, "columns": ["name", "town", "bogus"], "next": url},
    )
    assert ListPreference.objects.get(user=staff).columns == ["name", "town", "bogus"]
    page = client.get(url)
    columns = [c for c in page.context["table"].columns if c.name != "selected"]
    assert [c.name for c in columns] == ["name", "town"]
    shown = [str(c.header) for c in columns]
    assert _headers(client.get(url, {"export": "xlsx"}).content) == shown
    # Another officer still sees every column.
    other = _client(make_user(Role.BUREAU_STAFF)).get(url).context["table"]
    assert len([c for c in other.columns if c.name != "selected"]) > 2
    # Back to the default.
    client.post(reverse("accounts:list_columns"), {"list_key": LIST, "reset": "1"})
    assert not ListPreference.objects.filter(user=staff).exists()


def test_saved_views_belong_to_their_user(registry):
    mine, theirs = make_user(Role.BUREAU_STAFF), make_user(Role.BUREAU_STAFF)
    client = _client(mine)
    client.post(
        reverse("accounts:saved_views"),
        {
            "list_key": LIST,
            "name": "规上",
            "query": "above_scale=true&sort=-operating_revenue",
            "columns": ["name", "operating_revenue"],
        },
    )
    view = SavedListView.objects.get(user=mine)
    assert view.history.first().history_user == mine
    duplicate = client.post(
        reverse("accounts:saved_views"), {"list_key": LIST, "name": "规上", "query": ""}
    )
    assert duplicate.status_code == 302 and SavedListView.objects.count() == 1
    applied = client.get(reverse(LIST), {"above_scale": "true", "saved_view": view.pk})
    tools = applied.context["list_tools"]
    assert tools["active_view"] == view and [v.pk for v in tools["views"]] == [view.pk]
    assert [c.name for c in applied.context["table"].columns if c.visible] == [
        "selected",
        "name",
        "operating_revenue",
    ]
    # The other user neither sees, applies, renames nor deletes it.
    other = _client(theirs)
    page = other.get(reverse(LIST), {"saved_view": view.pk})
    assert page.context["list_tools"]["views"] == []
    assert page.context["list_tools"]["active_view"] is None
    assert view.name not in other.get(reverse("accounts:saved_views")).content.decode()
    rename = reverse("accounts:saved_view_rename", args=[view.pk])
    assert other.post(rename, {"name": "x"}).status_code == 404
    assert other.post(reverse("accounts:saved_view_delete", args=[view.pk])).status_code == 404
    # The owner renames (a blank name is refused) and deletes.
    client.post(rename, {"name": "  "})
    client.post(rename, {"name": "规上企业"})
    view.refresh_from_db()
    assert view.name == "规上企业"
    client.post(reverse("accounts:saved_view_delete", args=[view.pk]))
    assert not SavedListView.objects.exists()


def test_export_of_the_selection(registry):
    client = _client(make_user(Role.BUREAU_STAFF))
    first = registry[0]
    content = client.get(
        reverse(LIST), {"export": "xlsx", "selected": [first.pk, "x", "1e30"]}
    ).content
    ws = load_workbook(io.BytesIO(content)).active
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][0] == first.name


def test_list_tools_cost_a_fixed_number_of_queries(registry, django_assert_max_num_queries):
    staff = make_user(Role.BUREAU_STAFF)
    client = _client(staff)
    client.post(reverse("accounts:list_columns"), {"list_key": LIST, "columns": ["name", "tiers"]})
    for i in range(3):
        SavedListView.objects.create(user=staff, list_key=LIST, name=f"v{i}", query="")
    with django_assert_max_num_queries(60) as small:
        client.get(reverse(LIST))
    town = registry[0].town
    for _ in range(20):
        make_annual_figure(make_enterprise(town=town), 2024)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse(LIST))
