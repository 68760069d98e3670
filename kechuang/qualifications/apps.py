from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "kechuang.qualifications"
    label = "qualifications"
    verbose_name = _("Qualification engine")

    def ready(self):
        from kechuang.core.hooks import DATA_CHANGED_HANDLERS
        from kechuang.demo.services import DEMO_EXTENSIONS

        from .demo import qualifications_demo
        from .services import on_data_changed

        if on_data_changed not in DATA_CHANGED_HANDLERS:
            DATA_CHANGED_HANDLERS.append(on_data_changed)
        # The demo's stored assessments are built with the demo, not on the first 重新评估.
        if qualifications_demo not in DEMO_EXTENSIONS:
            DEMO_EXTENSIONS.append(qualifications_demo)
