"""Paragraph templates of the annual report: the bureau's wording with placeholders such as
{rd_total_yi} for computed figures.

Pure functions (no Django). A placeholder is a name in braces; nothing else may use braces.
When a figure is not available for the year, the clause that holds it (the text between two
marks of 、，；。 outside brackets) is left out, and a sentence whose every figure is missing is
left out entirely — so a template never prints an empty value or a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

__all__ = [
    "PLACEHOLDER",
    "template_names",
    "template_problems",
    "template_render",
]

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
CLAUSE_MARKS = "、，；"
SENTENCE_MARKS = "。！？"
OPENING = "（(“‘《〔【"
CLOSING = "）)”’》〕】"
RANK = {"、": 1, "，": 2, "；": 3}


def template_names(text: str) -> list[str]:
    """The placeholder names of `text`, in order of first use."""
    seen: dict[str, None] = {}
    for match in PLACEHOLDER.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


def template_problems(text: str, available: Iterable[str]) -> tuple[list[str], bool]:
    """(unknown placeholder names, whether braces are used outside placeholders)."""
    known = set(available)
    unknown = [name for name in template_names(text) if name not in known]
    stray = "{" in PLACEHOLDER.sub("", text) or "}" in PLACEHOLDER.sub("", text)
    return unknown, stray


def _clauses(text: str) -> list[tuple[str, str]]:
    """Split into (clause, closing mark) pairs at 、，；。 outside brackets and quotes."""
    out: list[tuple[str, str]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in OPENING:
            depth += 1
        elif ch in CLOSING:
            depth = max(0, depth - 1)
        elif depth == 0 and (ch in CLAUSE_MARKS or ch in SENTENCE_MARKS):
            out.append((text[start:i], ch))
            start = i + 1
    if start < len(text):
        out.append((text[start:], ""))
    return out


def template_render(text: str, resolve: Callable[[str], str | None]) -> str:
    """`text` with each placeholder replaced by `resolve(name)`; clauses whose figure is None
    (or empty) are left out, and a sentence left without any of its figures is dropped."""
    sentences: list[list[tuple[str, str, bool]]] = [[]]
    for clause, mark in _clauses(text):
        names = PLACEHOLDER.findall(clause)
        values = {name: resolve(name) for name in names}
        if any(not values[n] for n in names):
            rendered = None
        else:
            rendered = PLACEHOLDER.sub(lambda m, v=values: str(v[m.group(1)]), clause)
        sentences[-1].append((rendered, mark, bool(names)))
        if mark in SENTENCE_MARKS or mark == "":
            sentences.append([])
    out = []
    for sentence in sentences:
        if not sentence:
            continue
        with_figures = [c for c in sentence if c[2]]
        if with_figures and all(c[0] is None for c in with_figures):
            continue  # nothing left of what the sentence was about
        kept: list[list[str]] = []
        for clause, mark, _names in sentence:
            if clause is not None:
                kept.append([clause, mark])
            elif kept and RANK.get(mark, 0) > RANK.get(kept[-1][1], 0):
                kept[-1][1] = mark  # "甲，{缺}；乙" → "甲；乙": the stronger pause stays
        if not kept:
            continue
        end = sentence[-1][1]
        parts = []
        for k, (clause, mark) in enumerate(kept):
            last = k == len(kept) - 1
            parts.append(clause + (end if last else mark))
        out.append("".join(parts))
    return "".join(out)
