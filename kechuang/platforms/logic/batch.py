"""Vectorised recognition over every platform and incubatee at once (Polars), with the same
rules as `evaluate` (docs/platforms.md#batch): one column per condition holding true, false or
null (unknown), combined with Kleene logic, which is also how `evaluate` combines them.

Input frames use the offline fact names as columns (absent facts are nulls); dates are Date
columns; the rule set gives the thresholds. Shares are compared cross-multiplied (numerator ×
denominator of the threshold against denominator × its numerator), so exact for integer inputs.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import polars as pl

from .rulesets import PlatformRuleSet

__all__ = ["incubator_statuses", "graduate_statuses", "status_column"]


def _lit(value) -> pl.Expr:
    return pl.lit(None, dtype=pl.Float64) if value is None else pl.lit(float(value))


def _share_at_least(num: str, den: str, threshold: Fraction | None) -> pl.Expr:
    """num / den >= threshold; a zero denominator makes the share 0."""
    if threshold is None:
        return pl.lit(None, dtype=pl.Boolean)
    t = Fraction(threshold)
    n, d = pl.col(num).cast(pl.Float64), pl.col(den).cast(pl.Float64)
    return (
        pl.when(d == 0)
        .then(pl.lit(0.0) >= float(t))
        .otherwise(n * t.denominator >= d * t.numerator)
    )


def _at_least(column: str, threshold) -> pl.Expr:
    if threshold is None:
        return pl.lit(None, dtype=pl.Boolean)
    return pl.col(column).cast(pl.Float64) >= _lit(threshold)


def _years_reached(column: str, years, on: date) -> pl.Expr:
    if years is None:
        return pl.lit(None, dtype=pl.Boolean)
    return pl.col(column).dt.offset_by(f"{int(years)}y") <= pl.lit(on)


def _ensure(frame: pl.DataFrame, columns: dict[str, Any]) -> pl.DataFrame:
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in columns.items() if c not in frame.columns]
    return frame.with_columns(missing) if missing else frame


_INCUBATOR_COLUMNS: dict[str, Any] = {
    **dict.fromkeys(
        [
            "statistics_years_filed",
            "area_m2",
            "incubatee_area_m2",
            "fund_wan",
            "incubatees",
            "incubatees_financed",
            "fund_cases",
            "staff",
            "professional_staff",
            "mentors",
            "incubatees_with_patent_applications",
            "incubatees_with_valid_ip",
            "graduates_cumulative",
            "same_industry_incubatees",
        ],
        pl.Float64,
    ),
    **dict.fromkeys(
        ["legal_person", "professional", "remote_area", "has_shared_technical_platform"], pl.Boolean
    ),
    "operating_since": pl.Date,
    "registered_date": pl.Date,
}


def incubator_statuses(frame: pl.DataFrame, rules: PlatformRuleSet, on: date) -> pl.DataFrame:
    """Columns I1…I8 (I8 null for the comprehensive variant) and `status` for each row."""
    f = _ensure(frame, _INCUBATOR_COLUMNS)
    t = rules.threshold
    factor = float(rules.remote_factor) if rules.remote_factor is not None else 1.0
    remote = pl.col("remote_area").fill_null(False)
    prof = pl.col("professional").fill_null(False)

    def scaled(key: str) -> pl.Expr:
        value = t(key)
        if value is None:
            return pl.lit(None, dtype=pl.Float64)
        return pl.when(remote).then(pl.lit(float(value) * factor)).otherwise(pl.lit(float(value)))

    def scaled_share(num: str, den: str, key: str) -> pl.Expr:
        value = t(key)
        if value is None:
            return pl.lit(None, dtype=pl.Boolean)
        relaxed = Fraction(value) * (rules.remote_factor or 1)
        return (
            pl.when(remote)
            .then(_share_at_least(num, den, relaxed))
            .otherwise(_share_at_least(num, den, Fraction(value)))
        )

    start = (
        pl.when(pl.col("registered_date") > pl.col("operating_since"))
        .then(pl.col("registered_date"))
        .otherwise(pl.col("operating_since"))
    )
    f = f.with_columns(start.alias("_start"))
    inc = pl.col("incubatees").cast(pl.Float64)

    def per(column: str, key: str) -> pl.Expr:
        if t(key) is None:
            return pl.lit(None, dtype=pl.Boolean)
        return pl.col(column).cast(pl.Float64) * float(t(key)) >= inc

    def density(key: str) -> pl.Expr:
        if t(key) is None:
            return pl.lit(None, dtype=pl.Boolean)
        return inc * 1000 >= pl.col("area_m2").cast(pl.Float64) * float(t(key))

    i1 = (
        pl.col("legal_person")
        & _years_reached("_start", t("operating_years"), on)
        & (_at_least("statistics_years_filed", t("statistics_years_filed")))
    )
    i2 = (pl.col("area_m2").cast(pl.Float64) >= scaled("area_m2")) & _share_at_least(
        "incubatee_area_m2", "area_m2", t("incubatee_area_share")
    )
    i3 = (
        (pl.col("fund_wan").cast(pl.Float64) >= scaled("fund_wan"))
        & _share_at_least("incubatees_financed", "incubatees", t("financed_share"))
        & _at_least("fund_cases", t("fund_cases"))
    )
    i4 = (
        _share_at_least("professional_staff", "staff", t("professional_staff_share"))
        & per("professional_staff", "incubatees_per_staff")
        & per("mentors", "incubatees_per_mentor")
    )
    i5 = scaled_share(
        "incubatees_with_patent_applications", "incubatees", "patent_application_share"
    ) | (scaled_share("incubatees_with_valid_ip", "incubatees", "valid_ip_share"))
    i6 = (
        pl.when(prof)
        .then(
            (inc >= scaled("professional_incubatees"))
            & density("professional_incubatees_per_1000_m2")
        )
        .otherwise((inc >= scaled("incubatees")) & density("incubatees_per_1000_m2"))
    )
    i7 = (
        pl.when(prof)
        .then(
            pl.col("graduates_cumulative").cast(pl.Float64)
            >= scaled("professional_graduates_cumulative")
        )
        .otherwise(
            pl.col("graduates_cumulative").cast(pl.Float64) >= scaled("graduates_cumulative")
        )
    )
    i8 = (
        pl.when(prof)
        .then(
            _share_at_least("same_industry_incubatees", "incubatees", t("same_industry_share"))
            & pl.col("has_shared_technical_platform")
        )
        .otherwise(pl.lit(None, dtype=pl.Boolean))
    )
    f = f.with_columns(
        i1.alias("I1"),
        i2.alias("I2"),
        i3.alias("I3"),
        i4.alias("I4"),
        i5.alias("I5"),
        i6.alias("I6"),
        i7.alias("I7"),
        i8.alias("I8"),
    )
    every = (
        pl.col("I1")
        & pl.col("I2")
        & pl.col("I3")
        & pl.col("I4")
        & pl.col("I5")
        & pl.col("I6")
        & pl.col("I7")
    )
    every = pl.when(prof).then(every & pl.col("I8")).otherwise(every)
    return f.drop("_start").with_columns(status_column(every).alias("status"))


def status_column(expr: pl.Expr) -> pl.Expr:
    """true/false/null → "pass"/"fail"/"unknown"."""
    return (
        pl.when(expr.is_null())
        .then(pl.lit("unknown"))
        .when(expr)
        .then(pl.lit("pass"))
        .otherwise(pl.lit("fail"))
    )


def graduate_statuses(frame: pl.DataFrame, rules: PlatformRuleSet) -> pl.DataFrame:
    """G1–G4, `status` (any one) and `criterion` (the first that holds) for each incubatee.

    Columns: high_tech_recognised, merged_acquired_or_listed (bool), angel_vc_wan (万元) and
    revenue_two_years_wan (the largest two-consecutive-year revenue in 万元, null without a pair).
    """
    columns: dict[str, Any] = {
        "high_tech_recognised": pl.Boolean,
        "merged_acquired_or_listed": pl.Boolean,
        "angel_vc_wan": pl.Float64,
        "revenue_two_years_wan": pl.Float64,
    }
    f = _ensure(frame, columns)
    t = rules.threshold

    def over(column: str, key: str) -> pl.Expr:
        if t(key) is None:
            return pl.lit(None, dtype=pl.Boolean)
        return pl.col(column).cast(pl.Float64) > float(t(key))

    f = f.with_columns(
        pl.col("high_tech_recognised").alias("G1"),
        over("angel_vc_wan", "angel_vc_wan").alias("G2"),
        over("revenue_two_years_wan", "revenue_two_years_wan").alias("G3"),
        pl.col("merged_acquired_or_listed").alias("G4"),
    )
    any_ = pl.col("G1") | pl.col("G2") | pl.col("G3") | pl.col("G4")
    criterion = pl.lit(None, dtype=pl.String)
    for cid in ("G4", "G3", "G2", "G1"):
        criterion = pl.when(pl.col(cid).fill_null(False)).then(pl.lit(cid)).otherwise(criterion)
    return f.with_columns(status_column(any_).alias("status"), criterion.alias("criterion"))
