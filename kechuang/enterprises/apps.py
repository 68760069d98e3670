from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnterprisesConfig(AppConfig):
    name = "kechuang.enterprises"
    label = "enterprises"
    verbose_name = _("Enterprises")

    def ready(self):
        # Registries of core filled by the app that owns the data (docs/architecture.md#registries).
        from kechuang.core.datacache import register_source_models
        from kechuang.core.years import register_year_counts

        from .models import AnnualFigure, Enterprise, IntellectualProperty, Qualification
        from .selectors import annual_figure_counts

        register_source_models(AnnualFigure, Enterprise, Qualification, IntellectualProperty)
        register_year_counts(annual_figure_counts)

        from kechuang.core.figures import register_figures

        from .figures import LADDER_FIGURES
        from .selectors import ladder_figures

        register_figures(ladder_figures, *LADDER_FIGURES, scoped=True)

        # The enterprise portal's menu entries (docs/portal.md): the enterprise's own yearly
        # figures, and the review queue of the town officer and the bureau.
        from kechuang.core.access import NAVIGATION

        for entry in (
            ("enterprises:portal_home", _("My yearly figures"), "portal.view"),
            ("enterprises:submission_list", _("Figure reviews"), "figure_submissions.decide"),
        ):
            if entry[0] not in {e[0] for e in NAVIGATION}:
                NAVIGATION.append(entry)

        # The enterprise file's own panels (docs/enterprise-file.md); higher apps add theirs.
        from .file_panels import register as register_file_panels

        register_file_panels()
        from kechuang.core.lists import BULK_ACTIONS, BulkAction

        bulk_tag = BulkAction(_("Tag the selection"), "enterprises:tags_bulk", "enterprise.tag")
        actions = BULK_ACTIONS.setdefault("enterprises:enterprise_list", [])
        if bulk_tag not in actions:
            actions.append(bulk_tag)

        from . import reminders  # noqa: F401  (its notification kinds)
