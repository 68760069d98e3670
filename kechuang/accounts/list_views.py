"""The user's own list tools: the column chooser, saving, renaming and deleting saved views."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import NAVIGATION, requires
from kechuang.core.filters import db_int_or_none

from .lists import (
    list_columns_save,
    saved_view_create,
    saved_view_delete,
    saved_view_rename,
    saved_views_of,
)


def _back(request, fallback: str = "accounts:saved_views"):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _errors(request, exc: ValidationError) -> None:
    for errors in exc.message_dict.values():
        for error in errors:
            messages.error(request, error)


def _own_view(request, pk: int):
    view = saved_views_of(request.user).filter(pk=db_int_or_none(pk)).first()
    if view is None:
        raise Http404
    return view


@requires("account.self")
@require_POST
def list_columns(request):
    """Store the columns chosen for a list ("reset" goes back to the list's default)."""
    columns = [] if "reset" in request.POST else request.POST.getlist("columns")
    try:
        list_columns_save(
            user=request.user, list_key=request.POST.get("list_key", ""), columns=columns
        )
    except ValidationError as exc:
        _errors(request, exc)
    return _back(request)


@requires("account.self")
def saved_views(request):
    """The user's saved views of every list, to apply, rename or delete; POST saves a new one."""
    if request.method == "POST":
        try:
            view = saved_view_create(
                user=request.user,
                list_key=request.POST.get("list_key", ""),
                name=request.POST.get("name", ""),
                query=request.POST.get("query", ""),
                columns=request.POST.getlist("columns"),
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("View “%(name)s” saved.") % {"name": view.name})
        return _back(request)
    labels = {entry[0]: entry[1] for entry in NAVIGATION}
    views = list(saved_views_of(request.user))
    for view in views:
        try:
            view.list_url = reverse(view.list_key)
        except NoReverseMatch:
            view.list_url = ""
        view.list_label = labels.get(view.list_key) or view.list_url or view.list_key
    return render(request, "accounts/saved_views.html", {"views": views})


@requires("account.self")
@require_POST
def saved_view_rename_view(request, pk: int):
    view = _own_view(request, pk)
    try:
        saved_view_rename(user=request.user, view=view, name=request.POST.get("name", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("View renamed."))
    return _back(request)


@requires("account.self")
@require_POST
def saved_view_delete_view(request, pk: int):
    view = _own_view(request, pk)
    saved_view_delete(user=request.user, view=view)
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return _back(request)
