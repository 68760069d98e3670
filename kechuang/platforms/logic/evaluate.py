"""Recognition conditions of platforms (docs/platforms.md#recognition-rules).

One function per kind — incubator, maker space, incubatee, graduate — taking the facts (the
offline field names), the evaluation date and a rule set, and returning the result object of the
offline interface: status, every condition with value, operator, threshold, clause and status,
and the gaps (the smallest addition to one fact that makes a failed part pass).

Boundary words: 以上 / 不低于 / 不少于 / 满 / 至少 include the number (``>=``), 超过 is strict
(``>``), 不超过 includes it (``<=``). Ratios compare exactly (fractions, no rounding). A fact that
is absent makes its condition ``unknown``; so does a threshold the bureau has not filled in (待政策核实).
A zero denominator makes a share 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from .periods import months_begun, months_completed, years_completed
from .rulesets import PENDING_LABEL_ZH, PlatformRuleSet, rule_set

__all__ = [
    "KINDS",
    "evaluate",
    "evaluate_case",
    "graduation",
    "overall_status",
    "shortfall",
]

KINDS = ("incubator", "maker_space", "incubatee", "graduate")
STATUS = {True: "pass", False: "fail", None: "unknown"}


# ---------------------------------------------------------------------------------------------
# Facts


def _number(facts: dict, key: str) -> Fraction | None:
    value = facts.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, Fraction, str)):
        raise ValueError(f"{key}: a number is expected")
    number = Fraction(str(value)) if isinstance(value, (float, str)) else Fraction(value)
    if number < 0:
        raise ValueError(f"{key}: must not be negative")
    return number


def _bool(facts: dict, key: str) -> bool | None:
    value = facts.get(key)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ValueError(f"{key}: true or false is expected")
    return value


def _date(facts: dict, key: str) -> date | None:
    value = facts.get(key)
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(f"{key}: an ISO date is expected")
    return date.fromisoformat(value)


def _share(numerator: Fraction | None, denominator: Fraction | None) -> Fraction | None:
    if numerator is None or denominator is None:
        return None
    if denominator == 0:
        return Fraction(0)
    return numerator / denominator


# ---------------------------------------------------------------------------------------------
# Parts and conditions


@dataclass
class Part:
    """One comparison inside a condition; `gap(threshold)` gives (field, additional) when it
    fails. `facts` names the facts the value is computed from, `rule` the rule-set threshold
    key it compares with (both say why the part is unknown)."""

    key: str
    value: Any
    op: str
    threshold: Any
    gap: Callable[[Any], tuple[str, Any] | None] | None = None
    facts: tuple[str, ...] = ()
    rule: str | None = None

    def result(self) -> bool | None:
        if self.value is None or self.threshold is None:
            return None
        return {
            ">=": self.value >= self.threshold,
            ">": self.value > self.threshold,
            "<=": self.value <= self.threshold,
            "==": self.value == self.threshold,
        }[self.op]


def _kleene(values: list[bool | None], *, any_: bool) -> bool | None:
    decisive = any_
    if decisive in values:
        return decisive
    if None in values:
        return None
    return not decisive


def _jsonable(value: Any) -> Any:
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    return value


def _condition(
    cid: str, groups: list, rules: PlatformRuleSet, facts: dict, *, any_: bool = False
) -> dict:
    """A condition: all of `groups`, each a Part or a list of alternative Parts (any of them);
    `any_` makes the whole condition one group of alternatives."""
    if any_:
        groups = [list(groups)]
    groups = [g if isinstance(g, list) else [g] for g in groups]
    parts = [p for g in groups for p in g]
    results = {id(p): p.result() for p in parts}
    group_results = [_kleene([results[id(p)] for p in g], any_=True) for g in groups]
    ok = _kleene(group_results, any_=False)
    out: dict[str, Any] = {"id": cid, "status": STATUS[ok]}
    if len(parts) == 1:
        out.update(value=parts[0].value, op=parts[0].op, threshold=parts[0].threshold)
    else:
        out.update(
            value={p.key: p.value for p in parts},
            op="any" if len(groups) == 1 else "all",
            threshold={p.key: {"op": p.op, "value": p.threshold} for p in parts},
        )
    out["clause"] = rules.clauses.get(cid, rules.document)
    out["parts"] = [
        {
            "key": p.key,
            "status": STATUS[results[id(p)]],
            "value": p.value,
            "op": p.op,
            "threshold": p.threshold,
        }
        for p in parts
    ]
    if ok is None:
        unknown = [p for p in parts if results[id(p)] is None]
        pending = [p for p in unknown if p.rule and rules.threshold(p.rule) is None]
        missing = [f for p in unknown for f in (p.facts or (p.key,)) if facts.get(f) is None]
        out["reason"] = (
            PENDING_LABEL_ZH
            if pending or not missing
            else "缺少数据：" + "、".join(dict.fromkeys(missing))
        )
    gaps = []
    if ok is False:
        for group, group_ok in zip(groups, group_results, strict=True):
            if group_ok is not False:
                continue
            for p in group:
                if p.gap is not None:
                    found = p.gap(p.threshold)
                    if found is not None:
                        gaps.append({"condition": cid, "field": found[0], "additional": found[1]})
    out["_gaps"] = gaps
    return out


def _finish(
    kind: str, case_id: Any, conditions: list[dict], rules: PlatformRuleSet, **extra
) -> dict:
    gaps = [g for c in conditions for g in c.pop("_gaps")]
    status = extra.pop("status", None) or overall_status(conditions)
    result = {
        "id": case_id,
        "kind": kind,
        "status": status,
        "regime": rules.regime,
        "rule_set_version": rules.version,
        **extra,
    }
    result["conditions"] = conditions
    result["gaps"] = gaps
    if rules.pending_verification:
        result["pending_verification"] = True
    return _deep_jsonable(result)


def _deep_jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return _jsonable(value)


def overall_status(conditions: list[dict]) -> str:
    """All of the conditions: fail if one fails, else unknown if one is unknown, else pass."""
    statuses = {c["status"] for c in conditions}
    return "fail" if "fail" in statuses else ("unknown" if "unknown" in statuses else "pass")


# Gap helpers: the smallest addition to one fact that makes the part pass.


def _count_gap(field: str, value: Fraction | None) -> Callable:
    def gap(threshold):
        return field, math.ceil(threshold - value) if threshold > value else 1

    return gap


def _amount_gap(field: str, value: Fraction | None) -> Callable:
    return lambda threshold: (field, threshold - value)


def _true_gap(field: str) -> Callable:
    return lambda threshold: (field, True)


def _share_gap(field: str, numerator, denominator, *, integer: bool = True) -> Callable:
    """numerator / denominator >= t by adding to the numerator only."""

    def gap(threshold):
        need = threshold * denominator - numerator
        return field, (max(math.ceil(need), 1) if integer else need)

    return gap


def _share_both_gap(field: str, numerator, denominator) -> Callable:
    """(numerator + x) / (denominator + x) >= t: x >= (t·d − n) / (1 − t)."""

    def gap(threshold):
        if threshold >= 1:
            return field, denominator - numerator
        return field, max(math.ceil((threshold * denominator - numerator) / (1 - threshold)), 1)

    return gap


def _years_gap(field: str, value: int | None) -> Callable:
    return lambda threshold: (field, threshold - value)


# The thresholds the remote-area relaxation lowers (docs/platforms.md#remote-area-relaxation):
# area, incubatee and graduate counts, the fund amount and the IP shares.
REMOTE_RELAXED = frozenset(
    {
        "area_m2",
        "incubatees",
        "professional_incubatees",
        "graduates_cumulative",
        "professional_graduates_cumulative",
        "fund_wan",
        "patent_application_share",
        "valid_ip_share",
    }
)


def _scaled(rules: PlatformRuleSet, key: str, remote: bool | None) -> Any:
    value = rules.threshold(key)
    if value is None or not remote or rules.remote_factor is None or key not in REMOTE_RELAXED:
        return value
    return value * rules.remote_factor


# ---------------------------------------------------------------------------------------------
# Kinds


def _incubator(facts: dict, on: date, rules: PlatformRuleSet) -> tuple[list[dict], dict]:
    t = rules.threshold
    remote = _bool(facts, "remote_area")
    professional = _bool(facts, "professional")
    since = _date(facts, "operating_since")
    registered = _date(facts, "registered_date")
    # Registered and operating: counted from the later of the two dates.
    start = max(d for d in (since, registered) if d) if since else None
    years = years_completed(start, on) if start else None
    n = {
        k: _number(facts, k)
        for k in (
            "statistics_years_filed",
            "area_m2",
            "incubatee_area_m2",
            "fund_wan",
            "incubatees",
            "incubatees_financed",
            "fund_cases",
            "staff",
            "professional_staff",
            "mentors",
            "incubatees_with_patent_applications",
            "incubatees_with_valid_ip",
            "graduates_cumulative",
            "same_industry_incubatees",
        )
    }
    inc = n["incubatees"]

    def scaled(key: str) -> Any:
        return _scaled(rules, key, remote)

    def count(key: str, rule: str | None = None, value_key: str | None = None) -> Part:
        rule = rule or key
        field = value_key or key
        return Part(key, n[field], ">=", scaled(rule), _count_gap(field, n[field]), (field,), rule)

    def share(key: str, num: str, den: str, *, integer: bool = True) -> Part:
        return Part(
            key,
            _share(n[num], n[den]),
            ">=",
            scaled(key),
            _share_gap(num, n[num], n[den], integer=integer),
            (num, den),
            key,
        )

    def per_ten(key: str, field: str, rule: str) -> Part:
        ratio = t(rule)
        value = None if n[field] is None or ratio is None else n[field] * ratio
        return Part(
            key,
            value,
            ">=",
            inc,
            lambda th: (field, math.ceil(th / ratio) - n[field]),
            (field, "incubatees"),
            rule,
        )

    prof_share = Part(
        "professional_staff_share",
        _share(n["professional_staff"], n["staff"]),
        ">=",
        t("professional_staff_share"),
        _share_both_gap("professional_staff", n["professional_staff"], n["staff"]),
        ("professional_staff", "staff"),
        "professional_staff_share",
    )
    prefix = "professional_" if professional else ""
    density_rule = f"{prefix}incubatees_per_1000_m2"
    density = t(density_rule)
    density_part = Part(
        "incubatees_per_1000_m2",
        None if inc is None else inc * 1000,
        ">=",
        None if n["area_m2"] is None or density is None else density * n["area_m2"],
        lambda th: ("incubatees", math.ceil(th / 1000) - inc),
        ("incubatees", "area_m2"),
        density_rule,
    )
    c = [
        _condition(
            "I1",
            [
                Part(
                    "legal_person",
                    _bool(facts, "legal_person"),
                    "==",
                    True,
                    _true_gap("legal_person"),
                    ("legal_person",),
                ),
                Part(
                    "operating_years",
                    years,
                    ">=",
                    t("operating_years"),
                    _years_gap("operating_since", years),
                    ("operating_since",),
                    "operating_years",
                ),
                count("statistics_years_filed"),
            ],
            rules,
            facts,
        ),
        _condition(
            "I2",
            [
                Part(
                    "area_m2",
                    n["area_m2"],
                    ">=",
                    scaled("area_m2"),
                    _amount_gap("area_m2", n["area_m2"]),
                    ("area_m2",),
                    "area_m2",
                ),
                share("incubatee_area_share", "incubatee_area_m2", "area_m2", integer=False),
            ],
            rules,
            facts,
        ),
        _condition(
            "I3",
            [
                Part(
                    "fund_wan",
                    n["fund_wan"],
                    ">=",
                    scaled("fund_wan"),
                    _amount_gap("fund_wan", n["fund_wan"]),
                    ("fund_wan",),
                    "fund_wan",
                ),
                share("financed_share", "incubatees_financed", "incubatees"),
                count("fund_cases"),
            ],
            rules,
            facts,
        ),
        _condition(
            "I4",
            [
                prof_share,
                per_ten(
                    "incubatees_per_professional_staff",
                    "professional_staff",
                    "incubatees_per_staff",
                ),
                per_ten("incubatees_per_mentor", "mentors", "incubatees_per_mentor"),
            ],
            rules,
            facts,
        ),
        _condition(
            "I5",
            [
                share(
                    "patent_application_share", "incubatees_with_patent_applications", "incubatees"
                ),
                share("valid_ip_share", "incubatees_with_valid_ip", "incubatees"),
            ],
            rules,
            facts,
            any_=True,
        ),
        _condition(
            "I6",
            [
                count("incubatees", f"{prefix}incubatees"),
                density_part,
            ],
            rules,
            facts,
        ),
        _condition(
            "I7", [count("graduates_cumulative", f"{prefix}graduates_cumulative")], rules, facts
        ),
    ]
    if professional:
        c.append(
            _condition(
                "I8",
                [
                    share("same_industry_share", "same_industry_incubatees", "incubatees"),
                    Part(
                        "has_shared_technical_platform",
                        _bool(facts, "has_shared_technical_platform"),
                        "==",
                        True,
                        _true_gap("has_shared_technical_platform"),
                        ("has_shared_technical_platform",),
                    ),
                ],
                rules,
                facts,
            )
        )
    return c, {"variant": "professional" if professional else "comprehensive"}


def _maker_space(facts: dict, on: date, rules: PlatformRuleSet) -> tuple[list[dict], dict]:
    t = rules.threshold
    since = _date(facts, "operating_since")
    months = months_completed(since, on) if since else None
    n = {
        k: _number(facts, k)
        for k in (
            "service_area_m2",
            "desks",
            "desk_and_public_area_m2",
            "total_area_m2",
            "resident_teams_year",
            "new_firms_year",
            "financed_year",
            "typical_cases_year",
            "fulltime_staff",
            "mentors",
            "events_year",
        )
    }

    def count(key: str) -> Part:
        return Part(key, n[key], ">=", t(key), _count_gap(key, n[key]), (key,), key)

    def yes(key: str) -> Part:
        return Part(key, _bool(facts, key), "==", True, _true_gap(key), (key,))

    area = Part(
        "service_area_m2",
        n["service_area_m2"],
        ">=",
        t("service_area_m2"),
        _amount_gap("service_area_m2", n["service_area_m2"]),
        ("service_area_m2",),
        "service_area_m2",
    )
    share = Part(
        "desk_and_public_share",
        _share(n["desk_and_public_area_m2"], n["total_area_m2"]),
        ">=",
        t("desk_and_public_share"),
        _share_gap(
            "desk_and_public_area_m2",
            n["desk_and_public_area_m2"],
            n["total_area_m2"],
            integer=False,
        ),
        ("desk_and_public_area_m2", "total_area_m2"),
        "desk_and_public_share",
    )
    c = [
        _condition("M1", [yes("direction_clear")], rules, facts),
        _condition("M2", [yes("legal_person_or_dedicated_body")], rules, facts),
        _condition(
            "M3",
            [
                Part(
                    "operating_months",
                    months,
                    ">=",
                    t("operating_months"),
                    _years_gap("operating_since", months),
                    ("operating_since",),
                    "operating_months",
                )
            ],
            rules,
            facts,
        ),
        _condition("M4", [[area, count("desks")], share], rules, facts),
        _condition("M5", [count("resident_teams_year")], rules, facts),
        _condition(
            "M6", [count("new_firms_year"), count("financed_year")], rules, facts, any_=True
        ),
        _condition("M7", [count("typical_cases_year")], rules, facts),
        _condition("M8", [count("fulltime_staff"), count("mentors")], rules, facts),
        _condition("M9", [count("events_year")], rules, facts),
        _condition("M10", [yes("statistics_filed")], rules, facts),
    ]
    return c, {}


def _incubatee(facts: dict, on: date, rules: PlatformRuleSet) -> tuple[list[dict], dict]:
    t = rules.threshold
    founded = _date(facts, "founded_date")
    entry = _date(facts, "entry_date")
    exit_ = _date(facts, "exit_date")
    age = months_begun(founded, entry) if founded and entry else None
    end = min(exit_, on) if exit_ else on
    incubation = months_begun(entry, end) if entry else None
    c = [
        _condition(
            "E1",
            [
                Part(
                    "meets_tech_sme",
                    _bool(facts, "meets_tech_sme"),
                    "==",
                    True,
                    facts=("meets_tech_sme",),
                )
            ],
            rules,
            facts,
        ),
        _condition(
            "E2",
            [
                Part(
                    "registered_on_site",
                    _bool(facts, "registered_on_site"),
                    "==",
                    True,
                    _true_gap("registered_on_site"),
                    ("registered_on_site",),
                )
            ],
            rules,
            facts,
        ),
        _condition(
            "E3",
            [
                Part(
                    "age_at_entry_months",
                    age,
                    "<=",
                    t("age_at_entry_months"),
                    facts=("founded_date", "entry_date"),
                    rule="age_at_entry_months",
                )
            ],
            rules,
            facts,
        ),
        _condition(
            "E4",
            [
                Part(
                    "incubation_months",
                    incubation,
                    "<=",
                    t("incubation_months"),
                    facts=("entry_date",),
                    rule="incubation_months",
                )
            ],
            rules,
            facts,
        ),
    ]
    return c, {}


def _revenue_pairs(by_year: Any) -> Fraction | None:
    """The largest revenue of two consecutive years added up (None without such a pair)."""
    if by_year is None:
        return None
    if not isinstance(by_year, dict):
        raise ValueError("revenue_wan_by_year: an object year → 万元 is expected")
    years = {int(y): _number({"v": v}, "v") for y, v in by_year.items()}
    known = {y: v for y, v in years.items() if v is not None}
    sums = [v + known[y + 1] for y, v in known.items() if y + 1 in known]
    return max(sums) if sums else None


def _graduate(facts: dict, on: date, rules: PlatformRuleSet) -> tuple[list[dict], dict]:
    t = rules.threshold
    angel = _number(facts, "angel_vc_wan")
    revenue = _revenue_pairs(facts.get("revenue_wan_by_year"))
    c = [
        _condition(
            "G1",
            [
                Part(
                    "high_tech_recognised",
                    _bool(facts, "high_tech_recognised"),
                    "==",
                    True,
                    facts=("high_tech_recognised",),
                )
            ],
            rules,
            facts,
        ),
        _condition(
            "G2",
            [
                Part(
                    "angel_vc_wan",
                    angel,
                    ">",
                    t("angel_vc_wan"),
                    facts=("angel_vc_wan",),
                    rule="angel_vc_wan",
                )
            ],
            rules,
            facts,
        ),
        _condition(
            "G3",
            [
                Part(
                    "revenue_two_years_wan",
                    revenue,
                    ">",
                    t("revenue_two_years_wan"),
                    facts=("revenue_wan_by_year",),
                    rule="revenue_two_years_wan",
                )
            ],
            rules,
            facts,
        ),
        _condition(
            "G4",
            [
                Part(
                    "merged_acquired_or_listed",
                    _bool(facts, "merged_acquired_or_listed"),
                    "==",
                    True,
                    facts=("merged_acquired_or_listed",),
                )
            ],
            rules,
            facts,
        ),
    ]
    for item in c:
        item["_gaps"] = []
    criterion = next((item["id"] for item in c if item["status"] == "pass"), None)
    statuses = {item["status"] for item in c}
    status = "pass" if criterion else ("unknown" if "unknown" in statuses else "fail")
    return c, {"status": status, "criterion": criterion}


_KIND_FUNCTIONS = {
    "incubator": _incubator,
    "maker_space": _maker_space,
    "incubatee": _incubatee,
    "graduate": _graduate,
}


def evaluate(
    kind: str,
    facts: dict,
    evaluation_date: date,
    rules: PlatformRuleSet | None = None,
    *,
    case_id: Any = None,
) -> dict:
    """The result object of one case (ValueError on malformed facts)."""
    if kind not in _KIND_FUNCTIONS:
        raise ValueError(f"unknown kind {kind!r}")
    if not isinstance(facts, dict):
        raise ValueError("facts: an object is expected")
    rules = rules or rule_set(kind)
    if rules.kind != kind:
        raise ValueError(f"rule set {rules.regime!r} is not for {kind!r}")
    conditions, extra = _KIND_FUNCTIONS[kind](facts, evaluation_date, rules)
    return _finish(kind, case_id, conditions, rules, **extra)


def graduation(facts: dict, evaluation_date: date, rules: PlatformRuleSet | None = None) -> dict:
    """Graduation of one incubatee with the criterion (G1–G4) that made it."""
    return evaluate("graduate", facts, evaluation_date, rules)


def evaluate_case(case: Any) -> dict:
    """One offline case `{"id", "kind", "evaluation_date", "regime"?, "facts"}` → its result."""
    if not isinstance(case, dict):
        raise ValueError("a JSON object is expected")
    kind = case.get("kind")
    if kind not in _KIND_FUNCTIONS:
        raise ValueError(f"kind: one of {', '.join(KINDS)} is expected")
    raw_date = case.get("evaluation_date")
    if not isinstance(raw_date, str):
        raise ValueError("evaluation_date: an ISO date is expected")
    on = date.fromisoformat(raw_date)
    rules = rule_set(kind, case.get("regime"))
    return evaluate(kind, case.get("facts") or {}, on, rules, case_id=case.get("id"))


def shortfall(result: dict) -> tuple[int, int, float]:
    """Sort key of upgrade candidates: failed conditions, unknown ones, then the summed relative
    shortfall of the gaps (closest first)."""
    fails = sum(c["status"] == "fail" for c in result["conditions"])
    unknown = sum(c["status"] == "unknown" for c in result["conditions"])
    relative = 0.0
    for c in result["conditions"]:
        for p in c.get("parts", []):
            if (
                p["status"] == "fail"
                and isinstance(p["threshold"], (int, float))
                and p["threshold"]
            ):
                value = p["value"] if isinstance(p["value"], (int, float)) else 0
                relative += max(0.0, 1 - float(value) / float(p["threshold"]))
            elif p["status"] == "fail":
                relative += 1.0
    return fails, unknown, relative
