"""Chinese tokenisation for matching: jieba in search mode (a long word also yields its dictionary
sub-words, so 电镀锌 meets 镀锌), without the HMM guesser (an unknown run such as 就断 falls apart
into characters instead of becoming one opaque word), with the domain user dictionary of
:mod:`kechuang.matching.lexicon`, lower-cased Latin/digit runs, stop words and punctuation
removed (docs/matching.md#tokenisation)."""

from __future__ import annotations

import logging
import re
import threading

from .lexicon import DOMAIN_TERMS, STOPWORDS

_LOCK = threading.Lock()
_TOKENIZER = None
_KEEP = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]", re.IGNORECASE)
_SPLIT = re.compile(r"[\s,，。；;：:、（）()【】\[\]“”\"'《》<>/\\|!！?？·•…—\-+=*#%~`]+")


def _tokenizer():
    global _TOKENIZER
    if _TOKENIZER is None:
        with _LOCK:
            if _TOKENIZER is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.initialize()
                for term in DOMAIN_TERMS:
                    tok.add_word(term, freq=2000)
                _TOKENIZER = tok
    return _TOKENIZER


def tokenize(text: str) -> list[str]:
    """Content tokens of ``text`` in order (duplicates kept, stop words dropped)."""
    if not text:
        return []
    tok = _tokenizer()
    out: list[str] = []
    for chunk in _SPLIT.split(text):
        if not chunk:
            continue
        for word in tok.lcut_for_search(chunk, HMM=False):
            word = word.strip().lower()
            if not word or word in STOPWORDS or not _KEEP.search(word):
                continue
            if len(word) == 1 and word not in _SINGLE_KEEP:
                continue
            if word.isdigit() and len(word) < 3:  # "10.9级" → 10, 9: noise; 304, 2024 stay
                continue
            out.append(word)
    return out


# Single characters that carry meaning in workshop language (断, 锈, 裂 …) are kept; other single
# characters (的, 了, 就 …) are dropped with the stop words.
_SINGLE_KEEP = frozenset(
    "断裂锈漏响震烫热冷脆软硬粘黏霉臭毒潮湿干钢铁铜铝锌镍铬胶漆布纱油水气电光声磁"
)
