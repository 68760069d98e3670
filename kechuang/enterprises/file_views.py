"""HTML views of the enterprise file (docs/enterprise-file.md): its printable version, the
contact persons, staff tags and the global search. The file page itself is
`views.enterprise_detail`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import requires
from kechuang.core.lists import selected_ids

from .file_forms import ContactForm, SearchForm, TagForm
from .file_services import (
    contact_create,
    contact_delete,
    contact_update,
    tag_add,
    tag_remove,
    tags_bulk_add,
)
from .pages import contact_for, enterprise_for, file_page
from .search import MIN_QUERY, normalise_query, search_enterprises, split_match

__all__ = [
    "enterprise_print",
    "contact_add",
    "contact_edit",
    "contact_remove",
    "tag_change",
    "tags_bulk",
    "search",
]


@requires("enterprise.view")
def enterprise_print(request, pk: int):
    """The file on paper: every panel the viewer may see and the whole timeline."""
    enterprise = enterprise_for(request.user, pk)
    return render(request, "enterprises/enterprise_print.html", file_page(enterprise, request.user))


def _contact_form(request, enterprise, contact=None):
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ContactForm.Meta.fields}
        try:
            if contact is None:
                contact_create(user=request.user, enterprise=enterprise, **fields)
            else:
                contact_update(user=request.user, contact=contact, **fields)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Contact person saved."))
            return redirect(enterprise.get_absolute_url() + "#contacts")
    context = {"enterprise": enterprise, "form": form, "contact": contact}
    return render(request, "enterprises/contact_form.html", context)


@requires("contacts.change")
def contact_add(request, pk: int):
    return _contact_form(request, enterprise_for(request.user, pk))


@requires("contacts.change")
def contact_edit(request, pk: int, contact_pk: int):
    enterprise = enterprise_for(request.user, pk)
    return _contact_form(request, enterprise, contact_for(request.user, enterprise, contact_pk))


@requires("contacts.change")
@require_POST
def contact_remove(request, pk: int, contact_pk: int):
    enterprise = enterprise_for(request.user, pk)
    contact_delete(user=request.user, contact=contact_for(request.user, enterprise, contact_pk))
    messages.success(request, _("Contact person removed."))
    return redirect(enterprise.get_absolute_url() + "#contacts")


@requires("enterprise.tag")
@require_POST
def tag_change(request, pk: int):
    """POST name=… adds a tag; POST remove=<tag id> takes one off."""
    enterprise = enterprise_for(request.user, pk)
    remove = request.POST.get("remove", "")
    if remove:
        if not remove.isdigit():
            return HttpResponseBadRequest(_("Unknown tag."))
        tag_remove(user=request.user, enterprise=enterprise, tag_id=int(remove))
    else:
        form = TagForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError(form.errors.get("name") or _("Enter the tag's name."))
            tag_add(user=request.user, enterprise=enterprise, name=form.cleaned_data["name"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(enterprise.get_absolute_url() + "#tags")


@requires("enterprise.tag")
def tags_bulk(request):
    """The enterprise list's bulk action: GET ?selected=… asks for the tag, POST (selected
    repeated, name) puts it on the selected enterprises of the user's scope."""
    data = request.POST if request.method == "POST" else request.GET
    ids = selected_ids(data)
    posted = request.method == "POST"
    form = TagForm(request.POST if posted else None)
    if posted and form.is_valid() and ids:
        try:
            count = tags_bulk_add(
                user=request.user, enterprise_ids=ids, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error("name", exc.messages)
        else:
            messages.success(request, _("%(count)s enterprises tagged.") % {"count": count})
            return redirect("enterprises:enterprise_list")
    if posted and not ids:
        form.add_error(None, _("Select enterprises and enter the tag's name."))
    return render(
        request, "enterprises/tags_bulk.html", {"form": form, "ids": ids, "count": len(ids)}
    )


@requires("search.enterprises")
def search(request):
    """/enterprises/search/?q=: enterprises by name, credit code or person, with the match
    highlighted."""
    form = SearchForm(request.GET or None)
    query = normalise_query(request.GET.get("q"))
    hits = search_enterprises(request.user, query)
    rows = [
        {
            "hit": hit,
            "name": split_match(hit.enterprise.name, query)
            if hit.matched == "name"
            else (hit.enterprise.name, "", ""),
            "code": split_match(hit.enterprise.credit_code, query.replace(" ", ""))
            if hit.matched == "code"
            else (hit.enterprise.credit_code, "", ""),
            "person": split_match(hit.person, query),
        }
        for hit in hits
    ]
    context = {"form": form, "query": query, "rows": rows, "too_short": 0 < len(query) < MIN_QUERY}
    return render(request, "enterprises/search.html", context)
