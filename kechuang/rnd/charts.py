"""ECharts option builders of the R&D pages (pure: plain data in, option dict out)."""

from __future__ import annotations

from kechuang.core.charts import (
    AXIS_NAME_STYLE,
    PALETTE,
    bar_line_chart,
    paint,
    ranked_bar_chart,
)

__all__ = ["bar_line_chart", "ranked_bar_chart", "structure_chart"]


def structure_chart(
    *, title: str, categories: list[str], own: list, peers: list, own_name: str, peer_name: str
) -> dict:
    """Grouped horizontal bars: the enterprise's share of R&D per category beside the peer median."""
    return {
        "color": [PALETTE[0], PALETTE[5]],
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 14, "fontWeight": 600}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": {"left": 10, "right": 40, "top": 40, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "name": "%", "nameTextStyle": AXIS_NAME_STYLE},
        "yAxis": {"type": "category", "data": list(reversed(categories))},
        "series": [
            paint(
                {
                    "name": own_name,
                    "type": "bar",
                    "barMaxWidth": 12,
                    "data": list(reversed(own)),
                    "label": {"show": True, "position": "right", "fontSize": 10},
                },
                PALETTE[0],
            ),
            paint(
                {
                    "name": peer_name,
                    "type": "bar",
                    "barMaxWidth": 12,
                    "data": list(reversed(peers)),
                    "label": {"show": True, "position": "right", "fontSize": 10},
                },
                PALETTE[5],
            ),
        ],
        "textStyle": {"fontFamily": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
    }
