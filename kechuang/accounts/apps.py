from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kechuang.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from kechuang.core.lists import LIST_STATE

        from . import schema, signals  # noqa: F401  (registers the receivers and the extension)
        from .lists import list_state

        if list_state not in LIST_STATE:
            LIST_STATE.append(list_state)
