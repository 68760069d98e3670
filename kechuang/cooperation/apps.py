from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "kechuang.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation and technology transfer")

    def ready(self):
        from .enterprise_file import register as register_enterprise_file  # its file panels

        register_enterprise_file()
        from .tasks import connect as connect_vector_tasks  # vectors encoded after a save

        connect_vector_tasks()
        from django.urls import reverse

        from kechuang.core.access import NAVIGATION
        from kechuang.core.figures import Figure, register_figures
        from kechuang.experts.conflicts import CONFLICT_SOURCES

        from . import figures as keys
        from .conflicts import cooperation_source
        from .selectors import headline_figures

        if cooperation_source not in CONFLICT_SOURCES:
            CONFLICT_SOURCES.append(cooperation_source)
        # The achievements' Excel template, into the import framework's registry.
        from kechuang.imports.schemas import register_schemas

        from .imports import ACHIEVEMENTS

        register_schemas(ACHIEVEMENTS)
        entry = ("cooperation:demand_list", _("Cooperation"), "cooperation.demands")
        if entry[0] not in {e[0] for e in NAVIGATION}:
            NAVIGATION.append(entry)

        def url(name, query):
            return lambda year: reverse(f"cooperation:{name}") + query.format(year=year)

        def competition(stage=""):
            def link(year):
                from .selectors import competition_drill_down

                return competition_drill_down(year, stage)

            return link

        source = _("2024 work summary of the bureau, §三")
        register_figures(
            headline_figures,
            Figure(
                keys.COOPERATION_EVENTS,
                _("千企百校万里行 events"),
                definition=_("千企百校万里行 events held in the year."),
                source=source,
                drill_down=url("event_list", "?year={year}&kind=qianqi_baixiao"),
                app="cooperation",
            ),
            Figure(
                keys.COOPERATION_DEMANDS_MATCHED,
                _("Enterprise demands matched at 千企百校万里行 events"),
                definition=_(
                    "Enterprise demands for which a brokering record with a named supplier was "
                    "started at one of the year's 千企百校万里行 events."
                ),
                source=source,
                drill_down=url("demand_list", "?matched_at_events={year}"),
                app="cooperation",
            ),
            Figure(
                keys.COMPETITION_ENTRANTS,
                _("Entrants of the year's innovation competition"),
                definition=_(
                    "Enterprises entered in the year's China Innovation and Entrepreneurship Competition."
                ),
                source=source,
                drill_down=competition(),
                app="cooperation",
            ),
            Figure(
                keys.COMPETITION_NINGBO_FINALISTS,
                _("Entrants in the Ningbo division final"),
                definition=_(
                    "Entrants of the year's China Innovation and Entrepreneurship Competition "
                    "with a result in the Ningbo division final."
                ),
                source=source,
                drill_down=competition("nb_final"),
                app="cooperation",
            ),
            Figure(
                keys.COMPETITION_NATIONAL_FINALISTS,
                _("Entrants in the national final"),
                definition=_(
                    "Entrants of the year's China Innovation and Entrepreneurship Competition "
                    "with a result in the national industry final."
                ),
                source=source,
                drill_down=competition("national_final"),
                app="cooperation",
            ),
            Figure(
                keys.TECHNICAL_CONTRACTS_REGISTERED,
                _("Technical contracts registered"),
                definition=_("Technical contracts registered by the bureau's office in the year."),
                source=_("技术合同认定登记管理办法（国科发政字〔2000〕063号）"),
                drill_down=url("contract_list", "?status=registered&year={year}"),
                app="cooperation",
            ),
            Figure(
                keys.TECHNICAL_CONTRACT_AMOUNT,
                _("Contract total of registered technical contracts"),
                unit="yuan",
                definition=_(
                    "Total contract amount of the technical contracts registered by the "
                    "bureau's office in the year."
                ),
                source=_("技术合同认定登记管理办法（国科发政字〔2000〕063号）"),
                drill_down=url("contract_list", "?status=registered&year={year}"),
                app="cooperation",
            ),
            Figure(
                keys.TECHNICAL_TRANSACTION_AMOUNT,
                _("Technical transaction amount of registered technical contracts"),
                unit="yuan",
                definition=_(
                    "Contract total minus non-technical costs, as verified at registration."
                ),
                source=_("技术合同认定规则（国科发政字〔2001〕253号）"),
                drill_down=url("contract_list", "?status=registered&year={year}"),
                app="cooperation",
            ),
        )
