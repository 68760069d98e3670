"""Pages of the notifications app (docs/notifications.md#pages): the user's list with the
read/unread filter and mark-as-read (htmx), the user's mutes, the bureau admin's rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import requires

from . import selectors, services
from .forms import MuteForm, RuleForm
from .registry import KINDS

PAGE = "notifications/"
STATES = {"", "unread", "read"}


@requires("notifications.view")
def notification_list(request):
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    page = Paginator(selectors.notification_list(request.user, state), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        PAGE + "notification_list.html",
        {
            "page": page,
            "state": state,
            "unread": selectors.unread_count(request.user),
        },
    )


@requires("notifications.view")
@require_POST
def mark_read(request):
    """Mark one (`id`) or all (`all`) of the user's own notifications read; an htmx request
    for one gets its row back, others go back to the list."""
    ids = None if request.POST.get("all") else request.POST.getlist("id")
    services.mark_read(request.user, ids)
    if request.htmx and ids:
        rows = selectors.notification_list(request.user).filter(
            pk__in=[i for i in ids if i.isdigit() and len(i) < 19]
        )
        return render(
            request,
            PAGE + "_rows.html",
            {
                "rows": rows,
                "oob_count": True,
                "unread": selectors.unread_count(request.user),
            },
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return redirect(target or "notifications:notification_list")


@requires("notifications.view")
def notification_settings(request):
    muted = selectors.muted_kinds(request.user)
    form = MuteForm(
        request.POST if request.method == "POST" else None,  # unticking every box posts nothing
        initial={"receive": [c for c in KINDS if c not in muted]},
    )
    if request.method == "POST" and form.is_valid():
        services.mutes_set(request.user, form.muted())
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:notification_settings")
    return render(
        request,
        PAGE + "settings.html",
        {"form": form, "kinds": selectors.rule_rows(), "muted": muted},
    )


@requires("notifications.rules")
def rule_list(request):
    errors: dict[str, RuleForm] = {}
    if request.method == "POST":
        form = RuleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            services.rule_update(
                data["kind"],
                enabled=data["enabled"],
                lead=data["lead"],
                email=data["email"],
                user=request.user,
            )
            messages.success(request, _("The rule was saved."))
            return redirect("notifications:rule_list")
        errors[request.POST.get("kind", "")] = form
    rows = [(kind, rule, errors.get(kind.code)) for kind, rule in selectors.rule_rows()]
    return render(
        request,
        PAGE + "rule_list.html",
        {"rows": rows, "history": selectors.rule_history()},
    )
