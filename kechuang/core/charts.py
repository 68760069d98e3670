"""ECharts option builders (pure functions: plain data in, option dict out).

Every value axis is named by its unit (万元, 亿元, %, 家, …), so no figure is shown without one;
every series carries its own colour (`itemStyle` / `lineStyle`), distinct within a chart, so the
legend swatch is the colour of the bar or line it names. Numbers are rounded by the caller through
kechuang.core.formatting (`chart_wan`, `chart_yi`, `chart_value`), as the tables beside the charts.
"""

from __future__ import annotations

__all__ = [
    "AXIS_NAME_STYLE",
    "PALETTE",
    "paint",
    "bar_line_chart",
    "ranked_bar_chart",
    "series_colours",
    "value_axes",
]

PALETTE = ["#1d4f91", "#e8833a", "#2f9e77", "#8f5bb5", "#d64550", "#7a8ca3"]
AXIS_NAME_STYLE = {"color": "#49566a", "fontSize": 11}


def _base(title: str = "") -> dict:
    return {
        "color": PALETTE,
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 14, "fontWeight": 600}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 50, "right": 50, "top": 50, "bottom": 30, "containLabel": True},
        "textStyle": {"fontFamily": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
    }


def _require_unit(unit: str, what: str) -> str:
    if not str(unit or "").strip():
        raise ValueError(f"{what} needs a unit")
    return str(unit)


def paint(series: dict, colour: str) -> dict:
    """Give one series its colour explicitly (bar/item and line), so the legend matches it."""
    series.setdefault("itemStyle", {})["color"] = colour
    if series.get("type") == "line":
        series.setdefault("lineStyle", {})["color"] = colour
    return series


def bar_line_chart(
    *,
    title: str,
    categories: list,
    bars: dict[str, list],
    lines: dict[str, list] | None = None,
    bar_unit: str,
    line_unit: str = "",
) -> dict:
    """Bars on the left axis and lines on the right axis over the same categories (e.g. years).

    bar_unit / line_unit: the unit of each axis (required for every axis that carries a series).
    The two axis names sit outside the plot, above their own tick labels (left name aligned
    right, right name aligned left), so they never meet each other or the title; the right
    axis aligns its ticks to the left one's grid lines. With bars and lines together the bar
    values are written inside the bars (mid-height) and the line values above the points, and overlapping
    labels are hidden, so a bar's label never sits on a line's.
    """
    lines = lines or {}
    _require_unit(bar_unit, "the bar axis")
    if lines:
        _require_unit(line_unit, "the line axis")
    option = _base(title)
    option["legend"] = {"bottom": 0}
    option["grid"].update({"top": 58, "bottom": 40})
    option["xAxis"] = {"type": "category", "data": [str(c) for c in categories]}
    n_bars = len(bars)
    axes = [
        {
            "type": "value",
            "name": bar_unit,
            "nameLocation": "end",
            "nameGap": 14,
            "nameTextStyle": {**AXIS_NAME_STYLE, "align": "right"},
        }
    ]
    if lines:
        axes.append(
            {
                "type": "value",
                "name": line_unit,
                "nameLocation": "end",
                "nameGap": 14,
                "nameTextStyle": {**AXIS_NAME_STYLE, "align": "left"},
                "alignTicks": True,
                "splitLine": {"show": False},
            }
        )
    if n_bars == 1 and lines:
        axes[0]["axisLabel"] = {"color": PALETTE[0]}
    if len(lines) == 1:
        axes[1]["axisLabel"] = {"color": PALETTE[n_bars % len(PALETTE)]}
    option["yAxis"] = axes
    bar_label = (
        {"show": True, "position": "inside", "fontSize": 10, "color": "#fff"}
        if lines
        else {"show": True, "position": "top", "fontSize": 10}
    )
    option["series"] = [
        paint(
            {
                "name": name,
                "type": "bar",
                "data": data,
                "barMaxWidth": 28,
                "label": dict(bar_label),
                "labelLayout": {"hideOverlap": True},
            },
            PALETTE[i % len(PALETTE)],
        )
        for i, (name, data) in enumerate(bars.items())
    ] + [
        paint(
            {
                "name": name,
                "type": "line",
                "yAxisIndex": 1,
                "data": data,
                "smooth": True,
                "symbolSize": 7,
                # A light plate under the value keeps it readable where the line crosses a bar.
                "label": {
                    "show": True,
                    "position": "top",
                    "fontSize": 10,
                    "backgroundColor": "rgba(255,255,255,0.85)",
                    "padding": [1, 3],
                    "borderRadius": 2,
                },
                "labelLayout": {"hideOverlap": True},
                "z": 3,
            },
            PALETTE[(n_bars + i) % len(PALETTE)],
        )
        for i, (name, data) in enumerate(lines.items())
    ]
    return option


def ranked_bar_chart(*, title: str, items: list[dict], value_key: str, unit: str) -> dict:
    """A horizontal bar per item ({key, label, value}), largest on top; clicking passes `key`.

    unit: the unit of the values (required), shown as the value axis name.
    """
    option = _base(title)
    option["tooltip"] = {"trigger": "item"}
    option["grid"] = {"left": 10, "right": 50, "top": 40, "bottom": 30, "containLabel": True}
    ordered = list(reversed(items))
    option["xAxis"] = {
        "type": "value",
        "name": _require_unit(unit, "the value axis"),
        "nameLocation": "middle",
        "nameGap": 26,
        "nameTextStyle": AXIS_NAME_STYLE,
    }
    option["yAxis"] = {"type": "category", "data": [i["label"] for i in ordered]}
    option["series"] = [
        paint(
            {
                "name": title,
                "type": "bar",
                "barMaxWidth": 16,
                "data": [{"value": i[value_key], "key": i["key"]} for i in ordered],
                "label": {"show": True, "position": "right", "fontSize": 10},
            },
            PALETTE[0],
        )
    ]
    return option


# ------------------------------------------------------------------ checks used by the tests


def value_axes(option: dict) -> list[dict]:
    """The value axes of an option (x or y, one or a list)."""
    out = []
    for key in ("xAxis", "yAxis"):
        axes = option.get(key) or []
        for axis in axes if isinstance(axes, list) else [axes]:
            if axis.get("type") == "value":
                out.append(axis)
    return out


def series_colours(option: dict) -> list[str | None]:
    """The explicit colour of each series of an option (None where it has none)."""
    return [(s.get("itemStyle") or {}).get("color") for s in option.get("series", [])]
