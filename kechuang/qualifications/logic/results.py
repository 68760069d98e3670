"""The stored result rows of a batch, column-wise (pure Polars; no Django).

:func:`result_frame` turns the output of :func:`batch.evaluate_batch` into one row per enterprise
and stored tier, with the columns of the results table: the status, the condition statuses
and the gap list as JSON text, the counts, and the primary gap numbers (decimals as exact
text). It computes what the row-by-row reference ``services.results_from_batch`` computes —
the tests compare the two on generated enterprises — with expressions over whole columns.

Exactness: money stays integer fen until it is written as ``yuan.fen`` text; the gap size
(docs/qualification-rules.md#exact-numbers) is rounded up to the cent of 万元 from integer
fen: ``ceil(x / n) = ceil(ceil(x) / n)`` for a whole ``n``, so only the staff term (a
fractional number of persons) needs its own ceiling, taken once per distinct value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_CEILING, Decimal
from typing import Any

import polars as pl

__all__ = ["STORED_TIERS", "result_frame", "RESULT_COLUMNS"]

FEN_PER_WAN = 1_000_000
FEN_PER_YUAN = 100

# (tier key, batch prefix, condition ids) of the tiers stored per enterprise.
STORED_TIERS = [
    ("tech_sme_national", "tsn", ("C1", "C2a", "C2b", "C2c", "C3", "C4", "C5", "C5s")),
    ("high_tech", "ht", ("H1", "H2", "H3", "H4", "H5", "H5b", "H6", "H7", "H8")),
    ("tech_sme_provincial", "zj", ("Z1", "Z2", "Z3", "Z4", "Z5")),
    ("cultivation", "cult", ("K0", "K1", "K2", "K3", "K4", "K5")),
]

RESULT_COLUMNS = [
    "enterprise_id",
    "tier",
    "status",
    "held",
    "score_min",
    "score_max",
    "route",
    "conditions",
    "gaps",
    "failed_count",
    "unknown_count",
    "gap_rd_yuan",
    "gap_tech_staff",
    "gap_ip_class1",
    "gap_ip_class2",
    "gap_cost_wan",
]

_WAN_JSON = "\\u4e07\\u5143"  # "万元" as json.dumps writes it (ASCII escapes)


def _json_number(expr: pl.Expr) -> pl.Expr:
    """A number as JSON text; floats in Python's repr (1e-07, not 1e-7)."""
    return expr.cast(pl.Utf8).str.replace(r"e([+-])(\d)$", "e${1}0${2}")


