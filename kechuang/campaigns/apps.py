from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "kechuang.campaigns"
    label = "campaigns"
    verbose_name = _("Campaigns, visits and service agencies")

    def ready(self):
        from .enterprise_file import register as register_enterprise_file  # its file panels

        register_enterprise_file()
        from kechuang.core.context_processors import NAVIGATION
        from kechuang.core.permissions import SCOPE_PROVIDERS
        from kechuang.core.roles import Role

        from .selectors import agency_scope

        if agency_scope not in SCOPE_PROVIDERS:
            SCOPE_PROVIDERS.append(agency_scope)
        # The enterprise portal's documents pass the same upload checks (docs/portal.md#attachments).
        from kechuang.enterprises.submissions import ATTACHMENT_CHECKS

        from .attachments import check_attachment

        if check_attachment not in ATTACHMENT_CHECKS:
            ATTACHMENT_CHECKS.append(check_attachment)
        # The enterprise reaches its delegations and the leader the coverage page (the shared
        # "Visits and services" entry is for the roles that work on tasks).
        for entry in (
            (
                "campaigns:delegation_list",
                _("Agencies and delegation"),
                "delegations.view",
                {Role.ENTERPRISE},
            ),
            ("campaigns:coverage", _("Visit coverage"), "coverage.view", {Role.LEADER}),
        ):
            if entry[0] not in {e[0] for e in NAVIGATION}:
                NAVIGATION.append(entry)
        # The enterprise list's selection gets visit tasks (docs/console.md#lists).
        from kechuang.core.lists import BULK_ACTIONS, BulkAction

        actions = BULK_ACTIONS.setdefault("enterprises:enterprise_list", [])
        if not any(a.url_name == "campaigns:tasks_assign" for a in actions):
            actions.append(
                BulkAction(_("Assign visit tasks"), "campaigns:tasks_assign", "campaigns.manage")
            )

        from . import reminders  # noqa: F401  (its notification kinds)
