"""ECharts option builders of the qualification pages (pure functions: data in, option out)."""

from __future__ import annotations

from kechuang.core.charts import AXIS_NAME_STYLE, PALETTE, bar_line_chart

__all__ = ["sankey_chart", "ladder_bar_chart", "bar_line_chart"]


def sankey_chart(
    *, title: str, nodes: list[dict], links: list[dict], left_label: str, right_label: str
) -> dict:
    """Movement between tiers.

    ``nodes`` = [{name, label, depth}]: names unique across both sides (e.g. "2023·高企" and
    "2024·高企"), the label shown next to the node, depth 0 (left) or 1 (right).
    ``links`` = [{source, target, value}] between node names; zero flows are dropped, and so
    are nodes left without a flow (ECharts lays out every node it is given).
    """
    links = [link for link in links if link["value"] > 0]
    used = {link["source"] for link in links} | {link["target"] for link in links}
    # One colour per tier on both sides; labels outside the two columns.
    colours: dict[str, str] = {}
    for n in nodes:
        colours.setdefault(n["label"], PALETTE[len(colours) % len(PALETTE)])
    data = [
        {
            "name": n["name"],
            "depth": n["depth"],
            "itemStyle": {"color": colours[n["label"]]},
            "label": {
                "formatter": n["label"],
                "position": "left" if n["depth"] == 0 else "right",
            },
        }
        for n in nodes
        if n["name"] in used
    ]
    return {
        "color": PALETTE,
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 14, "fontWeight": 600}},
        "tooltip": {"trigger": "item", "triggerOn": "mousemove"},
        "textStyle": {"fontFamily": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
        "graphic": [
            {
                "type": "text",
                "left": 10,
                "top": 30,
                "style": {"text": left_label, "fill": "#667382"},
            },
            {
                "type": "text",
                "right": 10,
                "top": 30,
                "style": {"text": right_label, "fill": "#667382"},
            },
        ],
        "series": [
            {
                "type": "sankey",
                "top": 55,
                "bottom": 10,
                "left": 150,
                "right": 150,
                "nodeWidth": 14,
                "nodeGap": 12,
                "layoutIterations": 0,
                "emphasis": {"focus": "adjacency"},
                "lineStyle": {"color": "gradient", "curveness": 0.5, "opacity": 0.35},
                "label": {"fontSize": 12, "color": "#1f2d3d"},
                "data": data,
                "links": links,
            }
        ],
    }


def ladder_bar_chart(
    *, title: str, tiers: list[str], series: dict[str, list[int]], unit: str
) -> dict:
    """Grouped horizontal bars: for each tier, held / meets / borderline / pending / fails;
    unit names the value axis (enterprises, 家)."""
    if not str(unit).strip():
        raise ValueError("the value axis needs a unit")
    return {
        "color": ["#1d4f91", "#2f9e77", "#e8833a", "#7a8ca3", "#d64550"],
        "title": {"text": title, "left": 0, "textStyle": {"fontSize": 14, "fontWeight": 600}},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": {"left": 10, "right": 40, "top": 40, "bottom": 40, "containLabel": True},
        "textStyle": {"fontFamily": "Noto Sans CJK SC, Microsoft YaHei, sans-serif"},
        "xAxis": {"type": "value", "name": unit, "nameTextStyle": AXIS_NAME_STYLE},
        "yAxis": {"type": "category", "data": list(reversed(tiers))},
        "series": [
            {
                "name": name,
                "type": "bar",
                "barMaxWidth": 12,
                "data": list(reversed(values)),
                "label": {"show": True, "position": "right", "fontSize": 10},
            }
            for name, values in series.items()
        ],
    }
