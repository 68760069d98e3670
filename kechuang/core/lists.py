"""One list-page helper for every registry list: scope → filter → table (sort, paginate) → page,
or the same rows as an xlsx export with the entity's template headers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from .excel import table_workbook
from .forms import style_widgets
from .views import xlsx_response

# Import-format exports by entity name (`"enterprises"`, `"annual_figures"`, …):
# `(name, queryset) -> (xlsx bytes, sheet name)`, registered by the imports app from its
# AppConfig.ready() (docs/architecture.md#registries).
IMPORT_FORMAT_EXPORTERS: list[Callable[[str, Any], tuple[bytes, str]]] = []


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
):
    """Render a filtered, sortable, paginated list; `?export=xlsx` downloads the table as shown
    (columns, order, units and sort of the page, every filtered row); `?export=import` the same
    rows in the import format of the entity named `export_schema`, which imports back unchanged.

    queryset must already be scoped to the user (`for_user`). `export_queryset(filtered)` may
    map the filtered rows to the export's model (e.g. enterprises → their yearly figures).
    """
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    style_widgets(filterset.form)
    rows = (
        filterset.qs
        if filterset.is_bound and filterset.is_valid()
        else (queryset if not filterset.is_bound else queryset.none())
    )
    if request.GET.get("export") == "import" and export_schema is not None:
        data = export_queryset(rows) if export_queryset else rows
        name = export_schema if isinstance(export_schema, str) else export_schema.name
        content, sheet = IMPORT_FORMAT_EXPORTERS[0](name, data)
        return xlsx_response(content, f"{sheet}.xlsx")
    table = table_class(
        rows, **(table_kwargs(rows) if callable(table_kwargs) else (table_kwargs or {}))
    )
    if request.GET.get("export") == "xlsx":
        RequestConfig(request, paginate=False).configure(table)
        return xlsx_response(
            table_workbook(table, title=str(title or _("List"))), f"{title or _('List')}.xlsx"
        )
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    context = {
        "filter": filterset,
        "table": table,
        "import_export": export_schema is not None,
        **(extra_context or {}),
    }
    return render(request, template, context)
