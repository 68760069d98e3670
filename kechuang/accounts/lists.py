"""Each user's own list choices: the columns of a list and the saved views (docs/console.md#lists).

The store behind `kechuang.core.lists.LIST_STATE`: reads are two queries per list page whatever
the number of rows; writes keep their history (django-simple-history) with the user as author.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kechuang.core.lists import ListState

from .models import ListPreference, SavedListView

__all__ = [
    "list_columns_save",
    "list_state",
    "saved_view_create",
    "saved_view_delete",
    "saved_view_rename",
    "saved_views_of",
]

_KEY = re.compile(r"^[\w:.-]{1,100}$")
_COLUMN = re.compile(r"^\w{1,64}$")
MAX_COLUMNS = 60


def _key(list_key: str) -> str:
    if not _KEY.match(list_key or ""):
        raise ValidationError({"list_key": [_("Unknown list.")]})
    return list_key


def _columns(columns: list[str]) -> list[str]:
    """The column names, checked (names of the table's columns; unknown ones are ignored on
    the page, so only their form is checked here)."""
    kept = [c for c in dict.fromkeys(columns) if _COLUMN.match(c or "")]
    return kept[:MAX_COLUMNS]


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": [_("Give the view a name.")]})
    if len(name) > 64:
        raise ValidationError({"name": [_("At most 64 characters.")]})
    return name


# ------------------------------------------------------------------ reads


def list_state(user: Any, list_key: str, view_id: int | None) -> ListState:
    """The user's columns and views of one list, and the view `view_id` if it is theirs."""
    columns = (
        ListPreference.objects.filter(user=user, list_key=list_key)
        .values_list("columns", flat=True)
        .first()
    )
    views = list(saved_views_of(user, list_key))
    active = next((v for v in views if v.pk == view_id), None) if view_id else None
    return ListState(columns=columns or None, views=views, active_view=active)


def saved_views_of(user: Any, list_key: str | None = None) -> Any:
    """The user's saved views (of one list, or of every list); never another user's."""
    rows = SavedListView.objects.filter(user=user)
    return rows.filter(list_key=list_key) if list_key else rows.order_by("list_key", "name")


# ------------------------------------------------------------------ writes


@transaction.atomic
def list_columns_save(*, user: Any, list_key: str, columns: list[str]) -> ListPreference | None:
    """Store the user's columns of a list; no columns means back to the list's default."""
    list_key = _key(list_key)
    columns = _columns(columns)
    row = ListPreference.objects.filter(user=user, list_key=list_key).first()
    if not columns:
        if row is not None:
            row._history_user = user  # type: ignore[attr-defined]
            row.delete()
        return None
    row = row or ListPreference(user=user, list_key=list_key)
    row.columns = columns
    row._history_user = user  # type: ignore[attr-defined]
    row.save()
    return row


def _save_view(view: SavedListView, user: Any) -> SavedListView:
    view._history_user = user  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            view.full_clean(exclude=["user"])
            view.save()
    except ValidationError as exc:
        if "__all__" in exc.message_dict:  # the unique name per user and list
            raise ValidationError(
                {"name": [_("You already have a view with this name on this list.")]}
            ) from exc
        raise
    except IntegrityError as exc:
        raise ValidationError(
            {"name": [_("You already have a view with this name on this list.")]}
        ) from exc
    return view


def saved_view_create(
    *, user: Any, list_key: str, name: str, query: str, columns: list[str]
) -> SavedListView:
    """Save the list's current filters and sort (`query`) and columns under a name."""
    if len(query or "") > 2000:
        raise ValidationError({"query": [_("Too many filters to save in one view.")]})
    view = SavedListView(
        user=user,
        list_key=_key(list_key),
        name=_name(name),
        query=(query or "").lstrip("?"),
        columns=_columns(columns),
    )
    return _save_view(view, user)


def saved_view_rename(*, user: Any, view: SavedListView, name: str) -> SavedListView:
    if view.user_id != user.pk:
        raise ValidationError({"name": [_("Unknown view.")]})
    view.name = _name(name)
    return _save_view(view, user)


@transaction.atomic
def saved_view_delete(*, user: Any, view: SavedListView) -> None:
    if view.user_id != user.pk:
        raise ValidationError({"name": [_("Unknown view.")]})
    view._history_user = user  # type: ignore[attr-defined]
    view.delete()
