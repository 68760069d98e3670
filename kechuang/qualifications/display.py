"""Plain-Chinese presentation of engine results: condition values, gaps, tier cards."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from .models import ResultStatus, Tier

__all__ = ["gap_text", "tier_cards", "STATUS_BADGE", "pending_label"]

STATUS_BADGE = {
    "pass": "bg-green-lt",
    "borderline": "bg-orange-lt",
    "unknown": "bg-secondary-lt",
    "fail": "bg-red-lt",
}
PERCENT = {"C5s", "H4", "H5", "H5b", "H6", "Z5", "K4", "K5"}
UNITS = {"C2a": "persons", "C2b": "wan", "C2c": "wan", "C5": "points", "H1": "days", "H2": "items",
         "H7": "points", "Z1": "days", "K3": "items"}  # fmt: skip


def pending_label() -> str:
    """The 待政策核实 label shown next to UNCONFIRMED values."""
    return _("pending policy verification")


def _num(value: Any, places: int = 2) -> str:
    d = Decimal(str(value))
    if d == d.to_integral_value():
        return f"{int(d):,}"
    return f"{d:,.{places}f}"


def fmt_value(cid: str, value: Any) -> str:
    """A condition value or threshold for display (rounded only here, §0.3)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, (list, tuple)):
        return "–".join(fmt_value(cid, v) for v in value)
    if isinstance(value, str):
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
    """One gap of §11 in plain Chinese, e.g. 还需增加研发费用 12.30 万元."""
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
    return f"{field}: {n}"


def tier_cards(
    result: dict[str, Any], ruleset, baseline: dict[str, Any] | None = None
) -> list[dict]:
    """Template-ready cards for every tier of a §11 result (with the baseline's status when a
    what-if changed it)."""
    cards = []
    for key, tier in result["tiers"].items():
        conditions = []
        for c in tier.get("conditions", []):
            conditions.append(
                {
                    "id": c["id"],
                    "label": c.get("label_zh", ""),
                    "status": c["status"],
                    "badge": STATUS_BADGE.get(c["status"], "bg-secondary-lt"),
                    "value": fmt_value(c["id"], c.get("value")),
                    "op": c.get("op", ""),
                    "threshold": fmt_value(c["id"], c.get("threshold")),
                    "clause": c.get("clause", ""),
                    "pending": bool(c.get("pending_verification"))
                    or c.get("basis") == "UNCONFIRMED",
                    "note": c.get("note", ""),
                }
            )
        score = tier.get("score")
        rng = tier.get("score_range")
        subscores = []
        for name, v in (tier.get("subscores") or {}).items():
            subscores.append({"name": name, "value": fmt_value("", v)})
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
                "route": tier.get("route", ""),
                "conditions": conditions,
                "gaps": [gap_text(g) for g in tier.get("gaps", [])],
                "note": tier.get("note") or tier.get("reason") or "",
                "pending_items": pending_items,
                "failed": sum(1 for c in conditions if c["status"] == "fail"),
                "missing": [c["id"] for c in conditions if c["status"] == "unknown"],
            }
        )
    return cards
