from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "kechuang.qualifications"
    label = "qualifications"
    verbose_name = _("Qualification engine")

    def ready(self):
        from kechuang.core.hooks import DATA_CHANGED_HANDLERS

        from .services import on_data_changed

        if on_data_changed not in DATA_CHANGED_HANDLERS:
            DATA_CHANGED_HANDLERS.append(on_data_changed)
