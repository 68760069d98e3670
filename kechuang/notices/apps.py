from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "kechuang.notices"
    label = "notices"
    verbose_name = _("Public notices and objections")

    def ready(self):
        from kechuang.core.access import NAVIGATION

        entry = ("notices:notice_manage", _("Public notices"), "notices.manage")
        if entry[0] not in {e[0] for e in NAVIGATION}:
            NAVIGATION.append(entry)

        from . import reminders  # noqa: F401  (its notification kinds)
