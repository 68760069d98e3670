from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "kechuang.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self):
        from django_tasks.signals import task_started

        from .recovery import on_task_started

        # A (re)started worker marks the work of a dead one interrupted before its first task.
        task_started.connect(on_task_started, dispatch_uid="kechuang.imports.sweep")
