from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "kechuang.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from django_tasks.signals import task_started

        from kechuang.core.lists import IMPORT_FORMAT_EXPORTERS

        from .exports import export_by_name
        from .platform_schemas import PLATFORM_SCHEMAS
        from .recovery import BATCH_RUNNERS, on_task_started
        from .schemas import register_schemas
        from .tasks import enqueue_import_batch_run

        # The platform registry's templates (docs/imports.md#templates); apps above this one
        # register theirs from their own ready().
        register_schemas(*PLATFORM_SCHEMAS)

        # A (re)started worker marks the work of a dead one interrupted before its first task.
        task_started.connect(on_task_started, dispatch_uid="kechuang.imports.sweep")
        # List pages download their rows in the import format (docs/architecture.md#registries).
        if export_by_name not in IMPORT_FORMAT_EXPORTERS:
            IMPORT_FORMAT_EXPORTERS.append(export_by_name)
        # Stored batches run in the background (tasks import services, never the reverse).
        if enqueue_import_batch_run not in BATCH_RUNNERS:
            BATCH_RUNNERS.append(enqueue_import_batch_run)
