"""This app's conflict source for the expert registry (docs/programmes.md#conflicts-of-interest):
the expert was on the team of, or works for a partner of, a project of the applicant that
started within the last N years (N = `collaboration_years` of the conflict rules)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.utils.translation import gettext as _

from kechuang.experts.conf import conflict_rules
from kechuang.experts.conflicts import Conflict
from kechuang.experts.models import Expert

from .models import Project

__all__ = ["past_project_source"]


def past_project_source(
    expert_ids: list[int],
    applicant_enterprise_id: int | None,
    partner_org_ids: list[int],
    on_date: dt.date,
) -> dict[int, list[Conflict]]:
    """One query for the applicant's recent projects, one for the experts' organisations."""
    if not applicant_enterprise_id:
        return {}
    years = int(conflict_rules().get("collaboration_years", 4))
    rows = Project.objects.filter(
        application__enterprise_id=applicant_enterprise_id,
        application__call__year__gte=on_date.year - years,
    ).values_list("number", "application__team", "application__partners")
    team_experts: dict[int, str] = {}
    partner_orgs: dict[int, str] = {}
    for number, team, partners in rows:
        for member in team or []:
            if member.get("expert"):
                team_experts.setdefault(int(member["expert"]), number)
        for partner in partners or []:
            if partner.get("organisation"):
                partner_orgs.setdefault(int(partner["organisation"]), number)
    if not team_experts and not partner_orgs:
        return {}
    found: dict[int, list[Conflict]] = defaultdict(list)
    for pk, org_id in Expert.objects.filter(pk__in=expert_ids).values_list("pk", "organisation_id"):
        if pk in team_experts:
            found[pk].append(
                Conflict(
                    "past_project_team",
                    _("On the team of the applicant's project %(number)s within %(years)s years")
                    % {"number": team_experts[pk], "years": years},
                    "programmes.past_project",
                )
            )
        if org_id in partner_orgs:
            found[pk].append(
                Conflict(
                    "past_project_partner",
                    _(
                        "Works for a partner of the applicant's project %(number)s within %(years)s years"
                    )
                    % {"number": partner_orgs[org_id], "years": years},
                    "programmes.past_project",
                )
            )
    return dict(found)
