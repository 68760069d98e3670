from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualificationsConfig(AppConfig):
    name = "kechuang.qualifications"
    label = "qualifications"
    verbose_name = _("Qualification engine")

    def ready(self):
        from .enterprise_file import register as register_enterprise_file  # its file panels

        register_enterprise_file()
        from django.db.models.signals import post_migrate

        from kechuang.core.hooks import DATA_CHANGED_HANDLERS
        from kechuang.imports.recovery import STALE_SWEEPERS

        from .services import ruleset_seed_after_migrate, sweep_stale_runs
        from .tasks import on_data_changed

        if on_data_changed not in DATA_CHANGED_HANDLERS:
            DATA_CHANGED_HANDLERS.append(on_data_changed)
        if sweep_stale_runs not in STALE_SWEEPERS:
            STALE_SWEEPERS.append(sweep_stale_runs)
        # Incubatee eligibility (docs/platforms.md#incubatees) reads the tech-SME results.
        from kechuang.platforms.hooks import TECH_SME_PROVIDERS

        from .platform_hooks import tech_sme_results

        if tech_sme_results not in TECH_SME_PROVIDERS:
            TECH_SME_PROVIDERS.append(tech_sme_results)
        # The shipped rule sets are copied into the database after every migrate.
        post_migrate.connect(
            ruleset_seed_after_migrate, sender=self, dispatch_uid="kechuang.qualifications.seed"
        )

        from . import reminders  # noqa: F401  (its notification kinds)
