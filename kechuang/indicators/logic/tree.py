"""Indicator trees of any depth: indicators (level 1) → pillars → sub-indices → … → one index.

Every node carries a weight relative to its siblings; the *effective* weight of a node is the
product, along its path to the root, of its share among its siblings (docs/indicators.md#tree).
The layout read by `Tree.from_meta` is the one of COINr's `iMeta`, flattened: one row per
indicator with its code, name, direction, weight, one column per parent level (pillar, sub-index,
…) and optionally rows for the aggregates themselves (their code in `iCode`, their own weight).
Pure Python and numpy: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Node", "Tree", "ROOT"]

ROOT = "Index"


@dataclass(frozen=True)
class Node:
    """One node: an indicator (level 1) or an aggregate (level ≥ 2)."""

    code: str
    parent: str | None
    weight: float = 1.0
    name: str = ""
    direction: int = 1
    denominator: str | None = None
    target: float | None = None
    unit: str = ""
    lower: float | None = None
    upper: float | None = None


@dataclass
class Tree:
    """A validated tree. `levels[0]` are the indicators in input order, `levels[-1] == [root]`."""

    nodes: dict[str, Node]
    levels: list[list[str]] = field(init=False)
    children: dict[str, list[str]] = field(init=False)

    def __post_init__(self) -> None:
        children: dict[str, list[str]] = {c: [] for c in self.nodes}
        roots = []
        for node in self.nodes.values():
            if node.weight is None or not np.isfinite(node.weight) or node.weight < 0:
                raise ValueError(f"node {node.code}: weight must be a non-negative number")
            if node.parent is None:
                roots.append(node.code)
            elif node.parent not in self.nodes:
                raise ValueError(f"node {node.code}: unknown parent {node.parent}")
            else:
                children[node.parent].append(node.code)
        if len(roots) != 1:
            raise ValueError("a tree needs exactly one root")
        self.children = children
        level: dict[str, int] = {}

        def depth(code: str, seen: frozenset[str]) -> int:
            if code in seen:
                raise ValueError(f"node {code}: cycle in the tree")
            if code not in level:
                kids = children[code]
                below = {depth(k, seen | {code}) for k in kids}
                if len(below) > 1:
                    raise ValueError(f"node {code}: children on different levels")
                level[code] = 1 + (below.pop() if below else 0)
            return level[code]

        top = depth(roots[0], frozenset())
        if len(level) != len(self.nodes):
            raise ValueError("some nodes are not connected to the root")
        order = list(self.nodes)
        self.levels = [[c for c in order if level[c] == k] for k in range(1, top + 1)]
        if top < 2:
            raise ValueError("a tree needs indicators and at least one aggregate")
        for code in self.levels[-1][:1]:
            if sum(self.nodes[k].weight for k in children[code]) <= 0:
                raise ValueError(f"node {code}: weights of its children are all zero")

    # ------------------------------------------------------------------ reading

    @property
    def root(self) -> str:
        return self.levels[-1][0]

    @property
    def indicators(self) -> list[str]:
        return self.levels[0]

    @property
    def aggregates(self) -> list[str]:
        """Aggregates bottom-up (pillars first, the index last)."""
        return [c for lvl in self.levels[1:] for c in lvl]

    def level_of(self, code: str) -> int:
        return next(k + 1 for k, lvl in enumerate(self.levels) if code in lvl)

    def path(self, code: str) -> list[str]:
        """The codes from `code` up to the root."""
        out = [code]
        while (parent := self.nodes[out[-1]].parent) is not None:
            out.append(parent)
        return out

    def effective_weights(self) -> dict[str, float]:
        """Each node's share of the index: product of sibling shares along its path."""
        share: dict[str, float] = {self.root: 1.0}
        for lvl in reversed(self.levels[:-1]):
            for code in lvl:
                parent = self.nodes[code].parent
                assert parent is not None
                total = sum(self.nodes[k].weight for k in self.children[parent])
                w = self.nodes[code].weight / total if total > 0 else 0.0
                share[code] = share[parent] * w
        return share

    def weight_matrix(self, level: int, weights: Mapping[str, float] | None = None) -> np.ndarray:
        """Children of `level` (rows, order of `levels[level-1]`) × parents on level + 1."""
        rows, cols = self.levels[level - 1], self.levels[level]
        col = {c: j for j, c in enumerate(cols)}
        out = np.zeros((len(rows), len(cols)))
        for i, code in enumerate(rows):
            w = (weights or {}).get(code, self.nodes[code].weight)
            out[i, col[self.nodes[code].parent]] = w  # type: ignore[index]
        return out

    def without(self, codes: Iterable[str]) -> Tree:
        """The tree with indicators `codes` removed (aggregates left empty are removed too)."""
        drop = set(codes)
        nodes = dict(self.nodes)
        for code in drop:
            if code not in self.indicators:
                raise ValueError(f"{code} is not an indicator of the tree")
            nodes.pop(code)
        changed = True
        while changed:
            used = {n.parent for n in nodes.values()}
            empty = [c for c in nodes if c not in used and c not in self.indicators]
            changed = bool(empty)
            for c in empty:
                nodes.pop(c)
        return Tree(nodes)

    def with_weights(self, weights: Mapping[str, float]) -> Tree:
        nodes = {
            c: Node(**{**n.__dict__, "weight": float(weights.get(c, n.weight))})
            for c, n in self.nodes.items()
        }
        return Tree(nodes)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_meta(
        cls,
        rows: Sequence[Mapping[str, object]],
        parent_columns: Sequence[str],
        *,
        root: str = ROOT,
        names: Mapping[str, str] | None = None,
    ) -> Tree:
        """A tree from flat metadata rows (COINr `iMeta` layout, see the module docstring).

        Indicator rows name their parent at every level in `parent_columns` (lowest first); a
        row whose `iCode` is an aggregate sets that aggregate's weight and name.
        """
        agg_rows = {}
        parents_seen = {str(r[c]) for r in rows for c in parent_columns if r.get(c)}
        nodes: dict[str, Node] = {}
        for r in rows:
            code = str(r["iCode"])
            if code in parents_seen:
                agg_rows[code] = r
                continue
            chain = [str(r[c]) for c in parent_columns if r.get(c) not in (None, "")]
            if not chain:
                raise ValueError(f"indicator {code}: no parent")
            nodes[code] = Node(
                code=code,
                parent=chain[0],
                weight=_weight(r.get("weight")),
                name=str(r.get("iName") or ""),
                direction=-1 if _weight(r.get("direction")) < 0 else 1,
                denominator=(str(r["denominator"]) if r.get("denominator") else None),
                target=_num(r.get("target"), None),
                unit=str(r.get("unit") or ""),
                lower=_num(r.get("lower"), None),
                upper=_num(r.get("upper"), None),
            )
            for child, parent in zip(chain, [*chain[1:], root], strict=True):
                prev = nodes.get(child)
                if prev is not None and child not in {code} and prev.parent != parent:
                    raise ValueError(f"aggregate {child}: two parents ({prev.parent}, {parent})")
                if child not in nodes:
                    meta = agg_rows.get(child) or next(
                        (x for x in rows if str(x["iCode"]) == child), {}
                    )
                    nodes[child] = Node(
                        code=child,
                        parent=parent,
                        weight=_weight(meta.get("weight")),
                        name=str(meta.get("iName") or (names or {}).get(child, "")),
                    )
        nodes[root] = Node(code=root, parent=None, name=(names or {}).get(root, ""))
        # indicators first (input order), then aggregates bottom-up
        ordered = {c: n for c, n in nodes.items() if c not in parents_seen and c != root}
        ordered.update({c: n for c, n in nodes.items() if c in parents_seen})
        ordered[root] = nodes[root]
        return cls(ordered)


def _num(value: object, default: float | None) -> float | None:
    if value is None or value == "":
        return default
    return float(value)  # type: ignore[arg-type]


def _weight(value: object) -> float:
    """A number from a metadata cell, 1 when empty."""
    n = _num(value, 1.0)
    return 1.0 if n is None else n
