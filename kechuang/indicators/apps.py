from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"
    verbose_name = _("Indicators, index and targets")

    def ready(self):
        from kechuang.dashboard.selectors import HEADLINE_PROVIDERS

        from .computed import register_platform_indicators
        from .selectors import rank_headline_figures

        register_platform_indicators()
        if rank_headline_figures not in HEADLINE_PROVIDERS:
            HEADLINE_PROVIDERS.append(rank_headline_figures)
