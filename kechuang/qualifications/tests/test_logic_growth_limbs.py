"""The growth tests in Int64 limbs decide exactly as the Int128 products (ties included)."""

from __future__ import annotations

import random
from datetime import date

import polars as pl

from kechuang.qualifications.logic import batch, case_to_row, evaluate_batch, rows_to_frame

from .cases import mixed_case

EVAL = date(2026, 1, 1)
GROWTH = [f"y{i}_{f}_fen" for f in ("net_assets", "sales_revenue") for i in (1, 2, 3)]


def _frame(n: int = 1200) -> pl.DataFrame:
    r = random.Random(99)
    frame = rows_to_frame([case_to_row(mixed_case(r, i)) for i in range(n)])
    big = (1 << 46) - 7
    k = pl.int_range(0, pl.len()) % 6
    # Ties (equal years: growth exactly 0), exact band edges and values near the limb limit.
    return frame.with_columns(
        pl.when(k == 0)
        .then(pl.col("y1_sales_revenue_fen"))
        .when(k == 1)
        .then(pl.lit(big) - pl.int_range(0, pl.len()))
        .otherwise(pl.col(name))
        .alias(name)
        for name in GROWTH
    ).with_columns(
        pl.when(k == 2)
        .then(pl.col("y1_sales_revenue_fen") * 6 // 5)  # +20 %
        .otherwise(pl.col("y2_sales_revenue_fen"))
        .alias("y2_sales_revenue_fen"),
        pl.when(k == 3)
        .then(-pl.lit(big))
        .otherwise(pl.col("y3_net_assets_fen"))
        .alias("y3_net_assets_fen"),
    )


def test_limbs_agree_with_int128(monkeypatch):
    frame = _frame()
    assert not batch.needs_wide_growth(frame.lazy())
    narrow = evaluate_batch(frame, evaluation_date=EVAL)
    monkeypatch.setattr(batch, "needs_wide_growth", lambda lf: True)
    wide = evaluate_batch(frame, evaluation_date=EVAL)
    assert narrow.equals(wide)
    assert narrow.get_column("ht_score_min").n_unique() > 5


def test_values_beyond_the_limbs_take_the_wide_form():
    frame = _frame(50).with_columns(pl.lit(1 << 50).alias("y2_sales_revenue_fen"))
    assert batch.needs_wide_growth(frame.lazy())
    assert evaluate_batch(frame, evaluation_date=EVAL).height == 50
