from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformsConfig(AppConfig):
    name = "kechuang.platforms"
    label = "platforms"
    verbose_name = _("Platforms")

    def ready(self):
        from .enterprise_file import register as register_enterprise_file  # its file panels

        register_enterprise_file()
        # Registries of lower layers (docs/architecture.md#registries): R&D institutions count
        # in the derived-figure memo and in their enterprise's change history.
        from kechuang.core.datacache import register_source_models
        from kechuang.enterprises.selectors import HISTORY_SOURCES

        from .models import RDInstitution

        register_source_models(RDInstitution)
        if RDInstitution not in HISTORY_SOURCES:
            HISTORY_SOURCES.append(RDInstitution)

        from kechuang.core.figures import register_figures

        from .figures import INSTITUTION_FIGURES
        from .selectors import institution_figures

        register_figures(institution_figures, *INSTITUTION_FIGURES, scoped=True)

        # Innovation platforms (docs/platforms.md): their tables feed the memo, their figures
        # the catalogue, their pages the navigation.
        from kechuang.core.access import NAVIGATION

        from .models import Platform, PlatformEvent, ThreeReturns
        from .platform_figures import PLATFORM_FIGURES
        from .platform_selectors import platform_figures

        register_source_models(Platform, PlatformEvent, ThreeReturns)
        register_figures(platform_figures, *PLATFORM_FIGURES, scoped=True)
        entry = ("platform_pages:platform_list", _("Platforms"), "platforms.view")
        if entry not in NAVIGATION:
            NAVIGATION.insert(4, entry)

        from . import reminders  # noqa: F401  (its notification kinds)
