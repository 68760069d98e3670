"""kechuang.core.formatting: one rounding (half up) and one look for every figure shown."""

from decimal import Decimal
from unittest import TestCase

from django.template import Context, Template

from kechuang.core import formatting as f


class RoundingTests(TestCase):
    def test_halves_round_up_not_to_even_and_are_not_truncated(self):
        cases = [
            (Decimal("55460.5"), 0, Decimal("55461")),
            (Decimal("55460.9999"), 0, Decimal("55461")),
            (2.345, 2, Decimal("2.35")),  # binary 2.345 is 2.34499…; shown as typed
            (Decimal("0.125"), 2, Decimal("0.13")),
            (-0.5, 0, Decimal("-1")),
            (-0.4, 0, Decimal("0")),
            (12, 0, Decimal("12")),
        ]
        for value, places, expected in cases:
            with self.subTest(value=value):
                self.assertEqual(f.round_half_up(value, places), expected)

    def test_no_number_is_a_dash(self):
        for value in (None, "", "abc", float("nan"), float("inf")):
            with self.subTest(value=value):
                self.assertIsNone(f.round_half_up(value))
                self.assertEqual(f.format_number(value), "—")
                self.assertEqual(f.format_wan(value), "—")
                self.assertIsNone(f.chart_wan(value))

    def test_money_and_percent_text(self):
        self.assertEqual(f.format_wan(554_609_999, 0), "55,461")
        self.assertEqual(f.format_wan(554_605_000, 0), "55,461")
        self.assertEqual(f.format_wan(123_456_789), "12,345.68")
        self.assertEqual(f.format_yi(8_415_000_000), "84.15")
        self.assertEqual(f.format_yi(841_500_000), "8.42")
        self.assertEqual(f.format_pct(Decimal("3.355"), 2), "3.36")
        self.assertEqual(f.format_pct(74.18), "74.2")
        self.assertEqual(f.format_number(1_813), "1,813")
        self.assertEqual(f.format_number(Decimal("1234.50"), None), "1,234.50")

    def test_chart_number_is_the_shown_number(self):
        for yuan in (554_609_999, 554_605_000, 10_000_000_000, 1, 0, -45_000):
            with self.subTest(yuan=yuan):
                shown = f.format_wan(yuan, 0).replace(",", "")
                self.assertEqual(float(shown), f.chart_wan(yuan, 0))
                shown = f.format_yi(yuan, 2).replace(",", "")
                self.assertEqual(float(shown), f.chart_yi(yuan, 2))

    def test_template_filters_use_the_same_rounding(self):
        out = Template(
            "{% load kc formatting_tags %}{{ v|wan:0 }}|{{ v|fmt_wan:0 }}|{{ v|yi }}|"
            "{{ p|pct:2 }}|{{ p|fmt_pct:2 }}|{{ n|num }}|{{ n|fmt_num }}"
        ).render(Context({"v": 554_609_999, "p": Decimal("3.355"), "n": 1813}))
        self.assertEqual(out, "55,461|55,461|5.55|3.36|3.36|1,813|1,813")
