"""R&D aggregates of above-scale industrial enterprises, computed over columns (Polars).

The frame holds one row per above-scale industrial enterprise-year (the selector loads only those
rows) with the columns of FRAME_SCHEMA; money is in integer fen (cents) so sums are exact.
Every regional figure of the platform — dashboard, R&D page, lists, API, annual report,
`kechuang stats` — comes out of `totals()` + `figures()` here.

Definitions (docs/rnd.md#regional-figures):

* above-scale industrial enterprises: rows flagged above-scale industrial for the year;
* with R&D: of them, statistical R&D expense > 0 (a missing figure counts as none);
* R&D expense: sum of the statistical R&D expense of the year's above-scale set;
* growth: against the previous year's above-scale set (each year by its own set, as the
  statistics bureau publishes it), so an enterprise that left the set drops out of both sides
  of nothing — it is in last year's total only;
* intensity: total R&D expense ÷ total operating revenue of the same set (missing revenue adds
  nothing to the denominator); no revenue at all → undefined (None), never a division by zero.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

# The keys of the regional R&D figures (the figure catalogue's keys, spelled here only).
ABOVE_SCALE = "above_scale_industrial"
WITH_RD = "above_scale_with_rd"
WITH_RD_SHARE = "above_scale_with_rd_share_pct"
RD_EXPENSE = "rd_expense_above_scale_yuan"
RD_GROWTH = "rd_expense_growth_pct"
RD_INTENSITY = "rd_intensity_pct"
REVENUE = "operating_revenue_above_scale_yuan"
RD_EXPENSE_FEN = "rd_expense_fen"
REVENUE_FEN = "operating_revenue_fen"

__all__ = [
    "ABOVE_SCALE",
    "WITH_RD",
    "WITH_RD_SHARE",
    "RD_EXPENSE",
    "RD_GROWTH",
    "RD_INTENSITY",
    "REVENUE",
    "FRAME_SCHEMA",
    "QUAL_SCHEMA",
    "REVENUE_BANDS",
    "SLICES",
    "empty_frame",
    "empty_quals",
    "revenue_band_expr",
    "totals",
    "figures",
    "series",
    "breakdown",
    "tiers_held",
    "percentile_rank",
]

FRAME_SCHEMA = {
    "enterprise_id": pl.Int64,
    "year": pl.Int64,
    "revenue": pl.Int64,  # operating revenue, fen
    "rd": pl.Int64,  # statistical R&D expense, fen
    "town_id": pl.Int64,
    "division": pl.Utf8,  # GB/T 4754-2017 division (2 digits)
}
QUAL_SCHEMA = {
    "enterprise_id": pl.Int64,
    "kind": pl.Utf8,
    "issue_date": pl.Date,
    "expiry_date": pl.Date,
    "revoked_date": pl.Date,
}
FEN_PER_YUAN = 100

# Operating-revenue bands (yuan, upper bound inclusive). The first two bounds are the high-tech
# R&D-ratio bands of 国科发火〔2016〕32号 第十一条(五) (5000万 / 2亿), so a band reads directly as
# "which H5 threshold applies"; 10亿 splits the large enterprises.
REVENUE_BANDS: tuple[tuple[str, int | None], ...] = (
    ("le_50m", 50_000_000),
    ("50m_200m", 200_000_000),
    ("200m_1bn", 1_000_000_000),
    ("gt_1bn", None),
)
UNKNOWN_BAND = "unknown"
NO_TIER = "none"
SLICES = ("town", "division", "revenue_band", "tier")


def empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=FRAME_SCHEMA)


def empty_quals() -> pl.DataFrame:
    return pl.DataFrame(schema=QUAL_SCHEMA)


def revenue_band_expr(column: str = "revenue") -> pl.Expr:
    """The REVENUE_BANDS key of an operating revenue in fen (null revenue → "unknown")."""
    col = pl.col(column)
    expr = pl.when(col.is_null()).then(pl.lit(UNKNOWN_BAND))
    for key, upper in REVENUE_BANDS:
        if upper is None:
            expr = expr.otherwise(pl.lit(key))
        else:
            expr = expr.when(col <= upper * FEN_PER_YUAN).then(pl.lit(key))
    return expr


def totals(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """Counts and sums per group: above_scale, with_rd, rd_total (fen), revenue (fen)."""
    aggs = [
        pl.len().cast(pl.Int64).alias("above_scale"),
        (pl.col("rd").fill_null(0) > 0).sum().cast(pl.Int64).alias("with_rd"),
        pl.col("rd").fill_null(0).sum().cast(pl.Int64).alias("rd_total"),
        pl.col("revenue").fill_null(0).sum().cast(pl.Int64).alias("revenue"),
    ]
    if not keys:
        return frame.select(aggs)
    return frame.group_by(keys).agg(aggs)


def figures(
    above_scale: int, with_rd: int, rd_total: int, revenue: int, prev_rd_total: int | None
) -> dict:
    """The headline figures from one group's totals (money stays in fen here).

    Percentages are numbers of percent, unrounded except to 4 decimals; None when undefined
    (no enterprises, no revenue, no previous-year R&D).
    """
    return {
        ABOVE_SCALE: above_scale,
        WITH_RD: with_rd,
        WITH_RD_SHARE: round(100 * with_rd / above_scale, 4) if above_scale else None,
        RD_EXPENSE_FEN: rd_total,
        RD_GROWTH: round(100 * (rd_total - prev_rd_total) / prev_rd_total, 4)
        if prev_rd_total
        else None,
        RD_INTENSITY: round(100 * rd_total / revenue, 4) if revenue else None,
        REVENUE_FEN: revenue,
    }


def _row_figures(row: dict | None, prev: int | None) -> dict:
    row = row or {"above_scale": 0, "with_rd": 0, "rd_total": 0, "revenue": 0}
    return figures(row["above_scale"], row["with_rd"], row["rd_total"], row["revenue"], prev)


def series(frame: pl.DataFrame, years: Iterable[int]) -> dict[int, dict]:
    """Headline figures for each year (growth against each previous year's set)."""
    years = list(years)
    span = set(range(min(years) - 1, max(years) + 1)) if years else set()
    rows = {
        r["year"]: r
        for r in totals(frame.filter(pl.col("year").is_in(list(span))), ["year"]).to_dicts()
    }
    out = {}
    for y in years:
        prev = rows.get(y - 1)
        out[y] = _row_figures(rows.get(y), prev["rd_total"] if prev else None)
    return out


def tiers_held(quals: pl.DataFrame, year: int) -> pl.DataFrame:
    """(enterprise_id, tier) for every qualification valid on 31 December of `year`.

    Valid means issued on or before that day, not expired before it, not revoked on or before it
    (the same test as `QualificationQuerySet.valid_on`, so drill-down lists agree).
    """
    end = dt.date(year, 12, 31)
    valid = quals.filter(
        (pl.col("issue_date") <= end)
        & (pl.col("expiry_date").is_null() | (pl.col("expiry_date") >= end))
        & (pl.col("revoked_date").is_null() | (pl.col("revoked_date") > end))
    )
    return valid.select("enterprise_id", pl.col("kind").alias("tier")).unique()


def _keyed(frame: pl.DataFrame, by: str, quals: pl.DataFrame | None) -> pl.DataFrame:
    """The frame with a `key` column for slice `by` (the tier slice may repeat a row per tier)."""
    if by == "town":
        return frame.with_columns(pl.col("town_id").cast(pl.Utf8).alias("key"))
    if by == "division":
        return frame.with_columns(pl.col("division").alias("key"))
    if by == "revenue_band":
        return frame.with_columns(revenue_band_expr().alias("key"))
    if by == "tier":
        parts = []
        for year in frame.get_column("year").unique().to_list():
            rows = frame.filter(pl.col("year") == year)
            held = tiers_held(quals if quals is not None else empty_quals(), year)
            joined = rows.join(held, on="enterprise_id", how="left")
            parts.append(joined.with_columns(pl.col("tier").fill_null(NO_TIER).alias("key")))
        if not parts:
            return frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("key"))
        return pl.concat(parts).drop("tier")
    raise ValueError(f"unknown slice {by!r}; expected one of {SLICES}")


