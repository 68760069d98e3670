"""ECharts option builders of the indicator pages (pure functions: plain data in, option out)."""

from __future__ import annotations

from kechuang.core.charts import AXIS_NAME_STYLE, PALETTE, _base
from kechuang.core.formatting import chart_value

__all__ = ["rank_history_chart", "contribution_chart"]


def rank_history_chart(
    *, title: str, years: list, ranks: list, lows: list, highs: list, medians: list,
    rank_label: str, median_label: str, interval_label: str, rank_unit: str,
) -> dict:  # fmt: skip
    """The home region's rank per year (rank 1 on top) with the sensitivity interval as a band.

    The band is drawn as two stacked areas (the low rank, then high − low) so it needs no
    custom series; the y axis is inverted because a smaller rank is better. rank_unit names
    the value axis (e.g. "位次"). Each series has its own colour; the band's legend swatch is
    a filled square of the band's colour.
    """
    option = _base(title)
    option["legend"] = {"bottom": 0}
    option["grid"]["bottom"] = 40
    option["xAxis"] = {"type": "category", "data": [str(y) for y in years], "boundaryGap": False}
    option["yAxis"] = {
        "type": "value",
        "name": rank_unit,
        # The axis is inverted: its start (rank 1) is the top, where the name belongs.
        "nameLocation": "start",
        "nameGap": 12,
        "nameTextStyle": {**AXIS_NAME_STYLE, "align": "right"},
        "inverse": True,
        "min": 1,
        "minInterval": 1,
    }
    if not str(rank_unit).strip():
        raise ValueError("the rank axis needs a unit")
    option["series"] = [
        {
            "name": "_low",
            "itemStyle": {"color": "rgba(0,0,0,0)"},
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
            "itemStyle": {"color": PALETTE[0]},
        },
        {
            "name": median_label,
            "type": "line",
            "data": medians,
            "lineStyle": {"type": "dashed", "color": PALETTE[5]},
            "itemStyle": {"color": PALETTE[5]},
        },
        {
            "name": rank_label,
            "type": "line",
            "data": ranks,
            "symbolSize": 8,
            "lineStyle": {"color": PALETTE[1]},
            "itemStyle": {"color": PALETTE[1]},
            "label": {"show": True, "position": "top"},
        },
    ]
    option["legend"]["data"] = [
        rank_label,
        median_label,
        {
            "name": interval_label,
            "icon": "rect",
            "itemStyle": {"color": PALETTE[0], "opacity": 0.3},
        },
    ]
    option["tooltip"] = {"trigger": "axis"}
    return option


def contribution_chart(*, title: str, items: list[dict], unit: str) -> dict:
    """Horizontal bars per indicator ({label, value}): positive lifts the region above the
    peer-group average (green), negative drags it below (red). unit: the unit of the
    contributions (index points), shown as the value axis name."""
    if not str(unit).strip():
        raise ValueError("the contribution axis needs a unit")
    option = _base(title)
    option["tooltip"] = {"trigger": "item"}
    option["grid"] = {"left": 10, "right": 40, "top": 40, "bottom": 30, "containLabel": True}
    ordered = list(reversed(items))
    option["xAxis"] = {
        "type": "value",
        "name": unit,
        "nameLocation": "middle",
        "nameGap": 26,
        "nameTextStyle": AXIS_NAME_STYLE,
    }
    option["yAxis"] = {"type": "category", "data": [i["label"] for i in ordered]}
    option["series"] = [
        {
            "name": title,
            "itemStyle": {"color": PALETTE[2]},
            "type": "bar",
            "barMaxWidth": 16,
            "data": [
                {
                    "value": chart_value(i["value"], 2),
                    "itemStyle": {"color": PALETTE[2] if i["value"] >= 0 else PALETTE[4]},
                }
                for i in ordered
            ],
            "label": {"show": True, "position": "right", "fontSize": 10},
        }
    ]
    return option