def _fen_as_wan(expr: pl.Expr) -> pl.Expr:
    """Whole fen (≥ 0) as the JSON float of 万元 (``fen / 1,000,000``): the exact decimal, which
    reads back as the same float as Python's true division."""
    whole = (expr // FEN_PER_WAN).cast(pl.Utf8)
    frac = (expr % FEN_PER_WAN).cast(pl.Utf8).str.zfill(6).str.strip_chars_end("0")
    return pl.concat_str(
        [whole, pl.lit("."), pl.when(frac == "").then(pl.lit("0")).otherwise(frac)]
    )


def _cents_text(expr: pl.Expr) -> pl.Expr:
    """Whole hundredths (≥ 0) as decimal text with two places (yuan.fen, 万元 to the cent)."""
    return pl.concat_str(
        [(expr // 100).cast(pl.Utf8), pl.lit("."), (expr % 100).cast(pl.Utf8).str.zfill(2)]
    )


def _gap(condition: str, field: str, additional: pl.Expr, unit: str, on: pl.Expr) -> pl.Expr:
    text = pl.concat_str(
        [
            pl.lit(f'{{"condition": "{condition}", "field": "{field}", "additional": '),
            additional,
            pl.lit(f', "unit": "{unit}"}}'),
        ]
    )
    return pl.when(on).then(text)


def _json_list(parts: list[pl.Expr]) -> pl.Expr:
    return pl.concat_str(
        [pl.lit("["), pl.concat_str(parts, separator=", ", ignore_nulls=True), pl.lit("]")]
    )


def _ceil_cents(values: Iterable[float]) -> dict[float, int]:
    """{persons: the value rounded up to hundredths, in hundredths} as Decimal(str(value))."""
    cent = Decimal("0.01")
    return {
        v: int(Decimal(str(v)).quantize(cent, rounding=ROUND_CEILING).scaleb(2)) for v in values
    }


def _ceil_times(values: Iterable[float], weight: int) -> dict[float, int]:
    """{persons: ceil(Decimal(str(persons)) × weight)} (whole fen)."""
    return {v: math.ceil(Decimal(str(v)) * weight) for v in values}


def _mapped(expr: pl.Expr, mapping: dict[float, int]) -> pl.Expr:
    if not mapping:
        return pl.lit(None, dtype=pl.Int64)
    return expr.replace_strict(mapping, default=None, return_dtype=pl.Int64)


def result_frame(
    out: pl.DataFrame,
    *,
    held: dict[str, Any],
    weights_fen: dict[str, int],
) -> pl.DataFrame:
    """One row per enterprise of ``out`` and stored tier (columns :data:`RESULT_COLUMNS`).

    held: {tier key: enterprise ids holding it on 31 December}; weights_fen: the rule set's
    cost weights in fen per unit (``gaps.cost_weights_fen``).
    """
    eid = pl.col("id").cast(pl.Int64)
    staff_values = out.get_column("ht_gap_h4_persons").drop_nulls().unique().to_list()
    ceil_staff = _ceil_cents(staff_values)
    staff_cost = _ceil_times(staff_values, weights_fen["staff"])
    frames = []
    for tier, prefix, conds in STORED_TIERS:
        status = {k: pl.col(f"{prefix}_{k}").cast(pl.Utf8) for k in conds}
        conditions = pl.concat_str(
            [
                pl.lit("{"),
                pl.concat_str(
                    [
                        pl.concat_str([pl.lit(f'"{k}": "'), s, pl.lit('"')])
                        for k, s in status.items()
                    ],
                    separator=", ",
                ),
                pl.lit("}"),
            ]
        )
        failed = pl.sum_horizontal(*[(s == "fail").cast(pl.Int64) for s in status.values()])
        unknown = pl.sum_horizontal(*[(s == "unknown").cast(pl.Int64) for s in status.values()])
        null_int = pl.lit(None, dtype=pl.Int64)
        score_min = score_max = null_int
        route = pl.lit("")
        gaps = pl.lit("[]")
        rd_fen = staff_cents = ip1 = ip2 = null_int
        cost_fen = None
        any_gap = pl.lit(False)
        if prefix == "tsn":
            score_min, score_max = pl.col("tsn_score_min"), pl.col("tsn_score_max")
            route = pl.col("tsn_route").fill_null("")
            on = (status["C5"] == "fail") | (status["C5s"] == "fail")

            def nonzero(name: str, on: pl.Expr = on) -> pl.Expr:
                value = pl.col(name)
                return pl.when(on & (value != 0)).then(value)

            staff, rd_fen, ip2, ip1 = (
                nonzero("tsn_gap_tech_staff"),
                nonzero("tsn_gap_rd_fen"),
                nonzero("tsn_gap_ip_class2"),
                nonzero("tsn_gap_ip_class1"),
            )
            gaps = _json_list(
                [
                    _gap("C5", "tech_staff", _json_number(staff), "persons", staff.is_not_null()),
                    _gap(
                        "C5",
                        "rd_expense_deduction_scope",
                        _fen_as_wan(rd_fen),
                        _WAN_JSON,
                        rd_fen.is_not_null(),
                    ),
                    _gap("C5", "ip_class2_count", _json_number(ip2), "items", ip2.is_not_null()),
                    _gap("C5", "ip_class1_count", _json_number(ip1), "items", ip1.is_not_null()),
                ]
            )
            staff_cents = staff * 100
            cost_fen = (
                rd_fen.fill_null(0) * weights_fen["rd"]
                + staff.fill_null(0) * weights_fen["staff"]
                + ip1.fill_null(0) * weights_fen["ip1"]
                + ip2.fill_null(0) * weights_fen["ip2"]
            )
            any_gap = pl.any_horizontal(
                rd_fen.is_not_null(), staff.is_not_null(), ip1.is_not_null(), ip2.is_not_null()
            )
        elif prefix == "ht":
            score_min, score_max = pl.col("ht_score_min"), pl.col("ht_score_max")
            h1, h4, h5, h5b, h6, h7 = (
                pl.col(f"ht_gap_{k}")
                for k in ("h1_days", "h4_persons", "h5_fen", "h5b_fen", "h6_fen", "h7_points")
            )
            h2 = status["H2"] == "fail"
            gaps = _json_list(
                [
                    _gap("H1", "registration_days", _json_number(h1), "days", h1.is_not_null()),
                    _gap("H2", "ip_class2_unused_count", pl.lit("1"), "items", h2),
                    _gap("H4", "tech_staff_avg", _json_number(h4), "persons", h4.is_not_null()),
                    _gap("H5", "rd_expense_hnte", _fen_as_wan(h5), _WAN_JSON, h5.is_not_null()),
                    _gap(
                        "H5b",
                        "rd_expense_hnte_domestic",
                        _fen_as_wan(h5b),
                        _WAN_JSON,
                        h5b.is_not_null(),
                    ),
                    _gap("H6", "hightech_income", _fen_as_wan(h6), _WAN_JSON, h6.is_not_null()),
                    _gap("H7", "innovation_score", _json_number(h7), "points", h7.is_not_null()),
                ]
            )
            ip2 = pl.when(h2).then(pl.lit(1, dtype=pl.Int64))
            rd_fen = pl.when(h5.is_not_null() | h5b.is_not_null()).then(
                h5.fill_null(0) + h5b.fill_null(0)
            )
            staff_cents = _mapped(h4, ceil_staff)
            cost_fen = (
                (rd_fen.fill_null(0) + h6.fill_null(0)) * weights_fen["rd"]
                + _mapped(h4, staff_cost).fill_null(0)
                + ip2.fill_null(0) * weights_fen["ip2"]
            )
            # The reference tests truthiness: a zero gap does not make a cost.
            any_gap = pl.any_horizontal(
                rd_fen.fill_null(0) != 0,
                h4.fill_null(0) != 0,
                ip2.is_not_null(),
                h6.fill_null(0) != 0,
            )
        # 万元 to the cent, rounded up: ceil(fen / 10,000) hundredths of 万元.
        cost = (
            _cents_text(-((-cost_fen) // (FEN_PER_WAN // 100)))
            if cost_fen is not None
            else pl.lit(None, dtype=pl.Utf8)
        )
        frames.append(
            out.select(
                eid.alias("enterprise_id"),
                pl.lit(tier).alias("tier"),
                pl.col(f"{prefix}_status").cast(pl.Utf8).alias("status"),
                eid.is_in(list(held.get(tier, ()))).alias("held"),
                score_min.cast(pl.Int64).alias("score_min"),
                score_max.cast(pl.Int64).alias("score_max"),
                route.alias("route"),
                conditions.alias("conditions"),
                gaps.alias("gaps"),
                failed.alias("failed_count"),
                unknown.alias("unknown_count"),
                pl.when(rd_fen.is_not_null()).then(_cents_text(rd_fen)).alias("gap_rd_yuan"),
                _cents_text(staff_cents).alias("gap_tech_staff"),
                ip1.cast(pl.Int64).alias("gap_ip_class1"),
                ip2.cast(pl.Int64).alias("gap_ip_class2"),
                (pl.when(any_gap).then(cost) if cost_fen is not None else cost).alias(
                    "gap_cost_wan"
                ),
            )
        )
    return pl.concat(frames, how="vertical").sort("enterprise_id", maintain_order=True)
