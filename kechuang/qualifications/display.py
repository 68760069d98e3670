"""Plain-Chinese presentation of engine results: condition values, gaps, tier cards.

The engine speaks in condition ids, ASCII operators and English notes (its offline interface
is machine-readable); everything an officer reads goes through this module instead.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ResultStatus, Tier

__all__ = [
    "gap_text",
    "tier_cards",
    "STATUS_BADGE",
    "pending_label",
    "condition_label",
    "operator_text",
    "official_clause",
    "basis_label",
    "EXPERT_CONDITIONS",
    "NUMERIC_CONDITIONS",
    "rule_value_text",
    "rule_operator_text",
    "rule_unit_hint",
]

STATUS_BADGE = {
    "pass": "bg-green-lt",
    "borderline": "bg-orange-lt",
    "unknown": "bg-secondary-lt",
    "fail": "bg-red-lt",
}
PERCENT = {"C5s", "H4", "H5", "H5b", "H6", "Z5", "K4", "K5"}
UNITS = {"C2a": "persons", "C2b": "wan", "C2c": "wan", "C5": "points", "H1": "days", "H2": "items",
         "H7": "points", "Z1": "days", "K3": "items"}  # fmt: skip

# Short names of the conditions (32号 第十一条, 115号 第六条, 浙科发高〔2016〕88号, local screen).
CONDITION_LABELS = {
    "C1": gettext_lazy("Resident enterprise registered in mainland China"),
    "C2a": gettext_lazy("Employees"),
    "C2b": gettext_lazy("Annual sales revenue"),
    "C2c": gettext_lazy("Total assets"),
    "C3": gettext_lazy("Not a prohibited, restricted or eliminated product"),
    "C4": gettext_lazy("No major incident, not on a credit blacklist"),
    "C5": gettext_lazy("Overall evaluation score"),
    "C5s": gettext_lazy("S&T staff score above zero"),
    "H1": gettext_lazy("Registered for at least one year"),
    "H2": gettext_lazy("Core intellectual property"),
    "H3": gettext_lazy("Technology in a state-supported high-tech field"),
    "H4": gettext_lazy("S&T staff share"),
    "H5": gettext_lazy("R&D expense share of sales"),
    "H5b": gettext_lazy("Share of R&D expense incurred in China"),
    "H6": gettext_lazy("High-tech product (service) income share"),
    "H7": gettext_lazy("Innovation capability evaluation (expert-scored)"),
    "H8": gettext_lazy("No major safety, quality or environmental incident"),
    "Z1": gettext_lazy("Registered in Zhejiang for at least one year"),
    "Z2": gettext_lazy("Own intellectual property used in business"),
    "Z3": gettext_lazy("Sustained innovation capacity"),
    "Z4": gettext_lazy("Small or medium-sized enterprise"),
    "Z5": gettext_lazy("S&T staff share"),
    "K0": gettext_lazy("No valid high-tech certificate yet"),
    "K1": gettext_lazy("Registered as a national tech-based SME this year"),
    "K2": gettext_lazy("Other high-tech basic conditions met"),
    "K3": gettext_lazy("Conditions not yet met"),
    "K4": gettext_lazy("R&D share close to the requirement"),
    "K5": gettext_lazy("Sales growth"),
}
# Conditions decided by expert scoring, not by the registry's figures (195号 §三(七)).
EXPERT_CONDITIONS = {"H7"}
# Conditions whose failure the figures measure as a numeric gap (R&D, staff, IP, income, days).
NUMERIC_CONDITIONS = {
    "tech_sme_national": {"C5", "C5s"},
    "high_tech": {"H1", "H2", "H4", "H5", "H5b", "H6"},
    "tech_sme_provincial": {"Z1", "Z5"},
    "cultivation": {"K3", "K4", "K5"},
}
OPERATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "=": "=", "!=": "≠"}
ROUTES = {
    "scoring": gettext_lazy("by scoring"),
    "direct:high_tech_certificate": gettext_lazy("direct: valid high-tech certificate"),
    "direct:national_award": gettext_lazy("direct: national S&T award (top three)"),
    "direct:rd_institution": gettext_lazy("direct: provincial or ministerial R&D institution"),
    "direct:led_standard": gettext_lazy("direct: led a national or industry standard"),
}
SUBSCORES = {
    "tech_staff": gettext_lazy("S&T staff"),
    "rd": gettext_lazy("R&D input"),
    "ip": gettext_lazy("Intellectual property"),
    "conversion": gettext_lazy("Conversion of results"),
    "rd_mgmt": gettext_lazy("R&D organisation and management"),
    "growth": gettext_lazy("Growth"),
}
TIER_NOTES = {
    "rd_institution": gettext_lazy(
        "The recognition criteria of provincial and Ningbo R&D institutions have not been "
        "verified against the official texts; not evaluated."
    ),
    "unicorn": gettext_lazy(
        "The thresholds for unicorn, quasi-unicorn, potential unicorn and gazelle enterprises "
        "have not been verified against the official texts; not evaluated."
    ),
    "cultivation": gettext_lazy(
        "A provisional local screen, not an official standard; its thresholds are pending "
        "policy verification."
    ),
}
_SPEC_REF = re.compile(r"\s*[;；]?\s*(spec|engine heuristic)[^;；]*", re.IGNORECASE)


_CONDITION_ID = re.compile(r"(?<![A-Za-z0-9])(C5s|C2[abc]|H5b|[CHZK]\d)(?![A-Za-z0-9])")


def without_ids(text: str) -> str:
    """Official wording with any condition id replaced by the condition's name."""
    return _CONDITION_ID.sub(lambda m: condition_label(m.group(1)), text or "")


