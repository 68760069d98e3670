from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "kechuang.workbench"
    label = "workbench"
    verbose_name = _("Workbenches")

    def ready(self):
        from kechuang.core.access import NAVIGATION

        # The workbench is every role's first navigation entry (docs/workbench.md#landing-page).
        entry = ("workbench:home", _("Workbench"), "workbench.view")
        if entry[0] not in {e[0] for e in NAVIGATION}:
            NAVIGATION.insert(0, entry)
