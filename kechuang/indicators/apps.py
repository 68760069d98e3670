from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kechuang.indicators"
    label = "indicators"
    verbose_name = _("Indicators, index and targets")

    def ready(self):
        from kechuang.core.figures import register_figures

        from .computed import register_platform_indicators
        from .figures import RANK_FIGURES
        from .selectors import rank_headline_figures

        register_platform_indicators()
        register_figures(rank_headline_figures, *RANK_FIGURES)
