"""The generator's company names at province scale: unique, realistic and the same for a seed
(the whole generator at 200,000 enterprises takes too long for a test, so its naming and
credit-code functions are tested directly)."""

from __future__ import annotations

import re

import numpy as np

from kechuang.demo.generator import (
    INDUSTRIAL_CODES,
    NAME_FORMS,
    NAME_QUALIFIERS,
    SERVICE_CODES,
    _credit_codes,
    _name_variant,
    _names,
)
from kechuang.enterprises.logic.credit_code import validate_credit_code

# 行政区划 + 字号 + 行业 (+ 经营特点) + 组织形式: Chinese characters only, no digits.
NAME = re.compile(r"^慈溪市[\u4e00-\u9fff]{4,}(股份)?有限公司$")


def _industry(n: int) -> list[str]:
    rng = np.random.default_rng(7)
    return [str(c) for c in rng.choice(INDUSTRIAL_CODES + SERVICE_CODES, n)]


def test_variants_are_distinct_and_unbounded():
    variants = [_name_variant(k) for k in range(5_000)]
    assert variants[0] == ("", "", "有限公司")
    assert len(set(variants)) == len(variants)
    # Past every qualifier and form, the trade name grows by one character, then two.
    per_length = len(NAME_QUALIFIERS) * len(NAME_FORMS)
    assert variants[per_length - 1][0] == ""
    assert len(variants[per_length][0]) == 1
    assert max(len(v[0]) for v in variants) == 2


def test_names_are_unique_and_realistic_at_province_scale():
    industry = _industry(200_000)
    names = _names(np.random.default_rng(11), industry)
    assert len(names) == 200_000
    assert len(set(names)) == len(names)
    bad = [n for n in names if not NAME.match(n)]
    assert not bad, bad[:5]
    assert sum(len(n) > 18 for n in names) == 0
    # Most names are the plain form; the suffix scheme only separates repeats.
    plain = sum(n.endswith("有限公司") and not n.endswith("股份有限公司") for n in names)
    assert plain > 0.9 * len(names)


def test_names_are_the_same_for_a_seed_and_differ_for_another():
    industry = _industry(3_000)
    a = _names(np.random.default_rng(5), industry)
    assert a == _names(np.random.default_rng(5), industry)
    assert a != _names(np.random.default_rng(6), industry)


def test_credit_codes_are_valid_and_unique():
    codes = _credit_codes(np.random.default_rng(9), 100_000)
    assert len(set(codes)) == len(codes)
    assert all(validate_credit_code(c) == c for c in codes[:5_000])
    assert codes == _credit_codes(np.random.default_rng(9), 100_000)


class _RepeatingDraws:
    """A generator whose first batch repeats one organisation code (a collision is too rare to
    meet by chance)."""

    def __init__(self):
        self.rng = np.random.default_rng(1)
        self.first = True

    def integers(self, low, high, size):
        if self.first:
            self.first = False
            batch = self.rng.integers(low, high, size=size)
            batch[2] = batch[0]
            return batch
        return self.rng.integers(low, high, size=size)


def test_a_repeated_credit_code_is_drawn_again():
    codes = _credit_codes(_RepeatingDraws(), 50)
    assert len(set(codes)) == 50
    assert all(validate_credit_code(c) == c for c in codes)