def condition_label(cid: str) -> str:
    """The short Chinese name of a condition (never its id)."""
    label = CONDITION_LABELS.get(cid)
    return str(label) if label is not None else _("Other condition")


def operator_text(op: str) -> str:
    """≥, ≤, >, <, = for the engine's ASCII operators; nothing for the others."""
    return OPERATORS.get(op, "")


def official_clause(text: str) -> str:
    """The official clause of a rule item, without references to internal documents."""
    cleaned = _SPEC_REF.sub("", text or "").strip(" ;；")
    return cleaned or _("local working rule (not an official clause)")


def basis_label(status: str) -> str:
    """Chinese label of a rule item's verification status."""
    return {
        "CONFIRMED": _("confirmed"),
        "SECONDARY": _("third-party source"),
    }.get(status, pending_label())


def pending_label() -> str:
    """The 待政策核实 label shown next to UNCONFIRMED values."""
    return _("pending policy verification")


def _num(value: Any, places: int = 2) -> str:
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d:,.{places}f}"


def fmt_value(cid: str, value: Any) -> str:
    """A condition value or threshold for display (rounded only here, docs/qualification-rules.md#exact-numbers)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return "–".join(fmt_value(cid, v) for v in value)
    if isinstance(value, str):
        if value in ResultStatus.values:
            return str(ResultStatus(value).label)
        return value
    if cid in PERCENT:
        return f"{Decimal(str(value)) * 100:.2f}%"
    unit = UNITS.get(cid)
    text = _num(value)
    if unit == "wan":
        return _("%(n)s (10,000 yuan)") % {"n": text}
    if unit == "days":
        return _("%(n)s days") % {"n": text}
    if unit == "points":
        return _("%(n)s points") % {"n": text}
    if unit == "persons":
        return _("%(n)s persons") % {"n": text}
    if unit == "items":
        return _("%(n)s items") % {"n": text}
    return text


def gap_text(gap: dict[str, Any]) -> str:
    """One gap of the engine's result in plain Chinese, e.g. 还需增加研发费用 12.30 万元."""
    field, n = gap.get("field"), gap.get("additional")
    if n is None:
        return _("Not reachable by the figures alone")
    if field == "rd_expense_hnte":
        return _("Add %(n)s (10,000 yuan) of R&D expense (high-tech scope, three-year total)") % {
            "n": _num(n)
        }
    if field == "rd_expense_hnte_domestic":
        return _("Add %(n)s (10,000 yuan) of R&D expense incurred in China") % {"n": _num(n)}
    if field == "rd_expense_deduction_scope":
        return _("Add %(n)s (10,000 yuan) of R&D expense (super-deduction scope)") % {"n": _num(n)}
    if field == "hightech_income":
        return _("Add %(n)s (10,000 yuan) of high-tech product (service) income") % {"n": _num(n)}
    if field in ("tech_staff", "tech_staff_avg"):
        return _("Add %(n)s S&T staff") % {"n": math.ceil(Decimal(str(n)) - Decimal("0.0000001"))}
    if field == "ip_class2_count":
        return _("Add %(n)s Class II IP items") % {"n": n}
    if field == "ip_class2_unused_count":
        return _("Add %(n)s Class I or unused Class II IP item") % {"n": n}
    if field == "ip_class1_count":
        return _("Add %(n)s Class I IP items") % {"n": n}
    if field == "registration_days":
        return _("Wait %(n)s more days since registration") % {"n": n}
    if field == "innovation_score":
        return _("Raise the innovation score by %(n)s points") % {"n": n}
    return _("Close a gap of %(n)s") % {"n": _num(n)}


