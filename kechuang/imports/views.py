"""Import pages: upload, background dry run with progress, error report, commit; templates."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from kechuang.core.access import requires
from kechuang.core.views import xlsx_response

from .exports import errors_workbook, template_workbook
from .forms import SizeLimitUploadHandler, UploadForm, too_large_message
from .models import ImportBatch, ImportStatus
from .recovery import import_batch_retry, sweep_stale_quietly
from .schemas import SCHEMAS
from .selectors import batches_awaiting_commit, recent_batches
from .services import CommitAlreadyStarted, import_batch_create


@requires("imports.manage")
@csrf_exempt  # the CSRF check runs in _import_list, after the size-limit handler is installed
def import_list(request):
    # Django: upload handlers must be set before anything reads request.POST (the CSRF check).
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _import_list(request)


@csrf_protect
def _import_list(request):
    sweep_stale_quietly()
    form = UploadForm(request.POST or None, request.FILES or None)
    if getattr(request, "upload_too_large", False):
        form = UploadForm(request.POST, {})
        form.is_valid()
        form.errors["file"] = form.error_class([too_large_message()])
    if request.method == "POST" and form.is_valid():
        batch = import_batch_create(
            user=request.user,
            uploaded_file=form.cleaned_data["file"],
            dry_run=True,
            language=translation.get_language(),
        )
        return redirect("imports:import_detail", pk=batch.pk)
    # ?waiting=1: the checks waiting to be committed (the workbench to-do links here).
    batches = batches_awaiting_commit() if request.GET.get("waiting") else recent_batches()
    return render(
        request,
        "imports/import_list.html",
        {"form": form, "batches": batches, "schemas": SCHEMAS.values()},
    )


@requires("imports.manage")
def import_detail(request, pk: int):
    sweep_stale_quietly()
    batch = get_object_or_404(ImportBatch, pk=pk)
    context = {
        "batch": batch,
        "running": batch.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "interrupted": batch.status == ImportStatus.INTERRUPTED,
        "errors": batch.errors[:500],
    }
    template = "imports/_import_status.html" if request.htmx else "imports/import_detail.html"
    return render(request, template, context)


@requires("imports.manage")
@require_POST
def import_commit(request, pk: int):
    source = get_object_or_404(ImportBatch, pk=pk, status=ImportStatus.VALIDATED, dry_run=True)
    try:
        batch = import_batch_create(
            user=request.user,
            dry_run=False,
            language=translation.get_language(),
            source_batch=source,
        )
    except CommitAlreadyStarted as exc:
        messages.warning(
            request, _("This checked file is already being imported (or was imported) once.")
        )
        return redirect("imports:import_detail", pk=exc.commit_batch_id or source.pk)
    messages.info(request, _("Import started."))
    return redirect("imports:import_detail", pk=batch.pk)


@requires("imports.manage")
@require_POST
def import_retry(request, pk: int):
    """Queue an interrupted batch again."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    if import_batch_retry(batch, user=request.user):
        messages.info(request, _("Queued again."))
    else:
        messages.warning(
            request,
            _(
                "This import cannot be retried (it is no longer interrupted, or its file was "
                "removed)."
            ),
        )
    return redirect("imports:import_detail", pk=batch.pk)


@requires("imports.manage")
def import_errors(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    return xlsx_response(errors_workbook(batch.errors), f"errors-{batch.pk}.xlsx")


@requires("imports.template")
def template_download(request, name: str):
    if name not in SCHEMAS:
        raise Http404
    schema = SCHEMAS[name]
    return xlsx_response(template_workbook(schema), f"{schema.name}-template.xlsx")
