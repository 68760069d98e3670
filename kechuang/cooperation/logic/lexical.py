"""A small lexical ranking (character bigrams with idf weights) used until the matching engine
is available; it explains each match by the shared terms."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

__all__ = ["LexicalMatch", "terms", "rank"]

_WORD = re.compile(r"[a-z0-9]+|[\u4e00-\u9fff]+")


def terms(text: str) -> list[str]:
    """Character bigrams of the Chinese runs and whole ASCII words of `text`."""
    out: list[str] = []
    for run in _WORD.findall((text or "").lower()):
        if run.isascii():
            out.append(run)
        elif len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass(frozen=True)
class LexicalMatch:
    id: str
    score: float
    shared: tuple[str, ...]
    same_field: bool


def rank(
    query: str,
    items: list[tuple[str, str, str]],
    *,
    field: str = "",
    top: int = 10,
) -> list[LexicalMatch]:
    """Rank `items` (id, text, field) against `query`: tf·idf over shared bigrams, with a small
    bonus for the same field; items sharing nothing and of another field are left out."""
    query_terms = Counter(terms(query))
    if not items:
        return []
    docs = [(item_id, Counter(terms(text)), item_field) for item_id, text, item_field in items]
    df: Counter[str] = Counter()
    for _id, counts, _f in docs:
        df.update(counts.keys())
    n = len(docs)
    out: list[LexicalMatch] = []
    for item_id, counts, item_field in docs:
        shared = [t for t in query_terms if t in counts]
        score = sum(math.log(1 + n / df[t]) * min(counts[t], 3) for t in shared)
        length = math.sqrt(sum(counts.values()) or 1)
        score = score / length
        same = bool(field) and field == item_field
        if same:
            score += 0.3
        if score <= 0:
            continue
        shared.sort(key=lambda t: math.log(1 + n / df[t]), reverse=True)
        out.append(LexicalMatch(item_id, round(score, 4), tuple(shared[:6]), same))
    out.sort(key=lambda m: (-m.score, m.id))
    return out[:top]