def tier_cards(
    result: dict[str, Any], ruleset, baseline: dict[str, Any] | None = None
) -> list[dict]:
    """Template-ready cards for every tier of an engine result (with the baseline's status when a
    what-if changed it)."""
    cards = []
    for key, tier in result["tiers"].items():
        conditions = []
        for c in tier.get("conditions", []):
            conditions.append(
                {
                    "id": c["id"],
                    "name": condition_label(c["id"]),
                    "label": without_ids(c.get("label_zh", "")),
                    "status": c["status"],
                    "badge": STATUS_BADGE.get(c["status"], "bg-secondary-lt"),
                    "value": fmt_value(c["id"], c.get("value")),
                    "op": operator_text(c.get("op", "")),
                    "threshold": fmt_value(c["id"], c.get("threshold")),
                    "clause": official_clause(c.get("clause", "")),
                    "pending": bool(c.get("pending_verification"))
                    or c.get("basis") == "UNCONFIRMED",
                    "note": _("Zero denominator: needs a manual review") if c.get("note") else "",
                }
            )
        score = tier.get("score")
        rng = tier.get("score_range")
        subscores = []
        for name, v in (tier.get("subscores") or {}).items():
            label = SUBSCORES.get(name)
            subscores.append({"name": str(label) if label else name, "value": fmt_value("", v)})
        pending_items = []
        for item_key in tier.get("pending_verification") or []:
            if item_key in ruleset.items:
                pending_items.append({"key": item_key, "label": ruleset[item_key].label_zh})
        before = None
        if baseline is not None:
            before = baseline["tiers"][key]["status"]
        cards.append(
            {
                "key": key,
                "label": Tier(key).label,
                "status": tier["status"],
                "status_label": ResultStatus(tier["status"]).label,
                "badge": STATUS_BADGE.get(tier["status"], "bg-secondary-lt"),
                "before": before,
                "changed": before is not None and before != tier["status"],
                "before_label": ResultStatus(before).label if before else "",
                "score": score,
                "score_range": rng,
                "subscores": subscores,
                "route": str(ROUTES.get(tier.get("route") or "", "")),
                "conditions": conditions,
                "gaps": [gap_text(g) for g in tier.get("gaps", [])],
                "note": str(TIER_NOTES.get(key, "")),
                "pending_items": pending_items,
                "failed": sum(1 for c in conditions if c["status"] == "fail"),
                "missing": [c["name"] for c in conditions if c["status"] == "unknown"],
            }
        )
    return cards


# ------------------------------------------------------------------ rule items


IP_PARTS = {
    "advancement": gettext_lazy("technical advancement"),
    "core_support": gettext_lazy("core support"),
    "quantity": gettext_lazy("number of items"),
    "acquisition": gettext_lazy("way of acquisition"),
    "standards_bonus": gettext_lazy("standards bonus"),
    "cap": gettext_lazy("cap"),
    "self_developed": gettext_lazy("self-developed"),
    "acquired_only": gettext_lazy("only transferred, gifted or merged"),
    "none": gettext_lazy("none"),
    "tech_staff_person": gettext_lazy("per S&T staff member"),
    "ip_class2_item": gettext_lazy("per Class II IP item"),
    "ip_class1_item": gettext_lazy("per Class I IP item"),
    "rd_wan": gettext_lazy("per 10,000 yuan of R&D"),
    "potential": gettext_lazy("potential unicorn"),
    "quasi": gettext_lazy("quasi-unicorn"),
    "unicorn": gettext_lazy("unicorn"),
    "gazelle": gettext_lazy("gazelle"),
}
RULE_OPERATORS = {
    ">=": gettext_lazy("≥ (not lower than)"),
    "<=": gettext_lazy("≤ (not more than)"),
    ">": gettext_lazy("> (more than)"),
    "<": gettext_lazy("< (less than)"),
    "=": "=",
    "==": "=",
    "any": gettext_lazy("any one of"),
    "in": gettext_lazy("one of"),
}
WORDS = {
    "registration_year": gettext_lazy("valid for the registration year"),
    "operating_years": gettext_lazy("divided by the years in operation"),
    "two_years: X2/X1-1; one_year: 0": gettext_lazy(
        "two years in operation: second year over first year minus one; one year: zero"
    ),
}