def breakdown(
    frame: pl.DataFrame, year: int, by: str, quals: pl.DataFrame | None = None
) -> list[dict]:
    """Figures of `year` per slice key (growth against the same key's previous-year set).

    Returns [{key, ...figures}] sorted by R&D expense, largest first. For the tier slice an
    enterprise holding two tiers counts in both; "none" collects those holding none.
    """
    rows = frame.filter(pl.col("year").is_in([year, year - 1]))
    grouped = totals(_keyed(rows, by, quals), ["year", "key"]).to_dicts()
    prev = {r["key"]: r["rd_total"] for r in grouped if r["year"] == year - 1}
    out = [
        {"key": r["key"], **_row_figures(r, prev.get(r["key"]))}
        for r in grouped
        if r["year"] == year
    ]
    return sorted(out, key=lambda r: (-r[RD_EXPENSE_FEN], str(r["key"])))


def percentile_rank(value: float | None, peers: Iterable[float | None]) -> float | None:
    """Share of peers (in percent) whose value is strictly below `value`, counting ties as half.

    The enterprise itself may be among `peers`. None values are ignored; None when undefined.
    """
    values = [p for p in peers if p is not None]
    if value is None or not values:
        return None
    below = sum(1 for p in values if p < value)
    equal = sum(1 for p in values if p == value)
    return round(100 * (below + 0.5 * equal) / len(values), 1)
