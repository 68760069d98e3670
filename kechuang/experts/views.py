"""HTML pages of the expert pool: experts, organisations, declared relationships, conflicts.

Each view: check the capability, read through the scoped selectors (rows outside the user's
scope answer 404), write through the services, render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires
from kechuang.core.lists import list_page

from . import selectors, services
from .filters import ExpertFilterSet, OrganisationFilterSet
from .forms import ConflictCheckForm, ExpertForm, OrganisationForm, RelationshipForm
from .tables import ExpertTable, OrganisationTable


def _form_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _tabs(request, active: str) -> list[dict]:
    tabs = [
        ("expert_list", _("Expert pool"), "experts.list"),
        ("organisation_list", _("Organisations"), "organisations.view"),
        ("conflict_check", _("Conflict check"), "experts.list"),
    ]
    return [
        {"url": reverse(f"experts:{name}"), "label": label, "active": name == active}
        for name, label, capability in tabs
        if can(request.user, capability)
    ]


def _render(request, template, context, active, status=200):
    return render(request, template, {**context, "tabs": _tabs(request, active)}, status=status)


def _expert_or_404(user, pk: int):
    try:
        return selectors.expert_get(user, pk)
    except selectors.Expert.DoesNotExist as exc:
        raise Http404 from exc


def _organisation_or_404(user, pk: int):
    try:
        return selectors.organisation_get(user, pk)
    except selectors.Organisation.DoesNotExist as exc:
        raise Http404 from exc


# ------------------------------------------------------------------ experts


@requires("experts.list")
def expert_list(request):
    return list_page(
        request,
        queryset=selectors.expert_list(request.user),
        filterset_class=ExpertFilterSet,
        table_class=ExpertTable,
        template="experts/expert_list.html",
        title=_("Expert pool"),
        extra_context={
            "tabs": _tabs(request, "expert_list"),
            "rules": selectors.rules_summary(),
            "can_manage": can(request.user, "experts.manage"),
        },
    )


@requires("experts.declare")
def expert_me(request):
    """The expert's own record; bureau staff go to the pool."""
    expert = selectors.own_expert(request.user)
    if expert is None:
        if can(request.user, "experts.list"):
            return redirect("experts:expert_list")
        raise Http404
    return redirect(expert)


@requires("experts.view")
def expert_detail(request, pk: int):
    expert = _expert_or_404(request.user, pk)
    own = expert.user_id == request.user.pk
    context = {
        "expert": expert,
        "show_contact": own or can(request.user, "experts.manage"),
        "relationships": selectors.relationship_list(expert),
        "history": selectors.expert_history(expert),
        "rules": selectors.rules_summary(),
        "relationship_form": RelationshipForm() if can(request.user, "experts.declare") else None,
        "can_manage": can(request.user, "experts.manage"),
    }
    return _render(request, "experts/expert_detail.html", context, "expert_list")


@requires("experts.manage")
def expert_edit(request, pk: int | None = None):
    expert = _expert_or_404(request.user, pk) if pk else None
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "fields"}
        try:
            expert = services.expert_save(
                user=request.user, data=data, fields=form.cleaned_data["fields"], instance=expert
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Expert saved."))
            return redirect(expert)
    title = _("Edit expert") if expert else _("New expert")
    return _render(request, "experts/form.html", {"form": form, "title": title}, "expert_list")


@requires("experts.declare")
@require_POST
def relationship_add(request, pk: int):
    expert = _expert_or_404(request.user, pk)
    if not (can(request.user, "experts.manage") or expert.user_id == request.user.pk):
        raise Http404
    form = RelationshipForm(request.POST)
    if form.is_valid():
        try:
            services.relationship_save(user=request.user, data=form.cleaned_data, expert=expert)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Relationship recorded."))
            return redirect(expert)
    context = {"form": form, "title": _("Declare a relationship"), "expert": expert}
    return _render(request, "experts/form.html", context, "expert_list", status=400)


@requires("experts.manage")
@require_POST
def relationship_delete(request, pk: int, rel: int):
    expert = _expert_or_404(request.user, pk)
    relationship = selectors.relationship_list(expert).filter(pk=rel).first()
    if relationship is None:
        raise Http404
    services.relationship_delete(user=request.user, relationship=relationship)
    messages.success(request, _("Relationship removed."))
    return redirect(expert)


@requires("experts.list")
def conflict_check(request):
    """Which experts of the pool are conflicted with an applicant and its partners."""
    form = ConflictCheckForm(request.GET or None)
    rows = None
    if form.is_bound and form.is_valid():
        rows = selectors.conflict_rows(request.user, **form.cleaned_data)
    context = {"form": form, "rows": rows, "rules": selectors.rules_summary()}
    return _render(request, "experts/conflict_check.html", context, "conflict_check")


# ------------------------------------------------------------------ organisations


@requires("organisations.view")
def organisation_list(request):
    return list_page(
        request,
        queryset=selectors.organisation_list(request.user),
        filterset_class=OrganisationFilterSet,
        table_class=OrganisationTable,
        template="experts/organisation_list.html",
        title=_("Organisations"),
        extra_context={
            "tabs": _tabs(request, "organisation_list"),
            "can_manage": can(request.user, "organisations.manage"),
        },
    )


@requires("organisations.view")
def organisation_detail(request, pk: int):
    organisation = _organisation_or_404(request.user, pk)
    context = {
        "organisation": organisation,
        "experts": selectors.expert_list(request.user).filter(organisation=organisation),
        "can_manage": can(request.user, "organisations.manage"),
    }
    return _render(request, "experts/organisation_detail.html", context, "organisation_list")


@requires("organisations.manage")
def organisation_edit(request, pk: int | None = None):
    organisation = _organisation_or_404(request.user, pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_save(
                user=request.user, data=form.cleaned_data, instance=organisation
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Organisation saved."))
            return redirect(organisation)
    title = _("Edit organisation") if organisation else _("New organisation")
    return _render(
        request, "experts/form.html", {"form": form, "title": title}, "organisation_list"
    )
