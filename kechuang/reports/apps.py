from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "kechuang.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Registers this app's report sections (opening, ladder and R&D, institutions, plan).
        from . import (
            sections,  # noqa: F401
            sections_cooperation,  # noqa: F401
            sections_platforms,  # noqa: F401
            sections_programmes,  # noqa: F401
        )
