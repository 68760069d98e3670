"""Background work of imports (django-tasks): large files never block a request."""

from django_tasks import task

from .models import ImportBatch, ImportStatus
from .services import import_file


@task()
def import_batch_run(batch_id: int) -> dict:
    """Run a stored import batch (dry run or commit) and record its outcome on the batch."""
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    batch.status = ImportStatus.RUNNING
    batch.progress = 10
    batch.save(update_fields=["status", "progress"])
    try:
        import_file(
            batch.file.path,
            dry_run=batch.dry_run,
            user=batch.created_by,
            batch=batch,
            language=batch.language,
        )
    except Exception as exc:  # record, then let the worker log it
        batch.status = ImportStatus.FAILED
        batch.errors = [
            {
                "sheet": "",
                "row": None,
                "column": "",
                "value": None,
                "message": f"{type(exc).__name__}: {exc}",
            }
        ]
        batch.progress = 100
        batch.save(update_fields=["status", "errors", "progress"])
        raise
    return batch.summary
