"""The global search (docs/enterprise-file.md#global-search): enterprises by name, unified social
credit code or a person (a contact person, the legal representative among them), inside the
searcher's scope.

One query in the database, never a scan in Python: the enterprise rows of the searcher's scope
(`Enterprise.objects.for_user`) are filtered by prefix matches, which use the pattern indexes
on the name, the credit code and the contact name, and by infix matches of the name and the
contact name, ranked best first (exact credit code, code prefix, name prefix, name, person).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext as _

from .file_models import ContactRole, EnterpriseContact
from .models import Enterprise

__all__ = [
    "MIN_QUERY",
    "MAX_QUERY",
    "SearchHit",
    "normalise_query",
    "search_enterprises",
    "split_match",
]

MIN_QUERY = 2  # one Chinese character matches too much of a region's registry
MAX_QUERY = 64
CODE_CHARS = set("0123456789ABCDEFGHJKLMNPQRTUWXY")  # GB 32100-2015 code alphabet


@dataclass(frozen=True)
class SearchHit:
    """One enterprise found: how it matched and, for a person, who."""

    enterprise: Enterprise
    matched: str  # "code", "name" or "person"
    person: str = ""
    person_role: str = ""

    @property
    def matched_label(self) -> str:
        return {
            "code": _("Credit code"),
            "name": _("Name"),
            "person": _("Person"),
        }[self.matched]


def normalise_query(value: Any) -> str:
    """The query as searched: trimmed, inner runs of spaces collapsed, at most MAX_QUERY long."""
    text = " ".join(str(value or "").split())
    return text[:MAX_QUERY]


def _looks_like_code(query: str) -> bool:
    upper = query.upper()
    return len(upper) >= 4 and all(ch in CODE_CHARS for ch in upper)


def search_enterprises(user: Any, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Enterprises of the user's scope matching `query`, best matches first (at most `limit`).

    A query shorter than MIN_QUERY finds nothing."""
    query = normalise_query(query)
    if len(query) < MIN_QUERY:
        return []
    code = query.upper().replace(" ", "")
    contacts = EnterpriseContact.objects.filter(enterprise=OuterRef("pk"))
    person_prefix = contacts.filter(name__startswith=query)
    person_any = contacts.filter(name__contains=query)
    is_code = _looks_like_code(code)
    condition = Q(name__contains=query) | Q(Exists(person_any))
    if is_code:
        condition |= Q(credit_code__startswith=code)
    first_person = person_any.order_by(
        Case(When(role=ContactRole.LEGAL_REPRESENTATIVE, then=0), default=1), "name"
    )
    ranks = [
        *(
            (
                When(credit_code=code, then=Value(0)),
                When(credit_code__startswith=code, then=Value(1)),
            )
            if is_code
            else ()
        ),
        When(name__startswith=query, then=Value(2)),
        When(name__contains=query, then=Value(3)),
        When(Exists(person_prefix), then=Value(4)),
    ]
    rows = (
        Enterprise.objects.for_user(user)
        .filter(condition)
        .select_related("town")
        .annotate(
            rank=Case(*ranks, default=Value(5), output_field=IntegerField()),
            person=Subquery(first_person.values("name")[:1]),
            person_role=Subquery(first_person.values("role")[:1]),
        )
        .order_by("rank", "name", "pk")[:limit]
    )
    hits = []
    for row in rows:
        if row.rank <= 1:
            hits.append(SearchHit(row, "code"))
        elif row.rank <= 3:
            hits.append(SearchHit(row, "name"))
        else:
            role = ContactRole(row.person_role).label if row.person_role else ""
            hits.append(SearchHit(row, "person", row.person or "", str(role)))
    return hits


def split_match(text: str, query: str) -> tuple[str, str, str]:
    """(before, match, after) of the first occurrence of `query` in `text` (case-insensitive),
    for highlighting; the whole text as `before` when it does not occur."""
    if not query:
        return text, "", ""
    at = text.upper().find(query.upper())
    if at < 0:
        return text, "", ""
    return text[:at], text[at : at + len(query)], text[at + len(query) :]
