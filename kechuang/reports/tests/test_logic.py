"""The phrasing helpers: table-driven, no database."""

import unittest
from decimal import Decimal

from kechuang.reports.logic.phrasing import (
    approx_pct_phrase,
    cell_text,
    chinese_number,
    count_text,
    growth_phrase,
    heading_ordinal,
    money_text,
    multiple_phrase,
    number_text,
    pct_text,
    points_phrase,
    rank_phrase,
    shi_ordinal,
    streak_phrase,
    sub_ordinal,
    threshold_phrase,
    title_lines,
)


class OrdinalTests(unittest.TestCase):
    def test_chinese_numbers(self):
        cases = {
            1: "一",
            2: "二",
            9: "九",
            10: "十",
            11: "十一",
            20: "二十",
            23: "二十三",
            99: "九十九",
        }
        for n, text in cases.items():
            with self.subTest(n=n):
                self.assertEqual(chinese_number(n), text)

    def test_out_of_range_numbers_are_refused(self):
        for n in (0, 100, -1):
            with self.subTest(n=n), self.assertRaises(ValueError):
                chinese_number(n)

    def test_official_document_ordinals(self):
        self.assertEqual(heading_ordinal(1), "一、")
        self.assertEqual(heading_ordinal(12), "十二、")
        self.assertEqual(sub_ordinal(3), "（三）")
        self.assertEqual([shi_ordinal(n) for n in (1, 2, 3)], ["一是", "二是", "三是"])


class NumberTests(unittest.TestCase):
    def test_number_text_rounds_half_up_and_strips_zeros(self):
        cases = [
            ((74.1864, 1), "74.2"),
            ((10.0, 0), "10"),
            ((10.0, 1), "10"),
            ((3.355, 2), "3.36"),  # half-up, not banker's rounding
            ((2.5, 0), "3"),
            ((Decimal("1345"), 0), "1345"),
        ]
        for (value, places), text in cases:
            with self.subTest(value=value):
                self.assertEqual(number_text(value, places), text)

    def test_money_in_yi_and_wan_yuan(self):
        cases = [
            (Decimal("8420000000.00"), "84.2亿元"),
            (8_400_000_000, "84亿元"),
            (609_000_000, "6.1亿元"),
            (3_500_000, "350万元"),
            (12_345, "1.2万元"),
            (800, "800元"),
        ]
        for yuan, text in cases:
            with self.subTest(yuan=yuan):
                self.assertEqual(money_text(yuan), text)
        self.assertEqual(money_text(609_000_000, 2), "6.09亿元")

    def test_percentages_and_counts(self):
        self.assertEqual(pct_text(74.1864), "74.2%")
        self.assertEqual(pct_text(3.3600001, 2), "3.36%")
        self.assertEqual(pct_text(10.0), "10%")
        self.assertEqual(count_text(953), "953家")
        self.assertEqual(count_text(5, "个"), "5个")

    def test_table_cells(self):
        self.assertEqual(cell_text(None, "int"), "—")
        self.assertEqual(cell_text(1345, "int"), "1345")
        self.assertEqual(cell_text(74.1864, "pct1"), "74.2")
        self.assertEqual(cell_text(3.0, "pct2"), "3.00")
        self.assertEqual(cell_text(Decimal("609123456.78"), "wan"), "60912.3")
        self.assertEqual(cell_text(Decimal("8420000000"), "yi"), "84.20")
        self.assertEqual(cell_text("浒山街道", None), "浒山街道")


class PhraseTests(unittest.TestCase):
    def test_growth_or_decline(self):
        cases = [
            (10.0, 0, "同比增长10%"),
            (9.96, 1, "同比增长10%"),
            (-3.24, 1, "同比下降3.2%"),
            (0.04, 1, "与上年持平"),
            (-0.04, 1, "与上年持平"),
            (None, 1, ""),
        ]
        for pct, places, text in cases:
            with self.subTest(pct=pct):
                self.assertEqual(growth_phrase(pct, places), text)

    def test_percentage_points(self):
        self.assertEqual(points_phrase(0.1434), "较上年提高0.14个百分点")
        self.assertEqual(points_phrase(-1.5, 1), "较上年下降1.5个百分点")
        self.assertEqual(points_phrase(0.001), "与上年持平")
        self.assertEqual(points_phrase(None), "")

    def test_thousand_threshold_only_when_reached(self):
        self.assertEqual(threshold_phrase(1000), "突破千家大关")
        self.assertEqual(threshold_phrase(1201), "突破千家大关")
        self.assertEqual(threshold_phrase(994), "逼近千家大关")
        self.assertEqual(threshold_phrase(949), "")
        self.assertEqual(threshold_phrase(10500, 10000), "突破万家大关")

    def test_approximate_shares(self):
        self.assertEqual(approx_pct_phrase(79.32), "近80%")
        self.assertEqual(approx_pct_phrase(80), "80%")
        self.assertEqual(approx_pct_phrase(81.2), "超80%")
        self.assertEqual(approx_pct_phrase(74.5), "74.5%")

    def test_multiples_over_five_years(self):
        self.assertEqual(multiple_phrase(1000, 250, 5), "五年翻两番")
        self.assertEqual(multiple_phrase(994, 250, 5), "五年接近翻两番")
        self.assertEqual(multiple_phrase(600, 250, 5), "五年翻一番")
        self.assertEqual(multiple_phrase(480, 250, 5), "五年接近翻一番")
        self.assertEqual(multiple_phrase(300, 250, 5), "五年增长20%")
        self.assertEqual(multiple_phrase(300, 0, 5), "")

    def test_rank_movement(self):
        self.assertEqual(rank_phrase("全省", 7, 9), "跃居全省第7")
        self.assertEqual(rank_phrase("全省", 7, 7), "保持全省第7")
        self.assertEqual(rank_phrase("全省", 7, 5), "居全省第7")
        self.assertEqual(rank_phrase("全省", 7), "居全省第7")

    def test_streaks(self):
        self.assertEqual(streak_phrase("宁波", [1, 1, 1]), "连续三年居宁波第1")
        self.assertEqual(streak_phrase("宁波", [2, 2, 3]), "连续两年居宁波第2")
        self.assertEqual(streak_phrase("宁波", [1, 2, 1]), "居宁波第1")
        self.assertEqual(streak_phrase("宁波", [1, None, None]), "居宁波第1")
        self.assertEqual(streak_phrase("宁波", [None]), "")


class TitleTests(unittest.TestCase):
    def test_long_titles_break_after_a_conjunction(self):
        self.assertEqual(
            title_lines("慈溪市科技局2024年工作总结和2025年工作计划"),
            ["慈溪市科技局2024年工作总结和", "2025年工作计划"],
        )
        self.assertEqual(title_lines("数据来源与口径说明"), ["数据来源与口径说明"])
        self.assertEqual(
            title_lines("一个很长但是没有任何连接词可以断开的标题文字内容啊"),
            ["一个很长但是没有任何连接词可以断开的标题文字内容啊"],
        )
