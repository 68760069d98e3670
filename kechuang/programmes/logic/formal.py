"""The automatic part of the formal check (形式审查), docs/programmes.md#formal-check:
completeness, budget arithmetic and caps, measurable KPIs, duplicate or overlapping applications.
Each check is a row {id, label_zh, status: pass|fail, detail}."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from .review import field_fit

__all__ = ["REQUIRED", "budget_totals", "formal_checks", "kpi_errors", "OVERLAP_THRESHOLD"]

REQUIRED = {
    "title": "项目名称",
    "summary": "项目摘要",
    "objectives": "研究目标与内容",
}
OVERLAP_THRESHOLD = 0.8


def _dec(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def budget_totals(budget: Iterable[dict[str, Any]]) -> tuple[Decimal, Decimal]:
    """(own funds, requested) summed over the budget lines, in yuan."""
    own = requested = Decimal(0)
    for line in budget:
        own += _dec(line.get("own")) or Decimal(0)
        requested += _dec(line.get("requested")) or Decimal(0)
    return own, requested


def kpi_errors(kpis: Iterable[dict[str, Any]]) -> list[str]:
    """Why KPIs are not measurable: each needs an indicator, a unit, a numeric baseline and a
    target above it, and the evidence that proves it."""
    errors = []
    for i, k in enumerate(kpis, start=1):
        name = k.get("indicator") or f"第{i}项"
        baseline, target = _dec(k.get("baseline")), _dec(k.get("target"))
        if not k.get("indicator") or not k.get("unit"):
            errors.append(f"{name}：须填写指标名称和计量单位")
        if baseline is None or target is None:
            errors.append(f"{name}：基期值和目标值须为数字")
        elif target <= baseline:
            errors.append(f"{name}：目标值须高于基期值")
        if not k.get("evidence"):
            errors.append(f"{name}：须注明佐证材料类型")
    return errors


def formal_checks(
    app: dict[str, Any],
    config: dict[str, Any],
    *,
    eligibility_status: str,
    other_titles: Iterable[tuple[str, str]] = (),
) -> list[dict[str, Any]]:
    """The automatic checks of one application.

    app: title, summary, objectives, kpis, budget (lines: category, own, requested), team,
    schedule, total (declared total budget). config: cap (yuan), own_share_min (percent of the
    total budget the applicant funds itself), categories (allowed budget categories).
    other_titles: (tracking number or label, title) of the applicant's other live applications.
    """
    rows: list[dict[str, Any]] = []

    def add(cid: str, label: str, problems: list[str]) -> None:
        rows.append(
            {
                "id": cid,
                "label_zh": label,
                "status": "fail" if problems else "pass",
                "detail": "；".join(problems),
            }
        )

    add(
        "eligibility",
        "申报资格",
        [] if eligibility_status == "pass" else ["申报资格条件未全部满足或数据缺失"],
    )
    missing = [label for key, label in REQUIRED.items() if not (app.get(key) or "").strip()]
    for key, label in (
        ("kpis", "考核指标"),
        ("budget", "经费预算"),
        ("team", "项目团队"),
        ("schedule", "进度安排"),
    ):
        if not app.get(key):
            missing.append(label)
    add("completeness", "材料完整性", [f"缺少{m}" for m in missing])

    problems = []
    own, requested = budget_totals(app.get("budget") or [])
    total = _dec(app.get("total"))
    categories = set(config.get("categories") or [])
    for line in app.get("budget") or []:
        if categories and line.get("category") not in categories:
            problems.append(f"预算科目“{line.get('category')}”不在本类项目的科目内")
    if total is None or own + requested != total:
        problems.append(f"各科目合计{own + requested}元与预算总额{total or 0}元不符")
    cap = _dec(config.get("cap"))
    if cap is not None and requested > cap:
        problems.append(f"申请资助{requested}元超过单项资助上限{cap}元")
    share = _dec(config.get("own_share_min"))
    if share is not None and own + requested > 0 and own * 100 < share * (own + requested):
        problems.append(f"自筹资金占比低于{share}%")
    add("budget", "预算计算与限额", problems)

    add("kpis", "考核指标可考核", kpi_errors(app.get("kpis") or []))

    overlaps = [
        f"与{label}“{title}”高度相似"
        for label, title in other_titles
        if field_fit(title, app.get("title", "")) >= OVERLAP_THRESHOLD
    ]
    add("overlap", "重复或交叉申报", overlaps)
    return rows
