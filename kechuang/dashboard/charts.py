"""ECharts option builders (pure functions: plain data in, option dict out)."""

from __future__ import annotations

PALETTE = ["#1d4f91", "#e8833a", "#2f9e77", "#8f5bb5", "#d64550", "#7a8ca3"]


def _base(title: str = "") -> dict:
    return {
        "color": PALETTE,
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 14, "fontWeight": 600}},
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 50, "right": 50, "top": 50, "bottom": 30, "containLabel": True},
        "textStyle": {"fontFamily": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
    }


def bar_line_chart(
    *,
    title: str,
    categories: list,
    bars: dict[str, list],
    lines: dict[str, list] | None = None,
    bar_unit: str = "",
    line_unit: str = "",
) -> dict:
    """Bars on the left axis and lines on the right axis over the same categories (e.g. years)."""
    option = _base(title)
    option["legend"] = {"bottom": 0}
    option["grid"]["bottom"] = 40
    option["xAxis"] = {"type": "category", "data": [str(c) for c in categories]}
    option["yAxis"] = [
        {"type": "value", "name": bar_unit},
        {"type": "value", "name": line_unit, "splitLine": {"show": False}},
    ]
    option["series"] = [
        {
            "name": name,
            "type": "bar",
            "data": data,
            "barMaxWidth": 28,
            "label": {"show": True, "position": "top", "fontSize": 10},
        }
        for name, data in bars.items()
    ] + [
        {
            "name": name,
            "type": "line",
            "yAxisIndex": 1,
            "data": data,
            "smooth": True,
            "symbolSize": 7,
            "label": {"show": True, "position": "top", "fontSize": 10},
        }
        for name, data in (lines or {}).items()
    ]
    return option


def ranked_bar_chart(*, title: str, items: list[dict], value_key: str, unit: str = "") -> dict:
    """A horizontal bar per item ({key, label, value}), largest on top; clicking passes `key`."""
    option = _base(title)
    option["tooltip"] = {"trigger": "item"}
    option["grid"] = {"left": 10, "right": 40, "top": 40, "bottom": 10, "containLabel": True}
    ordered = list(reversed(items))
    option["xAxis"] = {"type": "value", "name": unit}
    option["yAxis"] = {"type": "category", "data": [i["label"] for i in ordered]}
    option["series"] = [
        {
            "type": "bar",
            "barMaxWidth": 16,
            "data": [{"value": i[value_key], "key": i["key"]} for i in ordered],
            "label": {"show": True, "position": "right", "fontSize": 10},
        }
    ]
    return option
