"""The conflict source this app adds to the expert pool (docs/cooperation.md#conflicts): an
expert whose organisation sold a registered technical contract to the applicant, or was brokered
with one of the applicant's demands, within the configured number of years (experts' rule
`collaboration_years`), does not review the applicant's application."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.utils.translation import gettext as _

from kechuang.experts.conf import conflict_rules
from kechuang.experts.conflicts import Conflict
from kechuang.experts.models import Expert

from .choices import RegistrationStatus
from .models import BrokeringRecord, TechContract

__all__ = ["cooperation_source"]


def cooperation_source(
    expert_ids: list[int],
    applicant_enterprise_id: int | None,
    partner_org_ids: list[int],
    on_date: dt.date,
) -> dict[int, list[Conflict]]:
    """Technical contracts and brokered cooperation with the applicant within N years (two
    queries for all the experts)."""
    if not applicant_enterprise_id or not expert_ids:
        return {}
    years = int(conflict_rules().get("collaboration_years", 4))
    since = on_date - dt.timedelta(days=365 * years + years // 4)
    orgs = dict(Expert.objects.filter(pk__in=expert_ids).values_list("pk", "organisation_id"))
    org_ids = set(orgs.values())
    sold = TechContract.objects.filter(
        status=RegistrationStatus.REGISTERED,
        buyer_enterprise_id=applicant_enterprise_id,
        seller_organisation_id__in=org_ids,
        signed_on__gte=since,
    ).values_list("seller_organisation_id", "signed_on")
    brokered = BrokeringRecord.objects.filter(
        Q(supplier_id__in=org_ids) | Q(expert_id__in=expert_ids),
        demand__enterprise_id=applicant_enterprise_id,
        started_on__gte=since,
    ).values_list("supplier_id", "expert_id", "started_on")
    found: dict[int, list[Conflict]] = defaultdict(list)
    contract_orgs = {org: day for org, day in sold}
    brokered_rows = list(brokered)
    for expert_id, org_id in orgs.items():
        if org_id in contract_orgs:
            found[expert_id].append(
                Conflict(
                    "technical_contract",
                    _("Technical contract with the applicant (%(date)s)")
                    % {"date": f"{contract_orgs[org_id]:%Y-%m}"},
                    "cooperation.technical_contract",
                )
            )
        dates = [d for s, e, d in brokered_rows if e == expert_id or (e is None and s == org_id)]
        if dates:
            found[expert_id].append(
                Conflict(
                    "brokered_cooperation",
                    _("Brokered cooperation with the applicant (%(date)s)")
                    % {"date": f"{max(dates):%Y-%m}"},
                    "cooperation.brokered_cooperation",
                )
            )
    return dict(found)
