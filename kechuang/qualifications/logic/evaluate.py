"""Single-enterprise face: ``evaluate_case`` (input object → output object,
docs/qualification-rules.md#offline-evaluation)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .facts import day, normalise
from .high_tech import evaluate_high_tech, h_flags
from .others import (
    evaluate_cultivation,
    evaluate_rd_institution,
    evaluate_tech_sme_provincial,
    evaluate_unicorn,
)
from .rulesets import RuleSet, get_ruleset
from .tech_sme import evaluate_tech_sme_national

TIER_KEYS = (
    "tech_sme_national",
    "high_tech",
    "tech_sme_provincial",
    "cultivation",
    "rd_institution",
    "unicorn",
)


def evaluate_facts(f: dict[str, Any], rs: RuleSet) -> dict[str, dict[str, Any]]:
    """Evaluate every tier from normalised facts (see :func:`facts.normalise`)."""
    tsn = evaluate_tech_sme_national(f, rs)
    ht = evaluate_high_tech(f, rs)
    return {
        "tech_sme_national": tsn,
        "high_tech": ht,
        "tech_sme_provincial": evaluate_tech_sme_provincial(f, rs),
        "cultivation": evaluate_cultivation(f, rs, tsn["status"], h_flags(ht)),
        "rd_institution": evaluate_rd_institution(f, rs),
        "unicorn": evaluate_unicorn(f, rs),
    }


def evaluate_case(case: Mapping[str, Any], *, ruleset: RuleSet | None = None) -> dict[str, Any]:
    """Evaluate one case (money in 万元, ratios decimals, absent = unknown).

    Returns ``{"id", "rule_set_version", "tiers": {tier_key: {...}}}``.  Raises ``ValueError``
    for a malformed case.  ``ruleset`` defaults to the one in force on ``application_date``.
    """
    if not isinstance(case, Mapping):
        raise ValueError("case must be a JSON object")
    rs = ruleset or get_ruleset(day(case.get("application_date")))
    f = normalise(case, rs)
    return {"id": case.get("id"), "rule_set_version": rs.version, "tiers": evaluate_facts(f, rs)}
