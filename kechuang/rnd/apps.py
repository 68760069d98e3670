from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RndConfig(AppConfig):
    name = "kechuang.rnd"
    label = "rnd"
    verbose_name = _("R&D investment")

    def ready(self):
        from .enterprise_file import register as register_enterprise_file  # its file panels

        register_enterprise_file()
        from kechuang.core.hooks import DATA_CHANGED_HANDLERS

        from .selectors import snapshot_clear

        if snapshot_clear not in DATA_CHANGED_HANDLERS:
            DATA_CHANGED_HANDLERS.append(snapshot_clear)

        from kechuang.core.figures import register_figures

        from .figures import RD_FIGURES
        from .selectors import rd_figures

        register_figures(rd_figures, *RD_FIGURES, scoped=True)
