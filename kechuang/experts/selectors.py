"""Reads of the expert pool, always scoped to the user (`for_user`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from kechuang.enterprises.models import Enterprise

from .conf import conflict_rules, relationship_kinds
from .conflicts import conflicts_for
from .models import Expert, ExpertRelationship, Field, Organisation

__all__ = [
    "expert_list",
    "expert_get",
    "organisation_list",
    "organisation_get",
    "relationship_list",
    "expert_history",
    "field_list",
    "rules_summary",
    "own_expert",
    "conflict_rows",
]


def expert_list(user: Any) -> QuerySet[Expert]:
    return (
        Expert.objects.for_user(user)
        .select_related("organisation")
        .prefetch_related(Prefetch("fields", queryset=Field.objects.order_by("code")))
    )


def expert_get(user: Any, pk: int) -> Expert:
    """One expert in the user's scope (Expert.DoesNotExist otherwise)."""
    return expert_list(user).get(pk=pk)


def own_expert(user: Any) -> Expert | None:
    return Expert.objects.filter(user=user).first() if user.is_authenticated else None


def organisation_list(user: Any) -> QuerySet[Organisation]:
    return (
        Organisation.objects.for_user(user)
        .select_related("enterprise")
        .annotate(n_experts=Count("experts", distinct=True))
    )


def organisation_get(user: Any, pk: int) -> Organisation:
    return organisation_list(user).get(pk=pk)


def relationship_list(expert: Expert) -> QuerySet[ExpertRelationship]:
    return expert.relationships.select_related("organisation", "enterprise", "declared_by")


def field_list() -> QuerySet[Field]:
    return Field.objects.filter(active=True)


def expert_history(expert: Expert, limit: int = 50) -> list[dict[str, Any]]:
    """The expert's own changes and those of their relationships, newest first."""
    own = expert.history.select_related("history_user").order_by("-history_date")[:limit]
    related = (
        ExpertRelationship.history.filter(expert_id=expert.pk)
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    rows = []
    for label, records in (
        (Expert._meta.verbose_name, own),
        (ExpertRelationship._meta.verbose_name, related),
    ):
        for h in records:
            rows.append(
                {
                    "at": h.history_date,
                    "user": h.history_user,
                    "type": h.history_type,
                    "what": label,
                }
            )
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows[:limit]


def rules_summary() -> dict[str, Any]:
    """The conflict rules in force, for the pages that show them (marked 待政策核实)."""
    rules = conflict_rules()
    return {
        "same_organisation": bool(rules.get("same_organisation", True)),
        "collaboration_years": rules.get("collaboration_years"),
        "kinds": [
            {"code": code, "label": label, "years": years}
            for code, (label, years) in relationship_kinds().items()
        ],
    }


def conflict_rows(
    user: Any,
    *,
    applicant: Enterprise | None = None,
    partners: Iterable[Organisation] | None = (),
    on_date: dt.date | None = None,
) -> list[dict[str, Any]]:
    """The experts of the user's pool conflicted with an applicant and its partners, with the
    reasons (one `conflicts_for` call over the whole pool)."""
    experts = {e.pk: e for e in expert_list(user).filter(active=True)}
    found = conflicts_for(
        list(experts), applicant.pk if applicant else None, [p.pk for p in partners or ()], on_date
    )
    return [
        {"expert": experts[pk], "conflicts": conflicts}
        for pk, conflicts in sorted(found.items(), key=lambda kv: experts[kv[0]].name)
    ]


def api_rows(
    model: type[Expert] | type[Organisation] | type[ExpertRelationship], user: Any
) -> QuerySet[Any]:
    """Rows of an expert-pool model in the user's scope, in primary-key order (the API lists)."""
    return model.objects.for_user(user).order_by("pk")


def expert_in_scope(user: Any, expert: Expert) -> bool:
    """Whether the expert record is in the user's scope."""
    return Expert.objects.for_user(user).filter(pk=expert.pk).exists()
