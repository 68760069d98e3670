from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import schema, signals  # noqa: F401  (registers the receivers and the extension)
