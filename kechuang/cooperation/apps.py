from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "kechuang.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation and technology transfer")
