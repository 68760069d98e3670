from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsoleConfig(AppConfig):
    name = "kechuang.console"
    label = "console"
    verbose_name = _("Administration console")

    def ready(self):
        from django.contrib import admin

        from kechuang.core.access import NAVIGATION

        if "console:home" not in {entry[0] for entry in NAVIGATION}:
            NAVIGATION.append(("console:home", _("Console"), "console.view"))
        # The Django admin stays for emergencies: branded, in the user's language, and pointing
        # back to the console where everyday changes are made.
        admin.site.site_header = _("Kechuang · emergency administration")
        admin.site.site_title = _("Kechuang emergency administration")
        admin.site.index_title = _("Emergency administration (use the console for everyday work)")
        admin.site.site_url = "/console/"
