"""HTML pages of the cooperation app: thin views over selectors and services."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires
from kechuang.core.lists import list_page

from . import matching, selectors, services
from .choices import RegistrationStatus
from .filters import (
    AchievementFilterSet,
    BrokeringFilterSet,
    ContractFilterSet,
    DemandFilterSet,
    EntrantFilterSet,
    EventFilterSet,
)
from .forms import (
    AchievementForm,
    BrokeringMoveForm,
    BrokeringStartForm,
    ContractAcceptForm,
    ContractApplyForm,
    ContractRefuseForm,
    ContractRegisterForm,
    DemandCloseForm,
    DemandForm,
    EventForm,
    SearchForm,
)
from .logic.workflow import BROKERING_TRANSITIONS
from .tables import (
    STATUS_BADGES,
    AchievementTable,
    BrokeringTable,
    ContractTable,
    DemandTable,
    EntrantTable,
    EventTable,
)

TABS = [
    ("demand_list", _("Technology demands"), "cooperation.demands"),
    ("achievement_list", _("Achievements"), "cooperation.achievements"),
    ("search", _("Search"), "cooperation.search"),
    ("brokering_list", _("Brokering"), "cooperation.brokering"),
    ("contract_list", _("Technical contracts"), "contracts.view"),
    ("event_list", _("Events"), "cooperation.events"),
    ("competition_list", _("Competitions"), "competitions.view"),
]


def _tabs(request, active):
    return [
        {"url": reverse(f"cooperation:{name}"), "label": label, "active": name == active}
        for name, label, cap in TABS
        if can(request.user, cap)
    ]


def _render(request, template, context, active, status=200):
    return render(request, template, {**context, "tabs": _tabs(request, active)}, status=status)


def _form_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _list(request, *, queryset, filterset, table, title, active, **extra):
    return list_page(
        request,
        queryset=queryset,
        filterset_class=filterset,
        table_class=table,
        template="cooperation/list.html",
        title=title,
        extra_context={"title": title, **extra, "tabs": _tabs(request, active)},
    )


def _form_page(request, form, title, active, *, hint="", multipart=False, status=200):
    context = {"form": form, "title": title, "hint": hint, "multipart": multipart}
    return _render(request, "cooperation/form.html", context, active, status=status)


# ------------------------------------------------------------------ demands


@requires("cooperation.demands")
def demand_list(request):
    new = (
        reverse("cooperation:demand_create")
        if can(request.user, "cooperation.demand_post")
        else None
    )
    return _list(
        request,
        queryset=selectors.demand_list(request.user),
        filterset=DemandFilterSet,
        table=DemandTable,
        title=_("Technology demands"),
        active="demand_list",
        new_url=new,
        new_label=_("Post a demand"),
    )


@requires("cooperation.demand_post")
def demand_create(request):
    initial = {
        k: request.GET[k] for k in ("visit_record", "enterprise", "event") if request.GET.get(k)
    }
    form = DemandForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            demand = services.demand_save(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(demand)
    hint = _(
        "Say what goes wrong in your own words; we look for universities and institutes that solve it."
    )
    return _form_page(request, form, _("Post a technology demand"), "demand_list", hint=hint)


@requires("cooperation.demand_post")
def demand_edit(request, pk: int):
    demand = selectors.demand_get(request.user, pk)
    form = DemandForm(request.POST or None, instance=demand, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.demand_save(user=request.user, data=form.cleaned_data, instance=demand)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(demand)
    return _form_page(request, form, _("Edit the demand"), "demand_list")


@requires("cooperation.demands")
def demand_detail(request, pk: int, broker_form=None, close_form=None, status=200):
    demand = selectors.demand_get(request.user, pk)
    can_broker = can(request.user, "cooperation.broker")
    can_post = can(request.user, "cooperation.demand_post")
    context = {
        "demand": demand,
        "details_visible": selectors.demand_details_visible(request.user, demand),
        "matches": selectors.demand_matches(demand),
        "records": selectors.brokering_list(request.user).filter(demand=demand),
        "broker_form": (broker_form or BrokeringStartForm(demand=demand)) if can_broker else None,
        "close_form": (close_form or DemandCloseForm()) if can_post else None,
        "can_post": can_post,
        "badge": STATUS_BADGES.get(demand.status, ""),
        "achievement_links": can(request.user, "cooperation.achievements"),
    }
    return _render(request, "cooperation/demand_detail.html", context, "demand_list", status=status)


@requires("cooperation.demand_post")
@require_POST
def demand_renew(request, pk: int):
    demand = selectors.demand_get(request.user, pk)
    try:
        services.demand_renew(user=request.user, demand=demand)
    except ValidationError as exc:
        form = DemandCloseForm()
        _form_errors(form, exc)
        return demand_detail(request, pk, close_form=form, status=400)
    return redirect(demand)


@requires("cooperation.demand_post")
@require_POST
def demand_close(request, pk: int):
    demand = selectors.demand_get(request.user, pk)
    form = DemandCloseForm(request.POST)
    if form.is_valid():
        try:
            services.demand_close(
                user=request.user, demand=demand, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(demand)
    return demand_detail(request, pk, close_form=form, status=400)


@requires("cooperation.broker")
@require_POST
def brokering_create(request, pk: int):
    demand = selectors.demand_get(request.user, pk)
    form = BrokeringStartForm(request.POST, demand=demand)
    if form.is_valid():
        try:
            record = services.brokering_start(user=request.user, demand=demand, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(record)
    return demand_detail(request, pk, broker_form=form, status=400)


# ------------------------------------------------------------------ achievements


@requires("cooperation.achievements")
def achievement_list(request):
    new = (
        reverse("cooperation:achievement_create")
        if can(request.user, "cooperation.achievement_post")
        else None
    )
    return _list(
        request,
        queryset=selectors.achievement_list(request.user),
        filterset=AchievementFilterSet,
        table=AchievementTable,
        title=_("Achievements"),
        active="achievement_list",
        new_url=new,
        new_label=_("Post an achievement"),
    )


@requires("cooperation.achievement_post")
def achievement_create(request, pk: int | None = None):
    instance = selectors.achievement_get(request.user, pk) if pk else None
    form = AchievementForm(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            achievement = services.achievement_save(
                user=request.user, data=form.cleaned_data, instance=instance
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(achievement)
    title = _("Edit the achievement") if instance else _("Post an achievement")
    return _form_page(request, form, title, "achievement_list")


@requires("cooperation.achievements")
def achievement_detail(request, pk: int):
    achievement = selectors.achievement_get(request.user, pk)
    context = {
        "achievement": achievement,
        "matches": selectors.achievement_matches(request.user, achievement),
        "can_edit": can(request.user, "cooperation.achievement_post"),
    }
    return _render(request, "cooperation/achievement_detail.html", context, "achievement_list")


@requires("cooperation.search")
def search(request):
    form = SearchForm(request.GET or None)
    results = []
    if form.is_valid() and form.cleaned_data["q"]:
        hits = matching.search(form.cleaned_data["q"])
        rows = selectors.achievement_rows([h.pk for h in hits])
        visible = set(
            selectors.achievement_list(request.user)
            .filter(pk__in=rows)
            .values_list("pk", flat=True)
        )
        results = [(h, rows[h.pk], h.pk in visible) for h in hits if h.pk in rows]
    context = {"form": form, "results": results}
    return _render(request, "cooperation/search.html", context, "search")


# ------------------------------------------------------------------ brokering


@requires("cooperation.brokering")
def brokering_list(request):
    queryset = selectors.brokering_list(request.user)
    by = request.GET.get("by") if request.GET.get("by") in selectors.OUTCOME_GROUPS else "officer"
    return _list(
        request,
        queryset=queryset,
        filterset=BrokeringFilterSet,
        table=BrokeringTable,
        title=_("Brokering records"),
        active="brokering_list",
        outcomes=selectors.brokering_outcomes(queryset, by),
        outcome_by=by,
        outcome_groups=[
            ("officer", _("Officer")),
            ("agency", _("Service agency")),
            ("university", _("University / institute")),
            ("event", _("Cooperation event")),
        ],
    )


@requires("cooperation.brokering", post="cooperation.broker")
def brokering_detail(request, pk: int):
    record = selectors.brokering_get(request.user, pk)
    form = BrokeringMoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.brokering_move(user=request.user, record=record, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(record)
    movable = BROKERING_TRANSITIONS.get(record.stage)
    context = {
        "record": record,
        "steps": record.steps.select_related("officer", "agency"),
        "contracts": record.contracts.all(),
        "form": form if movable and can(request.user, "cooperation.broker") else None,
        "can_contract": record.stage == "negotiation" and can(request.user, "contracts.apply"),
        "badge": STATUS_BADGES.get(record.stage, ""),
    }
    status = 400 if request.method == "POST" else 200
    return _render(
        request, "cooperation/brokering_detail.html", context, "brokering_list", status=status
    )


# ------------------------------------------------------------------ technical contracts


@requires("contracts.view")
def contract_list(request):
    new = reverse("cooperation:contract_apply") if can(request.user, "contracts.apply") else None
    queryset = selectors.contract_list(request.user)
    return _list(
        request,
        queryset=queryset,
        filterset=ContractFilterSet,
        table=ContractTable,
        title=_("Technical contract registration"),
        active="contract_list",
        new_url=new,
        new_label=_("Apply for registration"),
        overdue=selectors.contracts_overdue(queryset, dt.date.today()),
        stats_url=reverse("cooperation:contract_statistics")
        if can(request.user, "cooperation.statistics")
        else None,
    )


@requires("contracts.apply")
def contract_apply(request):
    initial = {}
    record = None
    if request.GET.get("brokering"):
        record = selectors.brokering_for_contract(request.user, request.GET["brokering"])
        if record is not None:
            initial = selectors.contract_initial(record)
    form = ContractApplyForm(
        request.POST or None, request.FILES or None, initial=initial, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_apply(user=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(contract)
    hint = _(
        "The seller side (developer, assignor, licensor, contractor, trainer or intermediary) "
        "applies once, with the complete written contract; oral contracts are not registered."
    )
    status = 400 if request.method == "POST" else 200
    return _form_page(
        request,
        form,
        _("Apply for technical contract registration"),
        "contract_list",
        hint=hint,
        multipart=True,
        status=status,
    )


DECISIONS = {
    "accept": (ContractAcceptForm, services.contract_accept),
    "register": (ContractRegisterForm, services.contract_register),
    "refuse": (ContractRefuseForm, services.contract_refuse),
}


@requires("contracts.view", post="contracts.decide")
def contract_detail(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    forms = {name: form_class(prefix=name) for name, (form_class, _s) in DECISIONS.items()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in DECISIONS:
            raise Http404
        form_class, service = DECISIONS[action]
        forms[action] = form = form_class(request.POST, prefix=action)
        status = 400
        if form.is_valid():
            try:
                service(user=request.user, contract=contract, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                return redirect(contract)
    decide = can(request.user, "contracts.decide")
    context = {
        "contract": contract,
        "badge": STATUS_BADGES.get(contract.status, ""),
        "accept_form": forms["accept"]
        if decide and contract.status == RegistrationStatus.APPLIED
        else None,
        "register_form": forms["register"]
        if decide and contract.status == RegistrationStatus.ACCEPTED
        else None,
        "refuse_form": forms["refuse"]
        if decide and contract.status in (RegistrationStatus.APPLIED, RegistrationStatus.ACCEPTED)
        else None,
        "overdue": contract.is_overdue(),
        "today": dt.date.today(),
    }
    return _render(
        request, "cooperation/contract_detail.html", context, "contract_list", status=status
    )


@requires("contracts.view")
def contract_file(request, pk: int):
    contract = selectors.contract_get(request.user, pk)
    if not contract.written_contract:
        raise Http404
    name = contract.written_contract.name.rsplit("/", 1)[-1]
    return FileResponse(contract.written_contract.open("rb"), as_attachment=True, filename=name)


@requires("cooperation.statistics")
def contract_statistics(request):
    queryset = selectors.contract_list(request.user)
    by = (
        request.GET.get("by")
        if request.GET.get("by") in {"type", "statistical", "year", "town", "industry"}
        else "statistical"
    )
    context = {
        "rows": selectors.contract_statistics(queryset, by),
        "by": by,
        "groups": [
            ("statistical", _("Four types (2000 rules)")),
            ("type", _("Civil Code type")),
            ("year", _("Year")),
            ("town", _("Town/street")),
            ("industry", _("Industry division")),
        ],
    }
    return _render(request, "cooperation/contract_statistics.html", context, "contract_list")


# ------------------------------------------------------------------ events and competitions


@requires("cooperation.events")
def event_list(request):
    new = (
        reverse("cooperation:event_create")
        if can(request.user, "cooperation.events_manage")
        else None
    )
    return _list(
        request,
        queryset=selectors.event_list(request.user),
        filterset=EventFilterSet,
        table=EventTable,
        title=_("Cooperation events"),
        active="event_list",
        new_url=new,
        new_label=_("New event"),
    )


@requires("cooperation.events_manage")
def event_create(request):
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        m2m = {k: form.cleaned_data.pop(k) for k in ("organisations", "enterprises", "experts")}
        try:
            event = services.event_save(user=request.user, data=form.cleaned_data, m2m=m2m)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            return redirect(event)
    return _form_page(request, form, _("New cooperation event"), "event_list")


@requires("cooperation.events")
def event_detail(request, pk: int):
    event = selectors.event_get(request.user, pk)
    context = {
        "event": event,
        "figures": selectors.event_figures(event),
        "records": selectors.brokering_list(request.user).filter(event=event),
        "demands": selectors.demand_list(request.user).filter(event=event),
    }
    return _render(request, "cooperation/event_detail.html", context, "event_list")


@requires("competitions.view")
def competition_list(request):
    context = {"competitions": selectors.competition_list(request.user)}
    return _render(request, "cooperation/competition_list.html", context, "competition_list")


@requires("competitions.view")
def competition_detail(request, pk: int):
    competition = selectors.competition_get(request.user, pk)
    return _list(
        request,
        queryset=selectors.entrant_list(competition),
        filterset=EntrantFilterSet,
        table=EntrantTable,
        title=competition.name,
        active="competition_list",
        competition=competition,
        funnel=selectors.competition_funnel(competition),
    )
