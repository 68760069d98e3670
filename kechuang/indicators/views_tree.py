"""The tree editor of an indicator set (bureau staff): pillars, sub-indices, indicators, their
weights and each level's aggregation, every edit checked and recorded
(docs/indicators.md#editing-the-tree)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kechuang.core.access import requires

from .forms import LevelsForm, MemberForm, NodeForm
from .models import IndicatorSet
from .selectors import indicator_by_code
from .tree_editor import (
    TreeEditError,
    editor_rows,
    indicator_choices,
    level_rows,
    levels_update,
    member_add,
    member_by_code,
    member_remove,
    member_update,
    node_add,
    node_by_code,
    node_delete,
    node_update,
    parent_choices,
    tree_changes,
)


def _edit_form(indicator_set: IndicatorSet, code: str, data=None):
    """The form editing node or indicator `code` (None when there is no such one)."""
    if node := node_by_code(indicator_set, code):
        initial = {"name_zh": node.name_zh, "weight": node.weight,
                   "parent": node.parent.code if node.parent_id else "Index"}  # fmt: skip
        form = NodeForm(data, editing=True, initial=initial,
                        parents=parent_choices(indicator_set, moving=code))  # fmt: skip
        return form, node, None
    if member := member_by_code(indicator_set, code):
        initial = {"weight": member.weight,
                   "parent": member.node.code if member.node_id else "Index"}  # fmt: skip
        form = MemberForm(data, initial=initial, parents=parent_choices(indicator_set))
        return form, None, member
    return None, None, None


def _apply(request: HttpRequest, s: IndicatorSet, action: str, forms: dict) -> str | None:
    """Carry out one POSTed edit; the success message, or None (errors are on the forms)."""
    data, user, target = request.POST, request.user, request.POST.get("target", "")
    parents = parent_choices(s)
    if action == "delete_node" and (node := node_by_code(s, target)):
        node_delete(s, node, user=user)
        return _("Node deleted.")
    if action == "remove_member" and (member := member_by_code(s, target)):
        member_remove(s, member, user=user)
        return _("Indicator removed from the set.")
    if action == "add_node":
        form = forms["add_node"] = NodeForm(data, parents=parents, prefix="node")
        if form.is_valid():
            node_add(s, **form.cleaned_data, user=user)
            return _("Node added.")
    elif action == "add_member":
        form = forms["add_member"] = MemberForm(
            data, parents=parents, indicators=indicator_choices(s), prefix="member"
        )
        if form.is_valid():
            d = form.cleaned_data
            member_add(s, indicator=indicator_by_code(d["indicator"]), parent=d["parent"],
                       weight=d["weight"], user=user)  # fmt: skip
            return _("Indicator added.")
    elif action == "edit":
        form, node, member = _edit_form(s, target, data)
        forms["edit"], forms["editing"] = form, target
        if form is not None and form.is_valid():
            if node is not None:
                node_update(s, node, **form.cleaned_data, user=user)
            else:
                member_update(s, member, **form.cleaned_data, user=user)
            return _("Saved.")
    elif action == "levels":
        form = forms["levels"] = LevelsForm(data, levels=level_rows(s))
        if form.is_valid():
            levels_update(s, form.levels(), user=user)
            return _("Aggregation saved as a new methodology version.")
    return None


@requires("indicators.manage")
@require_http_methods(["GET", "POST"])
def set_tree_page(request: HttpRequest, code: str) -> HttpResponse:
    """The set's tree with effective weights; forms to add, edit, move and delete nodes."""
    s = get_object_or_404(IndicatorSet, code=code)
    editing = request.GET.get("edit", "")[:64]
    parents = parent_choices(s)
    forms: dict = {
        "add_node": NodeForm(parents=parents, prefix="node", initial={"weight": 1}),
        "add_member": MemberForm(parents=parents, indicators=indicator_choices(s),
                                 prefix="member", initial={"weight": 1}),  # fmt: skip
        "levels": LevelsForm(levels=level_rows(s)),
        "edit": _edit_form(s, editing)[0] if editing else None, "editing": editing,
    }  # fmt: skip
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            done = _apply(request, s, action, forms)
        except TreeEditError as exc:
            done = None
            form = forms.get("edit" if action == "edit" else action)
            if form is not None:
                form.add_errors(exc.errors)
            else:
                messages.error(request, str(exc))
        if done:
            messages.success(request, done)
            return redirect("indicators:set_tree", code=code)
        status = 400
    rows = editor_rows(s)
    context = {
        "set": s, "rows": rows, "forms": forms, "changes": tree_changes(s),
        "edit_name": next((r["name"] for r in rows if r["code"] == forms["editing"]), ""),
    }  # fmt: skip
    return render(request, "indicators/set_tree.html", context, status=status)