def _is_decimal(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def _pct(value: Any) -> str:
    d = Decimal(str(value)) * 100
    return f"{d.normalize():f}%"


def _scalar(value: Any, unit: str) -> str:
    if value is None:
        return _("not set")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str) and not _is_decimal(value):
        if re.fullmatch(r"\d\d-\d\d", value):
            month, day = value.split("-")
            return _("%(m)s-%(d)s of the following year") % {"m": int(month), "d": int(day)}
        if value in CONDITION_LABELS:
            return condition_label(value)
        route = ROUTES.get(f"direct:{value}")
        if route is not None:
            return str(route).split(":", 1)[-1].split("：", 1)[-1].strip()
        return str(WORDS.get(value, value))
    if unit.startswith("ratio") or unit.startswith("growth"):
        return _pct(value)
    text = _num(value)
    suffix = {
        "persons": _("persons"),
        "points": _("points"),
        "days": _("days"),
        "years": _("years"),
        "months": _("months"),
        "conditions": _("conditions (unit)"),
        "万元": _("(10,000 yuan)"),
    }.get(unit.split(" ")[0], "")
    return f"{text} {suffix}".strip()


def _ip_class(name: str) -> str:
    return _("Class I") if name == "class1" else _("Class II")


def _points(lo: Any, hi: Any | None = None) -> str:
    text = _num(lo) if hi is None or lo == hi else f"{_num(lo)}–{_num(hi)}"
    return _("%(n)s points") % {"n": text}


def rule_value_text(value: Any, unit: str = "") -> str:
    """A rule item's value in words: bands as "≥30%：20分；…", maps as "label n", lists joined.

    Never JSON: every structure of the shipped rule sets has a reading here.
    """
    unit = unit or ""
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            label = str(IP_PARTS.get(k, k))
            if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v):
                parts.append(f"{label} {_points(*v)}")
            elif v is None:
                parts.append(f"{label} {_('not set')}")
            else:
                parts.append(f"{label} {_scalar(v, '')}")
        return "；".join(parts)
    if isinstance(value, list):
        if value and all(isinstance(x, list) for x in value):
            return "；".join(_band(row, unit) for row in value)
        if len(value) == 2 and all(isinstance(x, int) for x in value) and "points" in unit:
            return _points(*value)
        return "、".join(_scalar(x, unit) for x in value)
    return _scalar(value, unit)


def _band(row: list, unit: str) -> str:
    head = row[0]
    if head in ("class1", "class2"):
        n = _("%(n)s or more items") % {"n": row[1]}
        return f"{_ip_class(head)} {n}：{_points(*row[2:])}"
    if unit.startswith("万元"):  # sales upper bound (inclusive) → minimum ratio
        bound = (
            _("above the other bands") if head is None else f"≤ {_num(head)} {_('(10,000 yuan)')}"
        )
        return f"{bound}：≥ {_pct(row[1])}"
    if unit.startswith("annual average"):
        return f"{_('annual average')} ≥ {_num(head)}：{_points(*row[1:])}"
    return f"≥ {_pct(head)}：{_points(*row[1:])}"


def rule_operator_text(op: str) -> str:
    label = RULE_OPERATORS.get(op)
    return str(label) if label is not None else "—"


def rule_unit_hint(unit: str) -> str:
    """How an editable value is entered, e.g. "比例（0.10 即 10%）" or "人"."""
    unit = unit or ""
    if unit.startswith("ratio") or unit.startswith("growth"):
        return _("a ratio (0.10 means 10%)")
    return _scalar(0, unit).removeprefix("0").strip()
