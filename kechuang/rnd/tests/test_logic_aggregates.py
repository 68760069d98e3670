"""Aggregate definitions on hand-computed frames (no database)."""

import datetime as dt
import unittest

import polars as pl

from kechuang.rnd.logic import aggregates as agg

M = 1_000_000 * 100  # one million yuan in fen


def frame(rows):
    return pl.DataFrame(rows, schema=list(agg.FRAME_SCHEMA), orient="row").cast(agg.FRAME_SCHEMA)


# (enterprise, year, revenue, rd, town, division) — above-scale rows only.
ROWS = [
    (1, 2023, 100 * M, 3 * M, 1, "34"),
    (2, 2023, 50 * M, 0, 1, "38"),
    (3, 2023, 80 * M, 2 * M, 2, "34"),  # leaves the above-scale set in 2024
    (1, 2024, 120 * M, 4 * M, 1, "34"),
    (2, 2024, 60 * M, 1_200_000 * 100, 1, "38"),
    (4, 2024, 0, None, 2, "38"),  # zero revenue, R&D not reported
    (5, 2024, None, 0, 2, "34"),  # revenue not reported
]


class SeriesTest(unittest.TestCase):
    def test_headline_definitions(self):
        f = agg.series(frame(ROWS), [2024])[2024]
        self.assertEqual(f["above_scale_industrial"], 4)
        self.assertEqual(f["above_scale_with_rd"], 2)
        self.assertEqual(f["above_scale_with_rd_share_pct"], 50.0)
        self.assertEqual(f["rd_expense_fen"], 5_200_000 * 100)
        self.assertEqual(f["operating_revenue_fen"], 180 * M)
        # 5.2 / 180 = 2.8889 %; growth against 2023's set (E1+E2+E3 = 5.0 m) = +4 %
        self.assertEqual(f["rd_intensity_pct"], round(100 * 5.2 / 180, 4))
        self.assertEqual(f["rd_expense_growth_pct"], 4.0)

    def test_first_year_has_no_growth(self):
        self.assertIsNone(agg.series(frame(ROWS), [2023])[2023]["rd_expense_growth_pct"])

    def test_empty_year_is_all_zero_and_undefined(self):
        f = agg.series(frame(ROWS), [2030])[2030]
        self.assertEqual(f["above_scale_industrial"], 0)
        self.assertIsNone(f["above_scale_with_rd_share_pct"])
        self.assertIsNone(f["rd_intensity_pct"])

    def test_only_zero_revenue_gives_no_intensity(self):
        f = agg.series(frame([(4, 2024, 0, 5 * M, 2, "38")]), [2024])[2024]
        self.assertIsNone(f["rd_intensity_pct"])
        self.assertEqual(f["above_scale_with_rd"], 1)


class BreakdownTest(unittest.TestCase):
    def test_by_town_with_growth_per_town(self):
        rows = {r["key"]: r for r in agg.breakdown(frame(ROWS), 2024, "town")}
        self.assertEqual(rows["1"]["rd_expense_fen"], 5_200_000 * 100)
        self.assertEqual(rows["1"]["rd_expense_growth_pct"], round(100 * 2.2 / 3, 4))
        # town 2 lost its only R&D performer (it left the set): -100 %, no revenue → no intensity
        self.assertEqual(rows["2"]["rd_expense_growth_pct"], -100.0)
        self.assertIsNone(rows["2"]["rd_intensity_pct"])
        self.assertEqual(rows["2"]["above_scale_industrial"], 2)

    def test_by_division_sums_to_the_total(self):
        rows = agg.breakdown(frame(ROWS), 2024, "division")
        self.assertEqual(sum(r["above_scale_industrial"] for r in rows), 4)
        self.assertEqual(sum(r["rd_expense_fen"] for r in rows), 5_200_000 * 100)

    def test_revenue_bands_use_inclusive_upper_bounds(self):
        f = frame(
            [
                (1, 2024, 50 * M, 1, 1, "34"),  # exactly 50 m → first band
                (2, 2024, 50 * M + 1, 1, 1, "34"),
                (3, 2024, None, 1, 1, "34"),
                (4, 2024, 2_000 * M, 1, 1, "34"),
            ]
        )
        keys = {
            r["key"]: r["above_scale_industrial"] for r in agg.breakdown(f, 2024, "revenue_band")
        }
        self.assertEqual(keys, {"le_50m": 1, "50m_200m": 1, "unknown": 1, "gt_1bn": 1})

    def test_by_tier_counts_each_tier_held_at_year_end(self):
        quals = pl.DataFrame(
            [
                (1, "high_tech", dt.date(2022, 11, 1), dt.date(2025, 10, 31), None),
                (1, "gazelle", dt.date(2024, 3, 1), None, None),
                (2, "high_tech", dt.date(2021, 1, 1), dt.date(2023, 12, 31), None),  # expired
                (5, "high_tech", dt.date(2024, 1, 1), None, dt.date(2024, 6, 1)),  # revoked
            ],
            schema=agg.QUAL_SCHEMA,
            orient="row",
        )
        rows = {r["key"]: r for r in agg.breakdown(frame(ROWS), 2024, "tier", quals)}
        self.assertEqual(rows["high_tech"]["above_scale_industrial"], 1)
        self.assertEqual(rows["gazelle"]["above_scale_industrial"], 1)
        self.assertEqual(rows["none"]["above_scale_industrial"], 3)

    def test_unknown_slice(self):
        with self.assertRaises(ValueError):
            agg.breakdown(frame(ROWS), 2024, "colour")


class PercentileTest(unittest.TestCase):
    def test_ties_count_half(self):
        self.assertEqual(agg.percentile_rank(2, [1, 2, 3, 4]), 37.5)
        self.assertIsNone(agg.percentile_rank(None, [1]))
        self.assertIsNone(agg.percentile_rank(1, [None]))
