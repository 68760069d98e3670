from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RndConfig(AppConfig):
    name = "kechuang.rnd"
    label = "rnd"
    verbose_name = _("Rnd")
