from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kechuang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import checks  # noqa: F401  (registers the deployment checks)
        from .access import restrict_admin_site

        restrict_admin_site()
        from django.db.models.signals import post_migrate

        from .datacache import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="kechuang-datacache")
