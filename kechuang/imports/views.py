"""Import pages: upload, background dry run with progress, error report, commit; templates."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kechuang.core.permissions import is_staff_role
from kechuang.core.views import login_required, xlsx_response

from .exports import errors_workbook, template_workbook
from .forms import UploadForm
from .models import ImportBatch, ImportStatus
from .schemas import SCHEMAS
from .services import import_batch_create


def _require_staff(request):
    if not is_staff_role(request.user):
        raise PermissionDenied


@login_required
def import_list(request):
    _require_staff(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = import_batch_create(
            user=request.user,
            uploaded_file=form.cleaned_data["file"],
            dry_run=True,
            language=translation.get_language(),
        )
        return redirect("imports:import_detail", pk=batch.pk)
    batches = ImportBatch.objects.select_related("created_by")[:30]
    return render(
        request,
        "imports/import_list.html",
        {"form": form, "batches": batches, "schemas": SCHEMAS.values()},
    )


@login_required
def import_detail(request, pk: int):
    _require_staff(request)
    batch = get_object_or_404(ImportBatch, pk=pk)
    context = {
        "batch": batch,
        "running": batch.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
        "errors": batch.errors[:500],
    }
    template = "imports/_import_status.html" if request.htmx else "imports/import_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def import_commit(request, pk: int):
    _require_staff(request)
    source = get_object_or_404(ImportBatch, pk=pk, status=ImportStatus.VALIDATED, dry_run=True)
    batch = import_batch_create(
        user=request.user, dry_run=False, language=translation.get_language(), source_batch=source
    )
    messages.info(request, _("Import started."))
    return redirect("imports:import_detail", pk=batch.pk)


@login_required
def import_errors(request, pk: int):
    _require_staff(request)
    batch = get_object_or_404(ImportBatch, pk=pk)
    return xlsx_response(errors_workbook(batch.errors), f"errors-{batch.pk}.xlsx")


@login_required
def template_download(request, name: str):
    if name not in SCHEMAS:
        raise Http404
    schema = SCHEMAS[name]
    return xlsx_response(template_workbook(schema), f"{schema.name}-template.xlsx")
