"""The rows of a django-tables2 table as ready HTML cells, for every list page's table body.

django-tables2 renders each cell through `BoundRow.get_cell`, which inspects the render
method's signature, merges and computes the column's attributes and resolves the accessor's
model field for every cell; with the template loop around it that was most of a list page's
CPU (docs/performance.md#list-pages). Here each visible column is prepared once per page — its
render function's arguments, its `<td>` attributes when they do not depend on the row, whether
its accessor reads a field with choices — and each cell then costs one accessor lookup and one
render call. The output is the same markup django-tables2's own template produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in the stubs
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.utils import A, AttributeDict, signature

__all__ = ["TableBody", "table_body"]


@dataclass
class _Plan:
    """One visible column, prepared for every row of the page."""

    bound: Any
    accessor: A
    args: tuple[str, ...] | None  # render's argument names (None: it takes **kwargs)
    link_args: tuple[str, ...] | None
    td: SafeString | None  # the cell attributes, when the same for every row
    empty_values: tuple
    default: Any
    many: bool
    text_link: bool
    localize: bool | None
    display: dict  # (model class, field name) → whether to call get_<field>_display()


def _arguments(fn) -> tuple[str, ...] | None:
    args, kwargs_name = signature(fn)
    return None if kwargs_name else args


def _has_callables(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callables(v)) for v in attrs.values())


def _td_is_static(bound) -> bool:
    attrs = {**bound._table.attrs, **bound.column.attrs}
    cell = attrs.get("td", attrs.get("cell", {}))
    return not _has_callables(cell)


def _plan(bound) -> _Plan:
    link = bound.link
    return _Plan(
        bound=bound,
        accessor=A(bound.accessor),
        args=_arguments(bound.render),
        link_args=_arguments(link) if link else None,
        td=mark_safe(bound.attrs["td"].as_html()) if _td_is_static(bound) else None,
        empty_values=bound.column.empty_values,
        default=bound.default,
        many=isinstance(bound.column, ManyToManyColumn),
        text_link=isinstance(bound.column, BaseLinkColumn) and bound.column.text is not None,
        localize=bound.localize,
        display={},
    )


def _call(fn, args: tuple[str, ...] | None, kwargs: dict):
    if args is None:
        return fn(**kwargs)
    if any(a not in kwargs for a in args):
        return None
    return fn(**{a: kwargs[a] for a in args})


def _value(plan: _Plan, record) -> tuple[bool, Any]:
    """(found, value) as `BoundRow._get_and_render_with` reads it (get_FOO_display for a
    field with choices)."""
    accessor = plan.accessor
    penultimate, remainder = accessor.penultimate(record)
    if isinstance(penultimate, models.Model):
        key = (type(penultimate), remainder)
        uses_display = plan.display.get(key)
        if uses_display is None:
            try:
                field = accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            uses_display = bool(
                getattr(field, "choices", ())
                and getattr(penultimate, f"get_{remainder}_display", None)
            )
            plan.display[key] = uses_display
        if uses_display:
            return True, getattr(penultimate, f"get_{remainder}_display")()
    try:
        return True, accessor.resolve(record)
    except Exception:  # noqa: BLE001 — a column that reads no field (django-tables2 #257)
        return False, None


def _cell(plan: _Plan, row, record):
    found, value = _value(plan, record)
    bound = plan.bound
    kwargs = {
        "value": value,
        "record": record,
        "column": bound.column,
        "bound_column": bound,
        "bound_row": row,
        "table": bound._table,
    }
    if not found and plan.text_link:
        return _call(bound.render, plan.args, {k: v for k, v in kwargs.items() if k != "value"})
    if value in plan.empty_values or (plan.many and not value.exists()):
        return plan.default
    content = _call(bound.render, plan.args, kwargs)
    if bound.link:
        return _call(bound.link, plan.link_args, {**kwargs, "content": content})
    return content


def _td(plan: _Plan, record, value) -> SafeString:
    if plan.td is not None:
        return plan.td
    bound = plan.bound
    bound.current_record, bound.current_value = record, value
    return mark_safe(bound.attrs["td"].as_html())


def _html(plan: _Plan, value) -> str:
    """`{{ cell }}` (or `|localize` / `|unlocalize`) as the template would print it."""
    if plan.localize is not False:
        value = localize(template_localtime(value))
    return conditional_escape(value)


@dataclass
class TableBody:
    """The page's rows: `rows` is a list of (row attributes, cells), a cell (td attributes,
    HTML)."""

    rows: list[tuple[SafeString, list[tuple[SafeString, str]]]]


def table_body(table) -> TableBody:
    """Render the shown rows of `table` (its page when paginated) cell by cell."""
    plans = [_plan(bound) for bound in table.columns]
    row_attrs_static = not table.row_attrs
    rows = []
    for row in table.paginated_rows:
        record = row.record
        cells = []
        for plan in plans:
            value = _cell(plan, row, record)
            cells.append((_td(plan, record, value), _html(plan, value)))
        attrs = (
            mark_safe(f'class="{row.get_even_odd_css_class()}"')
            if row_attrs_static
            else mark_safe(AttributeDict(row.attrs).as_html())
        )
        rows.append((attrs, cells))
    return TableBody(rows=rows)
