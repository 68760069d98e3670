"""The index methodology in the report's annex: the note under the rankings table (annex 1)
states, per ranked index, its tree and the steps of the methodology version its stored result
used (docs/indicators.md). Our own wording, from the methodology itself."""

from __future__ import annotations

from django.utils import translation

from kechuang.indicators.index import latest_run, methodology_rows, set_methodology
from kechuang.indicators.logic.methodology import parse
from kechuang.indicators.models import IndicatorSet

__all__ = ["index_methodology_note"]


def index_methodology_note(year: int) -> str:
    """One sentence per ranked set: its levels and steps (empty when there is no ranked set)."""
    parts = []
    with translation.override("zh-hans"):
        for s in IndicatorSet.objects.filter(is_ranked=True).order_by("sort_order", "code"):
            run = latest_run(s, year)
            method = parse(run.methodology) if run else set_methodology(s)
            version = run.methodology_version if run else s.methodology_version
            nodes = "、".join(s.nodes.filter(parent__isnull=True).values_list("name_zh", flat=True))
            steps = "；".join(f"{label}：{text}" for label, text in methodology_rows(method))
            tree = f"分{nodes}等分项指数，" if nodes else ""
            parts.append(f"{s.name_zh}（方法第{version}版）{tree}测算步骤为{steps}。")
    return "".join(parts)
