"""One list-page helper for every registry list: scope → filter → table (sort, paginate) → page,
or the same rows as an xlsx export with the entity's template headers.

Every list also gets the officer's own tools (docs/console.md#lists): the columns the user chose
for it, the user's saved views (filters, sort and columns under a name), "export this view" with
exactly the columns shown, and, where the list declares them, bulk actions on the selected rows.
The choices are stored by the accounts app, which registers its store in `LIST_STATE`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig
from django_tables2.utils import Sequence

from . import datacache
from .access import can
from .excel import table_workbook
from .filters import db_int_or_none
from .forms import style_widgets
from .views import xlsx_response

__all__ = [
    "BULK_ACTIONS",
    "IMPORT_FORMAT_EXPORTERS",
    "LIST_STATE",
    "BulkAction",
    "ListState",
    "CountedPaginator",
    "list_count",
    "list_page",
    "list_query",
    "selected_ids",
]

# Import-format exports by entity name (`"enterprises"`, `"annual_figures"`, …):
# `(name, queryset) -> (xlsx bytes, sheet name)`, registered by the imports app from its
# AppConfig.ready() (docs/architecture.md#registries).
IMPORT_FORMAT_EXPORTERS: list[Callable[[str, Any], tuple[bytes, str]]] = []

# Query-string parameters that are not part of a view (paging, downloads, the selection).
NOT_IN_VIEW = ("page", "export", "export_entity", "selected", "saved_view")
SELECT_COLUMN = "selected"
MAX_SELECTED = 5000


@dataclass
class ListState:
    """What a user has stored for one list: chosen columns (None: the list's default), the
    saved views, and the saved view being applied (None when the page is not one)."""

    columns: list[str] | None = None
    views: list[Any] = field(default_factory=list)
    active_view: Any = None


# The store of list choices: `(user, list_key, saved_view_id) -> ListState`, registered by the
# accounts app from its AppConfig.ready() (docs/architecture.md#registries).
LIST_STATE: list[Callable[[Any, str, int | None], ListState]] = []


@dataclass(frozen=True)
class BulkAction:
    """An action on the selected rows of a list: a page of a higher app that receives the
    selection (`selected` ids, POST) and asks for what it needs, e.g. assigning visit tasks."""

    label: Any
    url_name: str
    capability: str


# List key (the list page's URL name) → its bulk actions, registered by higher apps.
BULK_ACTIONS: dict[str, list[BulkAction]] = {}


_QUOTED = re.compile(r'"([A-Za-z0-9_]+)"')


def list_count(queryset) -> int:
    """The exact number of rows of a list's queryset, computed once per data version.

    At province scale the COUNT(*) behind "1–25 of N" is the slowest query of a list page
    (docs/performance.md#list-pages). When every table the query reads is a source table of the
    shared memo (`datacache.SOURCE_MODELS`, whose data version changes with any saved row), the
    count is reused by every server process until the data changes — still exact, so a card's
    figure equals its list's count. Queries reading any other table count every time.
    """
    counted = queryset.order_by().select_related(None)
    try:
        sql, params = counted.query.sql_with_params()
    except EmptyResultSet:  # e.g. `queryset.none()` for a form with errors: no query at all
        return counted.count()
    model_tables = {m._meta.db_table for m in apps.get_models()}
    read = set(_QUOTED.findall(sql)) & model_tables
    sources = {m._meta.db_table for m in datacache.SOURCE_MODELS}
    if not read or not read <= sources:
        return counted.count()
    return datacache.memoised("list_count", lambda _sql, _params: counted.count(), sql, params)


class CountedPaginator(Paginator):
    """django-tables2's paginator with the list's count from `list_count`."""

    @cached_property
    def count(self) -> int:
        data = getattr(getattr(self.object_list, "data", None), "data", None)
        if hasattr(data, "query"):
            return list_count(data)
        return super().count


def selected_ids(data) -> list[int]:
    """The valid primary keys of a `selected` parameter (bad values are ignored)."""
    ids = (db_int_or_none(v) for v in data.getlist(SELECT_COLUMN)[:MAX_SELECTED])
    return sorted({i for i in ids if i is not None})


def list_query(params) -> str:
    """The filters and sort of a query string, without paging, downloads and the selection."""
    kept = params.copy()
    for name in NOT_IN_VIEW:
        kept.pop(name, None)
    return kept.urlencode()


def _list_state(request, list_key: str) -> ListState:
    if not LIST_STATE or not request.user.is_authenticated:
        return ListState()
    view_id = db_int_or_none(request.GET.get("saved_view"))
    return LIST_STATE[0](request.user, list_key, view_id)


def _apply_columns(table, chosen: list[str] | None) -> list[dict]:
    """Hide the columns the user did not choose; the chooser's entries (name, label, shown)."""
    names = [c.name for c in table.columns if c.name != SELECT_COLUMN and c.visible]
    wanted = [n for n in (chosen or []) if n in names]
    shown = set(wanted or names)
    for name in names:
        if name not in shown:
            table.columns.hide(name)
    return [
        {"name": c.name, "label": c.header, "shown": c.name in shown}
        for c in table.columns
        if c.name in names
    ]


def list_page(
    request,
    *,
    queryset,
    filterset_class,
    table_class,
    template: str,
    export_schema: str | None = None,
    export_queryset=None,
    table_kwargs=None,
    extra_context=None,
    per_page: int = 25,
    title=None,
    list_key: str | None = None,
    selectable: bool = False,
):
    """Render a filtered, sortable, paginated list; `?export=xlsx` downloads the table as shown
    (columns, order, units and sort of the page, every filtered row); `?export=import` the same
    rows in the import format of the entity named `export_schema`, which imports back unchanged.

    queryset must already be scoped to the user (`for_user`). `export_queryset(filtered)` may
    map the filtered rows to the export's model (e.g. enterprises → their yearly figures).
    list_key names the list for the user's columns and saved views (default: the URL name);
    `?selected=<id>&…` narrows the rows (and so the export) to the selection; a `selectable`
    list shows a check box per row for it (and for the list's bulk actions).
    """
    match = getattr(request, "resolver_match", None)
    list_key = list_key or (match.view_name if match else "") or "list"
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    style_widgets(filterset.form)
    rows = (
        filterset.qs
        if filterset.is_bound and filterset.is_valid()
        else (queryset if not filterset.is_bound else queryset.none())
    )
    selection = selected_ids(request.GET)
    if selection:
        rows = rows.filter(pk__in=selection)
    if request.GET.get("export") == "import" and export_schema is not None:
        data = export_queryset(rows) if export_queryset else rows
        name = export_schema if isinstance(export_schema, str) else export_schema.name
        content, sheet = IMPORT_FORMAT_EXPORTERS[0](name, data)
        return xlsx_response(content, f"{sheet}.xlsx")
    kwargs = table_kwargs(rows) if callable(table_kwargs) else dict(table_kwargs or {})
    actions = [a for a in BULK_ACTIONS.get(list_key, []) if can(request.user, a.capability)]
    exporting = request.GET.get("export") == "xlsx"
    if selectable and not exporting:
        kwargs["extra_columns"] = [
            *kwargs.get("extra_columns", []),
            (
                SELECT_COLUMN,
                tables.CheckBoxColumn(
                    accessor="pk",
                    orderable=False,
                    attrs={
                        "input": {"form": "bulk-form", "aria-label": _("Select")},
                        "th__input": {"aria-label": _("Select all"), "data-select-all": "1"},
                    },
                ),
            ),
        ]
        kwargs.setdefault("sequence", [SELECT_COLUMN, *_sequence(table_class)])
    table = table_class(rows, **kwargs)
    state = _list_state(request, list_key)
    chosen = state.active_view.columns if state.active_view is not None else state.columns
    chooser = _apply_columns(table, chosen)
    if exporting:
        RequestConfig(request, paginate=False).configure(table)
        return xlsx_response(
            table_workbook(table, title=str(title or _("List"))), f"{title or _('List')}.xlsx"
        )
    RequestConfig(
        request, paginate={"per_page": per_page, "paginator_class": CountedPaginator}
    ).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "import_export": export_schema is not None,
        "list_tools": {
            "key": list_key,
            "columns": chooser,
            "views": state.views,
            "active_view": state.active_view,
            "query": list_query(request.GET),
            "actions": actions,
            "selectable": selectable,
            "path": request.path,
        },
        **(extra_context or {}),
    }
    return render(request, template, context)


def _sequence(table_class) -> list[str]:
    """The table's own column order, expanded (Meta.sequence, else Meta.fields, then the rest)."""
    meta = table_class._meta
    declared = meta.sequence or ((*meta.fields, "...") if meta.fields else ("...",))
    sequence = Sequence(declared)
    sequence.expand(table_class.base_columns.keys())
    return [name for name in sequence if name != SELECT_COLUMN]
