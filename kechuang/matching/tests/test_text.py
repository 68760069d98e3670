"""Tokenisation (docs/matching.md#tokenisation)."""

from __future__ import annotations

from kechuang.matching.text import tokenize


def test_domain_terms_stay_whole_and_sub_words_are_added():
    tokens = tokenize("电镀锌后的延迟断裂与氢脆，采用无铬钝化")
    assert "氢脆" in tokens and "无铬钝化" in tokens and "延迟断裂" in tokens
    assert "电镀锌" in tokens and "镀锌" in tokens  # search mode meets the colloquial 镀锌


def test_stop_words_and_punctuation_dropped_meaningful_single_characters_kept():
    tokens = tokenize("我们厂的螺栓放两天就断了！怎么办？")
    assert "断" in tokens and "螺栓" in tokens
    for dropped in ("我们", "的", "了", "怎么办", "！", "？", "就"):
        assert dropped not in tokens


def test_latin_lower_cased_and_empty_text():
    assert "vocs" in tokenize("VOCs 废气")
    assert tokenize("") == [] and tokenize("，。！") == []
