"""Checks behind the tree editor (docs/indicators.md#editing-the-tree): whether a set of nodes,
as an edit would leave it, is a valid index tree, and if not, why — per node and field, so a
page can put each reason on the field that caused it.

The editor keeps aggregates that have no indicator below them yet (a pillar just added): they
are left out of the computation (`prune`) and are not an error. Every other rule of `Tree`
(docs/indicators.md#tree) is checked here, plus two the computation tolerates but an editor
should not accept: a node whose children all weigh 0, and a weight that is not a finite number.
Pure Python: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from .tree import ROOT, Node

__all__ = [
    "NEGATIVE_WEIGHT",
    "UNKNOWN_PARENT",
    "CYCLE",
    "ZERO_CHILDREN",
    "MIXED_LEVELS",
    "NO_INDICATOR",
    "Problem",
    "prune",
    "problems",
    "descendants",
]

NEGATIVE_WEIGHT = "negative_weight"
UNKNOWN_PARENT = "unknown_parent"
CYCLE = "cycle"
ZERO_CHILDREN = "zero_children"
MIXED_LEVELS = "mixed_levels"
NO_INDICATOR = "no_indicator"


@dataclass(frozen=True)
class Problem:
    """Why the nodes are not a valid tree: `kind` (one of the constants above) at node `code`,
    caused by its `field` ("weight" or "parent"); `others` names the nodes involved."""

    code: str
    field: str
    kind: str
    others: tuple[str, ...] = ()


def _children(nodes: Mapping[str, Node]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {c: [] for c in nodes}
    for n in nodes.values():
        if n.parent is not None and n.parent in out:
            out[n.parent].append(n.code)
    return out


def descendants(nodes: Mapping[str, Node], code: str) -> set[str]:
    """Every node below `code` (not `code` itself); safe on a cycle."""
    kids = _children(nodes)
    seen: set[str] = set()
    stack = list(kids.get(code, []))
    while stack:
        c = stack.pop()
        if c not in seen and c != code:
            seen.add(c)
            stack.extend(kids[c])
    return seen


def prune(nodes: Mapping[str, Node], indicators: set[str], root: str = ROOT) -> dict[str, Node]:
    """The nodes without the aggregates that have no indicator below them (input order kept)."""
    keep = set(indicators) | {root}
    for code in indicators:
        seen = {code}
        parent = nodes[code].parent if code in nodes else None
        while parent is not None and parent in nodes and parent not in seen:
            keep.add(parent)
            seen.add(parent)
            parent = nodes[parent].parent
    return {c: n for c, n in nodes.items() if c in keep}


def problems(nodes: Mapping[str, Node], indicators: set[str], root: str = ROOT) -> list[Problem]:
    """Every reason the nodes (indicators `indicators`, aggregates the others, `root` the index)
    are not a valid tree; empty when they are. Empty aggregates are ignored (see `prune`)."""
    out: list[Problem] = []
    for n in nodes.values():
        if n.code == root:
            continue
        if n.weight is None or not math.isfinite(n.weight) or n.weight < 0:
            out.append(Problem(n.code, "weight", NEGATIVE_WEIGHT))
        if n.parent is None or n.parent not in nodes or n.parent in indicators:
            out.append(Problem(n.code, "parent", UNKNOWN_PARENT))
    # cycles: follow each node's parents; a node met twice on its own path is in a cycle
    for code in nodes:
        seen: list[str] = []
        cur: str | None = code
        while cur is not None and cur in nodes and cur not in seen:
            seen.append(cur)
            cur = nodes[cur].parent
        if cur is not None and cur in seen and cur == code:
            out.append(Problem(code, "parent", CYCLE, tuple(seen[1:])))
    if out:
        return out
    if not indicators:
        return [Problem(root, "parent", NO_INDICATOR)]
    live = prune(nodes, indicators, root)
    kids = _children(live)
    level: dict[str, int] = {}

    def depth(code: str) -> int:
        if code not in level:
            below = [depth(k) for k in kids[code]]
            level[code] = 1 + (max(below) if below else 0)
        return level[code]

    depth(root)
    for code, children in kids.items():
        if not children:
            continue
        levels = {level[k] for k in children}
        if len(levels) > 1:
            low = min(levels)
            odd = tuple(k for k in children if level[k] != low)
            base = tuple(k for k in children if level[k] == low)
            out.append(Problem(code, "parent", MIXED_LEVELS, odd + base))
        if sum(live[k].weight for k in children) <= 0:
            out.append(Problem(code, "weight", ZERO_CHILDREN, tuple(children)))
    return out
