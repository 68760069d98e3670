"""Background work of imports (django-tasks): large files never block a request."""

import logging

from django.db import IntegrityError, OperationalError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from .models import ImportBatch, ImportStatus
from .recovery import Heartbeat, sweep_stale_quietly
from .services import import_file

log = logging.getLogger(__name__)


def _fail(batch_id: int, message: str) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportStatus.FAILED,
        progress=100,
        finished_at=timezone.now(),
        errors=[{"sheet": "", "row": None, "column": "", "value": None, "message": message}],
    )


@task()
def import_batch_run(batch_id: int) -> dict:
    """Run a stored import batch (dry run or commit) and record its outcome on the batch.

    Only a waiting batch is started (a conditional update claims it, so a batch queued twice
    runs once); while it runs it beats (`recovery.Heartbeat`). A failure is recorded on the
    batch with a message for the person who uploaded it, never as a raw exception text.
    """
    sweep_stale_quietly()
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.PENDING).update(
        status=ImportStatus.RUNNING, progress=10, heartbeat_at=timezone.now()
    )
    if not claimed:
        return {"skipped": True}
    batch = ImportBatch.objects.select_related("created_by").get(pk=batch_id)
    running = ImportBatch.objects.filter(pk=batch_id, status=ImportStatus.RUNNING)
    with translation.override(batch.language), Heartbeat(running):
        try:
            import_file(
                batch.file.path,
                dry_run=batch.dry_run,
                user=batch.created_by,
                batch=batch,
                language=batch.language,
            )
        except (IntegrityError, OperationalError):
            # Another import wrote the same records at the same moment (or the database was
            # busy); this transaction was rolled back whole.
            log.warning("import batch %s collided with another write", batch_id, exc_info=True)
            _fail(
                batch_id,
                _(
                    "Another import changed the same records at the same time, so nothing of "
                    "this file was written. Check the file again and import it once more."
                ),
            )
        except Exception:  # record a plain message, then let the worker log the details
            _fail(
                batch_id,
                _("An internal error stopped the import; nothing was written. Please try again."),
            )
            raise
    return batch.summary


def enqueue_import_batch_run(batch_id: int) -> None:
    """`recovery.BATCH_RUNNERS` entry: queue `import_batch_run` for the batch."""
    import_batch_run.enqueue(batch_id)
