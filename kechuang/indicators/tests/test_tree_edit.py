"""The tree editor's checks (logic/tree_edit.py): each rule refuses what it should, names the
node and field, and leaves aggregates without indicators out instead of failing."""

from __future__ import annotations

from dataclasses import replace

from kechuang.indicators.logic import tree_edit
from kechuang.indicators.logic.tree import ROOT, Node, Tree


def _nodes() -> dict[str, Node]:
    nodes = [
        Node("a", "p"), Node("b", "p", 2.0), Node("c", "q"), Node("p", "s"), Node("q", "s"),
        Node("s", ROOT), Node("t", ROOT), Node("r", "t"), Node("d", "r"), Node(ROOT, None),
    ]  # fmt: skip
    return {n.code: n for n in nodes}


IND = {"a", "b", "c", "d"}


def _kinds(nodes: dict[str, Node], indicators: set[str] = IND) -> set[tuple[str, str, str]]:
    return {(p.code, p.field, p.kind) for p in tree_edit.problems(nodes, indicators)}


def test_a_valid_tree_has_no_problem_and_prunes_to_a_tree():
    nodes = _nodes()
    assert tree_edit.problems(nodes, IND) == []
    nodes["e"] = Node("e", "s")  # an aggregate with nothing below it yet
    assert tree_edit.problems(nodes, IND) == []
    tree = Tree(tree_edit.prune(nodes, IND))
    assert "e" not in tree.nodes and tree.levels[0] == ["a", "b", "c", "d"]
    assert tree.effective_weights()["b"] == 2 / 3 * 1 / 2 * 1 / 2


def test_negative_and_non_finite_weights():
    nodes = _nodes()
    nodes["a"] = replace(nodes["a"], weight=-1.0)
    nodes["q"] = replace(nodes["q"], weight=float("nan"))
    assert _kinds(nodes) == {("a", "weight", "negative_weight"), ("q", "weight", "negative_weight")}


def test_a_cycle_is_named_with_its_nodes():
    nodes = _nodes()
    nodes["s"] = replace(nodes["s"], parent="p")  # s → p → s
    found = [p for p in tree_edit.problems(nodes, IND) if p.kind == tree_edit.CYCLE]
    assert {p.code for p in found} == {"s", "p"}
    assert found[0].field == "parent" and set(found[0].others) <= {"s", "p"}


def test_children_all_zero():
    nodes = _nodes()
    nodes["a"] = replace(nodes["a"], weight=0.0)
    assert _kinds(nodes) == set()  # one child at 0 is allowed
    nodes["b"] = replace(nodes["b"], weight=0.0)
    assert _kinds(nodes) == {("p", "weight", "zero_children")}


def test_children_on_different_levels():
    nodes = _nodes()
    nodes["c"] = replace(nodes["c"], parent="s")  # an indicator beside the pillar p
    problems = tree_edit.problems(nodes, IND)
    assert [(p.code, p.kind) for p in problems] == [("s", "mixed_levels")]
    assert problems[0].others == ("p", "c")


def test_parent_must_be_an_aggregate_and_the_tree_needs_an_indicator():
    nodes = _nodes()
    nodes["d"] = replace(nodes["d"], parent="a")
    assert ("d", "parent", "unknown_parent") in _kinds(nodes)
    nodes = {"p": Node("p", ROOT), ROOT: Node(ROOT, None)}
    assert _kinds(nodes, set()) == {(ROOT, "parent", "no_indicator")}


def test_descendants():
    assert tree_edit.descendants(_nodes(), "s") == {"p", "q", "a", "b", "c"}
