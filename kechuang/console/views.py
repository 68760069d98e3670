"""Pages of the Chinese admin console (docs/console.md): the bureau admin's users, towns and
peer regions, rule-set and evaluation parameters. Every write goes through a service that
records who did it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.accounts.admin_services import account_set_active, password_reset_temporary
from kechuang.accounts.lockout import locked_accounts
from kechuang.accounts.services import lockout_release
from kechuang.core.access import requires
from kechuang.core.lists import list_page
from kechuang.platforms.platform_services import scheme_parameters_update
from kechuang.qualifications.services import ruleset_update
from kechuang.regions.services import peer_region_save, town_save

from . import selectors
from .filters import UserFilterSet
from .forms import PeerRegionForm, RuleParametersForm, SchemeParametersForm, TownForm, UserForm
from .services import console_user_save
from .tables import UserTable

NOTIFICATION_RULES = "/notifications/rules/"


def _form_errors(form, exc: ValidationError) -> None:
    for key, errors in exc.message_dict.items():
        form.add_error(key if key in form.fields else None, errors)


def _user(pk: int):
    user = selectors.user_rows().filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


@requires("console.view")
def home(request):
    try:
        resolve(NOTIFICATION_RULES)
        rules_url = NOTIFICATION_RULES
    except Resolver404:
        rules_url = None
    return render(request, "console/home.html", {"notification_rules_url": rules_url})


@requires("console.users")
def user_list(request):
    return list_page(
        request,
        queryset=selectors.user_rows(),
        filterset_class=UserFilterSet,
        table_class=UserTable,
        template="console/user_list.html",
        title=_("Users"),
    )


@requires("console.users")
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = console_user_save(actor=request.user, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Account created. Reset its password to hand it over."))
            return redirect("console:user_edit", pk=user.pk)
    return render(request, "console/user_form.html", {"form": form, "account": None})


@requires("console.users")
def user_edit(request, pk: int):
    account = _user(pk)
    form = UserForm(request.POST or None, initial=selectors.user_initial(account), editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            console_user_save(
                actor=request.user, data=form.cleaned_data, user=account, request=request
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Account saved."))
            return redirect("console:user_edit", pk=account.pk)
    context = {
        "form": form,
        "account": account,
        "locks": [lock for lock in locked_accounts() if lock.username == account.username],
        "events": selectors.account_events(account),
    }
    return render(request, "console/user_form.html", context)


@requires("console.users")
@require_POST
def user_active(request, pk: int):
    account = _user(pk)
    active = request.POST.get("active") == "1"
    try:
        account_set_active(actor=request.user, user=account, active=active, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Account activated.") if active else _("Account deactivated."))
    return redirect("console:user_edit", pk=account.pk)


@requires("console.users")
@require_POST
def user_password_reset(request, pk: int):
    """A temporary password, shown in this response only; changed at the next log-in."""
    account = _user(pk)
    password = password_reset_temporary(actor=request.user, user=account, request=request)
    return render(
        request, "console/password_reset.html", {"account": account, "password": password}
    )


@requires("console.users")
@require_POST
def user_unlock(request, pk: int):
    account = _user(pk)
    lockout_release(actor=request.user, username=account.username, request=request)
    messages.success(
        request, _("The lock on %(username)s has been released.") % {"username": account.username}
    )
    return redirect("console:user_edit", pk=account.pk)


def _record_form(request, *, form, save, template: str, context: dict, done: str):
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(done)
    return render(request, template, {"form": form, **context})


@requires("console.regions")
def regions(request):
    """Towns/streets of the home region and the peer regions of the rankings."""
    return render(
        request,
        "console/regions.html",
        {"towns": selectors.towns(), "peers": selectors.peer_regions()},
    )


@requires("console.regions")
def town_edit(request, pk: int | None = None):
    town = get_object_or_404(selectors.towns(), pk=pk) if pk else None
    return _record_form(
        request,
        form=TownForm(request.POST or None, instance=town),
        save=lambda data: town_save(user=request.user, data=data, instance=town),
        template="console/record_form.html",
        context={"record": town, "kind": _("Town/street")},
        done="console:regions",
    )


@requires("console.regions")
def region_edit(request, pk: int | None = None):
    region = get_object_or_404(selectors.peer_regions(), pk=pk) if pk else None
    return _record_form(
        request,
        form=PeerRegionForm(request.POST or None, instance=region),
        save=lambda data: peer_region_save(user=request.user, data=data, instance=region),
        template="console/record_form.html",
        context={"record": region, "kind": _("Peer region")},
        done="console:regions",
    )


@requires("console.parameters")
def parameters(request):
    return render(
        request,
        "console/parameters.html",
        {"rule_sets": selectors.rule_sets(), "schemes": selectors.schemes()},
    )


@requires("console.parameters")
def ruleset_parameters(request, pk: int):
    rule_set = get_object_or_404(selectors.rule_sets_qs(), pk=pk)
    form = RuleParametersForm(request.POST or None, rule_set=rule_set)
    return _record_form(
        request,
        form=form,
        save=lambda data: ruleset_update(
            rule_set=rule_set, user=request.user, changes=data["changes"]
        ),
        template="console/ruleset_parameters.html",
        context={"rule_set": rule_set},
        done=request.path,
    )


@requires("console.parameters")
def scheme_parameters(request, pk: int):
    scheme = get_object_or_404(selectors.schemes(), pk=pk)
    form = SchemeParametersForm(request.POST or None, scheme=scheme)
    return _record_form(
        request,
        form=form,
        save=lambda data: scheme_parameters_update(
            user=request.user, scheme=scheme, **form.values()
        ),
        template="console/scheme_parameters.html",
        context={"scheme": scheme},
        done=request.path,
    )
