"""Pages of public notices: the public list and notice page with the objection form (no sign-in),
and the bureau's notice management and objection handling."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.access import can, requires
from kechuang.core.lists import list_page

from . import selectors, services
from .filters import ObjectionFilterSet
from .forms import FinaliseForm, HandleForm, ObjectionForm
from .tables import ObjectionTable

RECEIPT_KEY = "notices_receipt"


def _client_ip(request) -> str:
    return getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR") or "-"


def _tabs(request, active: str) -> list[dict]:
    if not can(request.user, "notices.manage"):
        return []
    tabs = [
        ("notice_manage", _("Notice management")),
        ("objection_list", _("Objections")),
        ("notice_list", _("Public notices")),
    ]
    return [
        {"url": reverse(f"notices:{name}"), "label": label, "active": name == active}
        for name, label in tabs
    ]


def _render(request, template, context, active, status=200):
    return render(request, template, {**context, "tabs": _tabs(request, active)}, status=status)


def _public_notice_or_404(pk: int):
    try:
        return selectors.public_notice(pk)
    except selectors.Notice.DoesNotExist as exc:
        raise Http404 from exc


# ------------------------------------------------------------------ public pages


def notice_list(request):
    page = Paginator(selectors.public_notices(), 20).get_page(request.GET.get("page"))
    return _render(request, "notices/notice_list.html", {"page": page}, "notice_list")


def notice_detail(request, pk: int):
    """The notice, its items (only the fields the owner published) and, while the window is
    open, the objection form."""
    notice = _public_notice_or_404(pk)
    is_open = notice.window_open()
    form = ObjectionForm(request.POST or None, request.FILES or None, notice=notice)
    status = 200
    if request.method == "POST":
        if not is_open:
            form.add_error(
                None, _("The notice period has ended; objections are no longer accepted.")
            )
            status = 400
        elif not services.throttle_allows(_client_ip(request)):
            form.add_error(None, _("Too many objections from this address; try again in an hour."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                item = selectors.notice_items(notice).get(pk=data["item"])
                objection = services.objection_file(
                    notice=notice,
                    item=item,
                    name=data["name"],
                    organisation=data["organisation"],
                    contact=data["contact"],
                    reasons=data["reasons"],
                    evidence=data["evidence"],
                )
            except selectors.NoticeItem.DoesNotExist:
                form.add_error("item", _("Choose an item of this notice."))
            except ValidationError as exc:
                for field, errors in getattr(exc, "error_dict", {None: exc.error_list}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                request.session[RECEIPT_KEY] = {"no": objection.receipt_no, "notice": notice.pk}
                return redirect("notices:objection_receipt")
        status = status if status != 200 else 400
    context = {
        "notice": notice,
        "items": selectors.notice_items(notice),
        "form": form,
        "is_open": is_open,
    }
    return _render(request, "notices/notice_detail.html", context, "notice_list", status=status)


def objection_receipt(request):
    receipt = request.session.get(RECEIPT_KEY)
    if not receipt:
        return redirect("notices:notice_list")
    notice = selectors.receipt_notice(receipt.get("notice"))
    context = {"receipt_no": receipt.get("no"), "notice": notice}
    return _render(request, "notices/objection_receipt.html", context, "notice_list")


# ------------------------------------------------------------------ bureau pages


@requires("notices.manage")
def notice_manage(request):
    context = {"notices": selectors.managed_notices(), "finalise_form": FinaliseForm()}
    return _render(request, "notices/notice_manage.html", context, "notice_manage")


@requires("notices.manage")
@require_POST
def notice_action(request, pk: int, action: str):
    notice = selectors.managed_notices().filter(pk=pk).first()
    if notice is None or action not in ("release", "close", "finalise"):
        raise Http404
    form = FinaliseForm(request.POST)
    final_body = form.cleaned_data["final_body"] if form.is_valid() else ""
    try:
        if action == "release":
            services.notice_release(notice=notice, user=request.user)
        elif action == "close":
            services.notice_close(notice=notice, user=request.user)
        else:
            services.notice_finalise(notice=notice, user=request.user, final_body=final_body)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Notice updated."))
    return redirect("notices:notice_manage")


@requires("notices.manage")
def objection_list(request):
    return list_page(
        request,
        queryset=selectors.objection_list(),
        filterset_class=ObjectionFilterSet,
        table_class=ObjectionTable,
        template="notices/objection_list.html",
        title=_("Objections"),
        extra_context={"tabs": _tabs(request, "objection_list")},
    )


@requires("notices.manage")
def objection_detail(request, pk: int):
    try:
        objection = selectors.objection_get(pk)
    except selectors.Objection.DoesNotExist as exc:
        raise Http404 from exc
    form = HandleForm(request.POST or None, status=objection.status)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.objection_handle(
                    objection=objection, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Objection updated."))
                return redirect(objection)
        status = 400
    context = {"objection": objection, "form": form, "events": objection.events.all()}
    return _render(
        request, "notices/objection_detail.html", context, "objection_list", status=status
    )


@requires("notices.manage")
def objection_evidence(request, pk: int):
    """The evidence file: a download, never rendered by the browser, never cached."""
    objection = selectors.objection_list().filter(pk=pk).first()
    if objection is None or not objection.evidence:
        raise Http404
    try:
        handle = objection.evidence.open("rb")
    except OSError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=objection.evidence.name.rsplit("/", 1)[-1]
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
