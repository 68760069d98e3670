"""Conflict-of-interest configuration (docs/experts.md#configuration).

`KECHUANG_CONFLICT_RULES` in the settings overrides any of these keys. The defaults follow the
practice of open peer review (recent collaborators within 4 years, same organisation always); the
official Chinese values are not confirmed, so every page that shows them marks them 待政策核实.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

__all__ = ["DEFAULT_CONFLICT_RULES", "conflict_rules", "relationship_kinds", "relationship_label"]

DEFAULT_CONFLICT_RULES: dict[str, Any] = {
    # The expert's organisation is the applicant or one of its partners: always a conflict.
    "same_organisation": True,
    # Past project team or partner, technical contract or brokered cooperation: within N years.
    "collaboration_years": 4,
    # Declared relationship kinds: code → (label, years after the relationship ended during which
    # it still counts; None = only while it lasts).
    "relationship_kinds": {
        "relative": (_("Relative"), None),
        "shareholder": (_("Shareholder"), None),
        "former_employer": (_("Former employer"), 4),
        "collaborator": (_("Co-author or collaborator"), 4),
        "other": (_("Other"), None),
    },
}


def conflict_rules() -> dict[str, Any]:
    """The defaults merged with the settings' `KECHUANG_CONFLICT_RULES`."""
    rules = dict(DEFAULT_CONFLICT_RULES)
    rules.update(getattr(settings, "KECHUANG_CONFLICT_RULES", None) or {})
    return rules


def relationship_kinds() -> dict[str, tuple]:
    return dict(conflict_rules()["relationship_kinds"])


def relationship_label(code: str) -> str:
    entry = relationship_kinds().get(code)
    return str(entry[0]) if entry else code
