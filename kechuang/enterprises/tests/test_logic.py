"""Credit-code (GB 32100-2015) and industry-code (GB/T 4754-2017) checks, no database."""

import unittest

from hypothesis import given
from hypothesis import strategies as st

from kechuang.enterprises.logic.credit_code import (
    ALPHABET,
    CreditCodeError,
    check_character,
    validate_credit_code,
)
from kechuang.enterprises.logic.industry import (
    DIVISIONS,
    SECTION_OF_DIVISION,
    IndustryCodeError,
    validate_industry_code,
)

bodies = st.tuples(
    st.sampled_from("159Y"),
    st.sampled_from("123"),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


class CreditCodeTests(unittest.TestCase):
    def test_published_example_is_valid(self):
        # A code printed in GB 32100-2015 commentary and business-licence samples.
        self.assertEqual(validate_credit_code("91350100M000100Y43"), "91350100M000100Y43")

    def test_lower_case_and_spaces_are_normalised(self):
        self.assertEqual(validate_credit_code(" 91350100m000100y43 "), "91350100M000100Y43")

    def test_wrong_check_character_names_the_expected_one(self):
        with self.assertRaises(CreditCodeError) as ctx:
            validate_credit_code("91350100M000100Y44")
        self.assertEqual(ctx.exception.code, "check")
        self.assertEqual(ctx.exception.expected, "3")

    def test_structural_errors(self):
        for code, problem in [
            ("9135010", "length"),
            ("91350100M000100YI3", "charset"),
            ("91A50100M000100Y43", "division"),
        ]:
            with self.subTest(code=code), self.assertRaises(CreditCodeError) as ctx:
                validate_credit_code(code)
            self.assertEqual(ctx.exception.code, problem)

    @given(bodies)
    def test_computed_check_character_always_validates(self, first17):
        code = first17 + check_character(first17)
        self.assertEqual(validate_credit_code(code), code)

    @given(bodies, st.sampled_from(ALPHABET))
    def test_any_other_check_character_is_rejected(self, first17, wrong):
        right = check_character(first17)
        if wrong == right:
            return
        with self.assertRaises(CreditCodeError) as ctx:
            validate_credit_code(first17 + wrong)
        self.assertEqual(ctx.exception.expected, right)

    @given(bodies, st.integers(0, 16), st.sampled_from(ALPHABET))
    def test_single_character_typos_are_caught(self, first17, position, replacement):
        code = first17 + check_character(first17)
        if code[position] == replacement or (2 <= position < 8 and not replacement.isdigit()):
            return
        typo = code[:position] + replacement + code[position + 1 :]
        with self.assertRaises(CreditCodeError):
            validate_credit_code(typo)


class IndustryCodeTests(unittest.TestCase):
    def test_all_97_divisions_with_sections(self):
        self.assertEqual(len(DIVISIONS), 97)
        self.assertEqual(SECTION_OF_DIVISION["38"], "C")
        self.assertEqual(DIVISIONS["65"], "软件和信息技术服务业")

    def test_valid_and_invalid_codes(self):
        self.assertEqual(validate_industry_code(" 3851 "), "3851")
        for code, problem in [
            ("385", "format"),
            ("38A1", "format"),
            ("9851", "division"),
            ("0051", "division"),
        ]:
            with self.subTest(code=code), self.assertRaises(IndustryCodeError) as ctx:
                validate_industry_code(code)
            self.assertEqual(ctx.exception.code, problem)
