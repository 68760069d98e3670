from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpertsConfig(AppConfig):
    name = "kechuang.experts"
    label = "experts"
    verbose_name = _("Expert pool")

    def ready(self):
        from kechuang.core.access import NAVIGATION
        from kechuang.core.roles import Role

        for entry in (
            ("experts:expert_list", _("Expert pool"), "experts.list"),
            ("experts:expert_me", _("My expert profile"), "experts.declare", {Role.EXPERT}),
            (
                "experts:organisation_list",
                _("My organisation"),
                "organisations.view",
                {Role.UNIVERSITY},
            ),
        ):
            if entry[0] not in {e[0] for e in NAVIGATION}:
                NAVIGATION.append(entry)
