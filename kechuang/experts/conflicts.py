"""Conflicts of interest (回避) from the registry graph (docs/experts.md#conflict-rules).

`conflicts_for` asks every source of `CONFLICT_SOURCES` once and merges their answers. A source
is a callable ``(expert_ids, applicant_enterprise_id, partner_org_ids, on_date) ->
{expert_id: [Conflict, ...]}`` that answers with one query for all the experts (never one per
expert). This app provides "same organisation as the applicant or a partner" and "declared
relationship"; higher apps append their own from AppConfig.ready() (programmes: past project
team or partner within N years; cooperation: technical contract or brokered cooperation within N
years), reading N from `conf.conflict_rules()["collaboration_years"]`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .conf import conflict_rules, relationship_label
from .models import Expert, ExpertRelationship

__all__ = [
    "Conflict",
    "ConflictSource",
    "CONFLICT_SOURCES",
    "conflicts_for",
    "same_organisation_source",
    "declared_relationship_source",
]


@dataclass(frozen=True)
class Conflict:
    """One reason an expert must not review: `kind` a stable code, `reason` the Chinese text
    recorded and shown to staff, `source` the name of the source that found it."""

    kind: str
    reason: str
    source: str


ConflictSource = Callable[[list[int], int | None, list[int], dt.date], dict[int, list[Conflict]]]


def same_organisation_source(
    expert_ids: list[int],
    applicant_enterprise_id: int | None,
    partner_org_ids: list[int],
    on_date: dt.date,
) -> dict[int, list[Conflict]]:
    """The expert's organisation is the applicant enterprise or one of the partner organisations
    (always a conflict while `same_organisation` is on)."""
    if not conflict_rules().get("same_organisation", True):
        return {}
    condition = Q(organisation_id__in=partner_org_ids) if partner_org_ids else Q(pk__in=[])
    if applicant_enterprise_id:
        condition |= Q(organisation__enterprise_id=applicant_enterprise_id)
    rows = Expert.objects.filter(condition, pk__in=expert_ids).values_list(
        "pk", "organisation_id", "organisation__name", "organisation__enterprise_id"
    )
    found: dict[int, list[Conflict]] = defaultdict(list)
    partners = set(partner_org_ids)
    for pk, org_id, org_name, enterprise_id in rows:
        if applicant_enterprise_id and enterprise_id == applicant_enterprise_id:
            reason = _("Works for the applicant (%(org)s)") % {"org": org_name}
        elif org_id in partners:
            reason = _("Works for a partner of the application (%(org)s)") % {"org": org_name}
        else:
            continue
        found[pk].append(Conflict("same_organisation", reason, "experts.same_organisation"))
    return dict(found)


def declared_relationship_source(
    expert_ids: list[int],
    applicant_enterprise_id: int | None,
    partner_org_ids: list[int],
    on_date: dt.date,
) -> dict[int, list[Conflict]]:
    """A declared relationship with the applicant (or its organisation record) or a partner
    that counts on `on_date` (ExpertRelationship.objects.active_on)."""
    condition = Q(organisation_id__in=partner_org_ids) if partner_org_ids else Q(pk__in=[])
    if applicant_enterprise_id:
        condition |= Q(enterprise_id=applicant_enterprise_id) | Q(
            organisation__enterprise_id=applicant_enterprise_id
        )
    rows = (
        ExpertRelationship.objects.active_on(on_date)
        .filter(condition, expert_id__in=expert_ids)
        .values_list(
            "expert_id", "kind", "organisation__name", "enterprise__name", "since", "until"
        )
    )
    found: dict[int, list[Conflict]] = defaultdict(list)
    for expert_id, kind, org_name, enterprise_name, since, until in rows:
        period = ""
        if since or until:
            start = f"{since:%Y-%m}" if since else ""
            end = f"{until:%Y-%m}" if until else ""
            period = f"（{start}—{end}）"
        reason = _("Declared relationship: %(kind)s with %(counterpart)s%(period)s") % {
            "kind": relationship_label(kind),
            "counterpart": org_name or enterprise_name,
            "period": period,
        }
        found[expert_id].append(
            Conflict(f"relationship:{kind}", reason, "experts.declared_relationship")
        )
    return dict(found)


CONFLICT_SOURCES: list[ConflictSource] = [same_organisation_source, declared_relationship_source]


def conflicts_for(
    expert_ids: Iterable[int],
    applicant_enterprise_id: int | None,
    partner_org_ids: Iterable[int] = (),
    on_date: dt.date | None = None,
    *,
    sources: Iterable[ConflictSource] | None = None,
) -> dict[int, list[Conflict]]:
    """Every conflict of each expert with an application of `applicant_enterprise_id` and its
    partner organisations, as of `on_date` (today by default). Experts without a conflict are
    absent from the answer. One call per source, whatever the number of experts."""
    ids = sorted({int(i) for i in expert_ids})
    partners = sorted({int(i) for i in partner_org_ids})
    if not ids:
        return {}
    on_date = on_date or dt.date.today()
    merged: dict[int, list[Conflict]] = {}
    for source in list(CONFLICT_SOURCES if sources is None else sources):
        for expert_id, conflicts in (
            source(ids, applicant_enterprise_id, partners, on_date) or {}
        ).items():
            if expert_id not in ids:
                continue
            bucket = merged.setdefault(expert_id, [])
            for conflict in conflicts:
                if conflict not in bucket:
                    bucket.append(conflict)
    return merged
