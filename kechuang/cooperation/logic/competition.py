"""The stage chain of 中国创新创业大赛 (docs/cooperation.md#competitions): the county/district
preliminary, then the Ningbo division (qualification review, preliminary, semi-final, final) or
the Zhejiang division (preliminary, industry semi-final, industry final, provincial final), then
the national industry semi-finals and finals. Scores on the Zhejiang division's five dimensions."""

from __future__ import annotations

from decimal import Decimal

__all__ = ["STAGE_CHAIN", "SCORE_DIMENSIONS", "previous_stage", "stage_index", "total_score"]

STAGE_CHAIN: dict[str, tuple[str, ...]] = {
    "ningbo": (
        "county",
        "nb_qualification",
        "nb_preliminary",
        "nb_semifinal",
        "nb_final",
        "national_semifinal",
        "national_final",
    ),
    "zhejiang": (
        "county",
        "zj_preliminary",
        "zj_industry_semifinal",
        "zj_industry_final",
        "zj_provincial_final",
        "national_semifinal",
        "national_final",
    ),
}

# 技术及产品, 商业模式及执行计划, 行业及市场, 团队, 财务 (weights equal here; the total is the sum).
SCORE_DIMENSIONS = (
    "score_technology",
    "score_business",
    "score_market",
    "score_team",
    "score_finance",
)


def stage_index(division: str, stage: str) -> int:
    """Position of `stage` in the division's chain (ValueError when it is not on the chain)."""
    return STAGE_CHAIN[division].index(stage)


def previous_stage(division: str, stage: str) -> str | None:
    index = stage_index(division, stage)
    return STAGE_CHAIN[division][index - 1] if index else None


def total_score(scores: list[Decimal | None]) -> Decimal | None:
    present = [s for s in scores if s is not None]
    return sum(present, Decimal(0)) if present else None
