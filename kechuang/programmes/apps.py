from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "kechuang.programmes"
    label = "programmes"
    verbose_name = _("S&T programmes")

    def ready(self):
        from .enterprise_file import register as register_enterprise_file  # its file panels

        register_enterprise_file()
        from kechuang.core.access import NAVIGATION
        from kechuang.core.figures import Figure, register_figures
        from kechuang.experts.conflicts import CONFLICT_SOURCES
        from kechuang.notices.choices import NoticeKind
        from kechuang.notices.registry import NOTICE_HANDLERS

        from . import figures as keys
        from .conflicts import past_project_source
        from .selectors import programme_figures
        from .services import on_notice_event

        if past_project_source not in CONFLICT_SOURCES:
            CONFLICT_SOURCES.append(past_project_source)
        NOTICE_HANDLERS[NoticeKind.PROGRAMME_PROJECTS] = on_notice_event
        register_figures(
            programme_figures,
            Figure(
                keys.KEY_RD_PROJECTS_NOTICED,
                _("Key R&D special projects publicly noticed"),
                "count",
                definition=_(
                    "Projects of the key R&D programme on a public notice published in the year"
                ),
                source=_("Seed 2024 summary: 15 key R&D special projects noticed"),
                drill_down=lambda year: (
                    reverse("programmes:project_list") + f"?year={year}&programme=key_rd"
                ),
                app="programmes",
            ),
            Figure(
                keys.PROGRAMME_APPLICATIONS,
                _("Programme applications submitted"),
                "count",
                definition=_("Applications submitted in the year (withdrawn ones excluded)"),
                drill_down=lambda year: reverse("programmes:application_list") + f"?year={year}",
                app="programmes",
            ),
            Figure(
                keys.PROGRAMME_FUNDING_COMMITTED,
                _("Programme funding committed"),
                "yuan",
                definition=_("Grants of the year's projects plus investments made in the year"),
                drill_down=lambda year: reverse("programmes:portfolio") + f"?year={year}",
                app="programmes",
            ),
            Figure(
                keys.PROGRAMME_FUNDING_PAID,
                _("Programme funding paid"),
                "yuan",
                definition=_("Grant tranches paid in the year"),
                drill_down=lambda year: reverse("programmes:portfolio") + f"?year={year}",
                app="programmes",
            ),
            Figure(
                keys.PROGRAMME_KPI_ATTAINMENT,
                _("Programme KPI attainment"),
                "pct",
                definition=_("Share of the KPIs met in the reports concluded in the year"),
                drill_down=lambda year: reverse("programmes:project_list") + f"?year={year}",
                app="programmes",
            ),
        )
        for entry in (("programmes:home", _("Programmes"), "programmes.view"),):
            if entry[0] not in {e[0] for e in NAVIGATION}:
                NAVIGATION.append(entry)

        from . import reminders  # noqa: F401  (its notification kinds)
