"""Every chart option the chart modules build: a unit on each value axis, one colour per
series (so the legend swatch is its series' colour), dual axes whose names cannot meet, and
a builder that refuses to draw an axis without a unit."""

from __future__ import annotations

import importlib
import inspect

import pytest

from kechuang.core.charts import series_colours, value_axes

CHART_MODULES = [
    "kechuang.core.charts",
    "kechuang.rnd.charts",
    "kechuang.qualifications.charts",
    "kechuang.indicators.charts",
]
YEARS = [2020, 2021, 2022, 2023, 2024]

# Representative inputs of every builder; a new builder without one fails the test below.
SAMPLES = {
    "bar_line_chart": [
        dict(title="高企与研发费用", categories=YEARS, bars={"有效高企": [1, 2, 3, 4, 5]},
             lines={"研发费用（亿元）": [1.1, 2.2, 3.3, 4.4, 5.5]}, bar_unit="家", line_unit="亿元"),
        dict(title="研发费用", categories=YEARS,
             bars={"统计口径": [1] * 5, "高企口径": [2] * 5, "加计扣除口径": [3] * 5},
             lines={"研发强度（%）": [1.0] * 5}, bar_unit="万元", line_unit="%"),
        dict(title="有效高企", categories=YEARS, bars={"有效高企": [1] * 5}, bar_unit="家"),
    ],
    "ranked_bar_chart": [
        dict(title="分镇研发费用", items=[{"key": 1, "label": "浒山街道", "value": 55461.0}],
             value_key="value", unit="万元"),
    ],
    "structure_chart": [
        dict(title="结构", categories=["人员人工", "直接投入"], own=[60.0, 40.0],
             peers=[55.0, 45.0], own_name="本企业", peer_name="同行中位数"),
    ],
    "ladder_bar_chart": [
        dict(title="梯队", tiers=["科小", "高企"], unit="家",
             series={"已持有": [1, 2], "符合": [1, 1], "临界": [0, 1], "待定": [0, 0], "不符合": [2, 1]}),
    ],
    "sankey_chart": [
        dict(title="流动", nodes=[{"name": "2023·无", "label": "无", "depth": 0},
                                {"name": "2024·高企", "label": "高企", "depth": 1}],
             links=[{"source": "2023·无", "target": "2024·高企", "value": 3}],
             left_label="2023", right_label="2024"),
    ],
    "rank_history_chart": [
        dict(title="排名", years=YEARS, ranks=[9, 8, 8, 7, 7], lows=[7, 6, 6, 5, 5],
             highs=[11, 10, 10, 9, 9], medians=[9, 8, 8, 7, 7], rank_label="排名",
             median_label="中位排名", interval_label="90%区间", rank_unit="位次"),
    ],
    "contribution_chart": [
        dict(title="贡献", items=[{"label": "研发强度", "value": 1.234}, {"label": "专利", "value": -0.5}],
             unit="指数点"),
    ],
}  # fmt: skip


def builders():
    found = {}
    for name in CHART_MODULES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", []):
            fn = getattr(module, attr)
            if attr.endswith("_chart") and inspect.isfunction(fn):
                found[attr] = fn
    return found


def effective_colours(option: dict) -> list[str]:
    """Each series' colour as ECharts draws it: its own, else the option palette in order."""
    palette = option.get("color") or []
    return [
        own or (palette[i % len(palette)] if palette else None)
        for i, own in enumerate(series_colours(option))
    ]


def check_option(option: dict) -> None:
    for axis in value_axes(option):
        assert str(axis.get("name") or "").strip(), f"value axis without a unit: {axis}"
    shown = [s for s in option["series"] if not str(s.get("name", "")).startswith("_")]
    colours = [c for s, c in zip(option["series"], effective_colours(option), strict=True)
               if s in shown]  # fmt: skip
    if option["series"][0].get("type") != "sankey":
        assert None not in colours
        assert len(set(colours)) == len(colours), f"series share a colour: {colours}"
    y_axes = option.get("yAxis")
    if isinstance(y_axes, list) and len(y_axes) == 2:
        left, right = (a.get("nameTextStyle", {}).get("align") for a in y_axes)
        assert (left, right) == ("right", "left"), "dual-axis names must point away from each other"
        kinds = {s["type"] for s in option["series"]}
        if kinds == {"bar", "line"}:
            bar_positions = {s["label"]["position"] for s in option["series"] if s["type"] == "bar"}
            assert "top" not in bar_positions, "bar labels would sit on the line labels"


def test_every_builder_has_a_sample():
    assert set(builders()) == set(SAMPLES)


@pytest.mark.parametrize(
    "name,kwargs", [(name, kw) for name, samples in SAMPLES.items() for kw in samples]
)
def test_chart_options_have_units_and_distinct_colours(name, kwargs):
    check_option(builders()[name](**kwargs))


@pytest.mark.parametrize(
    "name,unit_key",
    [("bar_line_chart", "bar_unit"), ("bar_line_chart", "line_unit"),
     ("ranked_bar_chart", "unit"), ("ladder_bar_chart", "unit"),
     ("rank_history_chart", "rank_unit"), ("contribution_chart", "unit")],
)  # fmt: skip
def test_an_axis_without_a_unit_is_refused(name, unit_key):
    kwargs = dict(SAMPLES[name][0], **{unit_key: ""})
    with pytest.raises(ValueError):
        builders()[name](**kwargs)


def test_legend_of_the_rank_band_has_the_band_colour():
    option = builders()["rank_history_chart"](**SAMPLES["rank_history_chart"][0])
    legend = {(d["name"] if isinstance(d, dict) else d): d for d in option["legend"]["data"]}
    band = next(s for s in option["series"] if s["name"] == "90%区间")
    assert legend["90%区间"]["itemStyle"]["color"] == band["areaStyle"]["color"]
