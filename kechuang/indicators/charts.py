"""ECharts option builders of the indicator pages (pure functions: plain data in, option out)."""

from __future__ import annotations

from kechuang.dashboard.charts import PALETTE, _base

__all__ = ["rank_history_chart", "contribution_chart"]


def rank_history_chart(
    *, title: str, years: list, ranks: list, lows: list, highs: list, medians: list,
    rank_label: str, median_label: str, interval_label: str,
) -> dict:  # fmt: skip
    """The home region's rank per year (rank 1 on top) with the sensitivity interval as a band.

    The band is drawn as two stacked areas (the low rank, then high − low) so it needs no
    custom series; the y axis is inverted because a smaller rank is better.
    """
    option = _base(title)
    option["legend"] = {"bottom": 0}
    option["grid"]["bottom"] = 40
    option["xAxis"] = {"type": "category", "data": [str(y) for y in years], "boundaryGap": False}
    option["yAxis"] = {"type": "value", "inverse": True, "min": 1, "minInterval": 1}
    option["series"] = [
        {
            "name": "_low",
            "type": "line",
            "data": lows,
            "stack": "interval",
            "lineStyle": {"opacity": 0},
            "symbol": "none",
            "tooltip": {"show": False},
        },
        {
            "name": interval_label,
            "type": "line",
            "data": [h - lo for h, lo in zip(highs, lows, strict=True)],
            "stack": "interval",
            "lineStyle": {"opacity": 0},
            "symbol": "none",
            "areaStyle": {"color": PALETTE[0], "opacity": 0.15},
        },
        {
            "name": median_label,
            "type": "line",
            "data": medians,
            "lineStyle": {"type": "dashed"},
            "color": PALETTE[5],
        },
        {
            "name": rank_label,
            "type": "line",
            "data": ranks,
            "symbolSize": 8,
            "color": PALETTE[1],
            "label": {"show": True, "position": "top"},
        },
    ]
    option["legend"]["data"] = [rank_label, median_label, interval_label]
    option["tooltip"] = {"trigger": "axis"}
    return option


def contribution_chart(*, title: str, items: list[dict]) -> dict:
    """Horizontal bars per indicator ({label, value}): positive lifts the region above the
    peer-group average, negative drags it below."""
    option = _base(title)
    option["tooltip"] = {"trigger": "item"}
    option["grid"] = {"left": 10, "right": 40, "top": 40, "bottom": 10, "containLabel": True}
    ordered = list(reversed(items))
    option["xAxis"] = {"type": "value"}
    option["yAxis"] = {"type": "category", "data": [i["label"] for i in ordered]}
    option["series"] = [
        {
            "type": "bar",
            "barMaxWidth": 16,
            "data": [
                {
                    "value": round(i["value"], 2),
                    "itemStyle": {"color": PALETTE[2] if i["value"] >= 0 else PALETTE[4]},
                }
                for i in ordered
            ],
            "label": {"show": True, "position": "right", "fontSize": 10},
        }
    ]
    return option
