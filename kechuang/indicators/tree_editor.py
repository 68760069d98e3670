"""Editing a set's tree on its page (docs/indicators.md#editing-the-tree): add, rename, move and
delete pillars and sub-indices, add, move, re-weight and remove indicators, choose the
aggregation of each level.

Every edit is checked against the tree rules before anything is written (logic/tree_edit.py:
weights not negative, a node's children not all weighing 0, no cycle, all children of a node on
one level, an indicator once per set), with the reason on the field that caused it. Every edit
is recorded: the node or member keeps its history (who, when, the values before), and the set's
tree version goes up by one with a line saying what changed; a stored result keeps the tree
version it was computed with (`IndexRun.tree_version`).

Selectors: `editor_rows`, `parent_choices`, `indicator_choices`, `level_rows`, `tree_changes`,
`node_by_code`, `member_by_code`. Services: `node_add`, `node_update`, `node_delete`,
`member_add`, `member_update`, `member_remove`, `levels_update`.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from .index import methodology_update, set_methodology
from .logic import tree_edit
from .logic.methodology import AGGREGATIONS
from .logic.tree import ROOT, Node, Tree
from .models import IndexNode, Indicator, IndicatorSet, IndicatorSetMember

__all__ = [
    "TreeEditError",
    "editor_rows",
    "parent_choices",
    "indicator_choices",
    "level_rows",
    "level_name",
    "tree_changes",
    "node_by_code",
    "member_by_code",
    "node_add",
    "node_update",
    "node_delete",
    "member_add",
    "member_update",
    "member_remove",
    "levels_update",
]

User = AbstractBaseUser | AnonymousUser
REASON_LENGTH = 100  # simple_history's change-reason column


class TreeEditError(ValueError):
    """An edit that would break the tree: messages per form field ("__all__" for the form)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__("; ".join(m for ms in errors.values() for m in ms))
        self.errors = errors


# ------------------------------------------------------------------ the tree as stored


def _stored(indicator_set: IndicatorSet) -> tuple[dict[str, Node], set[str]]:
    """Every node of the set as the editor sees it, empty aggregates included, and the codes of
    its indicators. Two queries."""
    nodes: dict[str, Node] = {}
    indicators: set[str] = set()
    for m in indicator_set.members.select_related("indicator", "node").order_by("sort_order", "id"):
        code = m.indicator.code
        parent = m.node.code if m.node is not None else ROOT
        nodes[code] = Node(code=code, parent=parent, weight=float(m.weight), name=m.indicator.name)
        indicators.add(code)
    for n in indicator_set.nodes.select_related("parent").order_by("sort_order", "id"):
        parent = n.parent.code if n.parent is not None else ROOT
        nodes[n.code] = Node(code=n.code, parent=parent, weight=n.weight, name=n.name)
    nodes[ROOT] = Node(code=ROOT, parent=None, name=_("Index"))
    return nodes, indicators


def _name(nodes: dict[str, Node], code: str) -> str:
    node = nodes.get(code)
    return f"“{(node.name if node else '') or code}”"


def _check(nodes: dict[str, Node], indicators: set[str]) -> None:
    """Raise TreeEditError with every reason the nodes are not a valid tree."""
    errors: dict[str, list[str]] = {}
    for p in tree_edit.problems(nodes, indicators):
        n = _name(nodes, p.code)
        others = "、".join(_name(nodes, c) for c in p.others)
        if p.kind == tree_edit.NEGATIVE_WEIGHT:
            text = _("A weight must be a number not below 0.")
        elif p.kind == tree_edit.UNKNOWN_PARENT:
            text = _("Choose the parent among the index and its aggregates.")
        elif p.kind == tree_edit.CYCLE:
            text = _("%(node)s cannot go below a node that is itself below it (%(others)s).") % {
                "node": n, "others": others}  # fmt: skip
        elif p.kind == tree_edit.ZERO_CHILDREN:
            text = _(
                "The children of %(node)s would all weigh 0: at least one needs a weight above 0."
            ) % {"node": n}
        elif p.kind == tree_edit.MIXED_LEVELS:
            text = _(
                "The children of %(node)s would sit on different levels (%(others)s): all "
                "children of one node are indicators, or all are aggregates of one level."
            ) % {"node": n, "others": others}
        else:
            text = _("The set needs at least one indicator.")
        field = "__all__" if p.kind == tree_edit.NO_INDICATOR else p.field
        if text not in errors.get(field, []):
            errors.setdefault(field, []).append(text)
    if errors:
        raise TreeEditError(errors)


def _bump(indicator_set: IndicatorSet, user: User | None, reason: str) -> None:
    """One more tree version, recorded in the set's history with who and what changed."""
    indicator_set.tree_version += 1
    _audited(indicator_set, user)
    indicator_set._change_reason = reason[:REASON_LENGTH]  # type: ignore[attr-defined]
    indicator_set.save(update_fields=["tree_version"])


def _audited(obj: Any, user: User | None) -> Any:
    obj._history_user = user if getattr(user, "is_authenticated", False) else None
    return obj


def _parent_node(indicator_set: IndicatorSet, code: str) -> IndexNode | None:
    if code == ROOT:
        return None
    return indicator_set.nodes.get(code=code)


# ------------------------------------------------------------------ selectors


def node_by_code(indicator_set: IndicatorSet, code: str) -> IndexNode | None:
    return indicator_set.nodes.filter(code=code).first()


def member_by_code(indicator_set: IndicatorSet, code: str) -> IndicatorSetMember | None:
    return (
        indicator_set.members.select_related("indicator", "node")
        .filter(indicator__code=code)
        .first()
    )


def level_name(level: int, top: int) -> str:
    """Indicators (1), pillars (2), sub-indices (3), …, the index (top)."""
    if level == 1:
        return _("Indicator")
    if level == top:
        return _("Index")
    if level == 2:
        return _("Pillars")
    if level == 3:
        return _("Sub-indices")
    return _("Level %(k)s") % {"k": level}


def editor_rows(indicator_set: IndicatorSet) -> list[dict[str, Any]]:
    """The stored tree top-down: every node with its depth, weight, effective weight (None for
    an aggregate with no indicator yet, which the computation leaves out) and child count."""
    nodes, indicators = _stored(indicator_set)
    live = tree_edit.prune(nodes, indicators)
    try:
        tree: Tree | None = Tree(live)
    except ValueError:
        tree = None
    eff = tree.effective_weights() if tree else {}
    top = len(tree.levels) if tree else 0
    pending = set(indicator_set.nodes.filter(is_pending_policy=True).values_list("code", flat=True))
    kids: dict[str, list[str]] = {c: [] for c in nodes}
    for n in nodes.values():
        if n.parent is not None:
            kids[n.parent].append(n.code)
    out: list[dict[str, Any]] = []

    def walk(code: str, depth: int) -> None:
        level = tree.level_of(code) if tree and code in live else None
        out.append({
            "code": code, "name": nodes[code].name or code, "depth": depth,
            "is_root": code == ROOT, "is_indicator": code in indicators,
            "is_empty": code not in live, "weight": nodes[code].weight,
            "effective": eff.get(code), "children": len(kids[code]),
            "kind": level_name(level, top) if level else _("Not used yet (no indicator below)"),
            "pending": code in pending,
        })  # fmt: skip
        for child in kids[code]:
            walk(child, depth + 1)

    walk(ROOT, 0)
    return out


def parent_choices(indicator_set: IndicatorSet, moving: str | None = None) -> list[tuple[str, str]]:
    """The index and every aggregate, indented by depth; without `moving` and its descendants
    (a node cannot go below itself)."""
    nodes, indicators = _stored(indicator_set)
    skip = {moving} | tree_edit.descendants(nodes, moving) if moving else set()
    return [
        (r["code"], "　" * r["depth"] + r["name"])
        for r in editor_rows(indicator_set)
        if not r["is_indicator"] and r["code"] not in skip
    ]


def indicator_choices(indicator_set: IndicatorSet) -> list[tuple[str, str]]:
    """The catalogue's indicators not yet in the set."""
    taken = indicator_set.members.values_list("indicator_id", flat=True)
    return [
        (i.code, i.name)
        for i in Indicator.objects.exclude(pk__in=taken).order_by("sort_order", "code")
    ]


def level_rows(indicator_set: IndicatorSet) -> list[dict[str, Any]]:
    """Each aggregation step of the tree (level k → k + 1) with its current method."""
    nodes, indicators = _stored(indicator_set)
    try:
        tree = Tree(tree_edit.prune(nodes, indicators))
    except ValueError:
        return []
    method = set_methodology(indicator_set)
    top = len(tree.levels)
    return [
        {"level": k, "field": f"level_{k}", "method": method.aggregation_for(k),
         "label": _("%(low)s → %(high)s") % {"low": level_name(k, top),
                                              "high": level_name(k + 1, top)}}
        for k in range(1, top)
    ]  # fmt: skip


def tree_changes(indicator_set: IndicatorSet, limit: int = 15) -> list[dict[str, Any]]:
    """The latest tree edits: version, when, who, what."""
    records = (
        indicator_set.history.exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .select_related("history_user")
        .order_by("-history_date")[:limit]
    )
    return [
        {"version": h.tree_version, "at": h.history_date, "user": h.history_user,
         "what": h.history_change_reason}
        for h in records
    ]  # fmt: skip


# ------------------------------------------------------------------ services


@transaction.atomic
def node_add(
    indicator_set: IndicatorSet, *, code: str, name_zh: str, parent: str, weight: float,
    adopt: bool = False, user: User | None = None,
) -> IndexNode:  # fmt: skip
    """Add a pillar or sub-index under `parent` (a node code, or the index). With `adopt`, the
    new node takes every current child of `parent` below it: a level inserted in one step."""
    nodes, indicators = _stored(indicator_set)
    if code in nodes or code == ROOT:
        raise TreeEditError({"code": [_("This code is already used in the tree.")]})
    moved = [c for c, n in nodes.items() if adopt and n.parent == parent]
    for c in moved:
        nodes[c] = replace(nodes[c], parent=code)
    nodes[code] = Node(code=code, parent=parent, weight=weight, name=name_zh)
    _check(nodes, indicators)
    node = _audited(IndexNode(
        indicator_set=indicator_set, code=code, name_zh=name_zh, weight=weight,
        parent=_parent_node(indicator_set, parent),
        sort_order=indicator_set.nodes.count() + 1,
    ), user)  # fmt: skip
    node.save()
    if moved:
        who = user if getattr(user, "is_authenticated", False) else None
        kids = list(indicator_set.nodes.filter(code__in=moved))
        members = list(indicator_set.members.filter(indicator__code__in=moved))
        for k in kids:
            k.parent = node
        for m in members:
            m.node = node
        bulk_update_with_history(kids, IndexNode, ["parent"], default_user=who)
        bulk_update_with_history(members, IndicatorSetMember, ["node"], default_user=who)
    reason = _("Added %(name)s") % {"name": name_zh}
    if moved:
        reason += _(" above %(n)s nodes") % {"n": len(moved)}
    _bump(indicator_set, user, reason)
    return node


@transaction.atomic
def node_update(
    indicator_set: IndicatorSet, node: IndexNode, *, name_zh: str, parent: str, weight: float,
    user: User | None = None,
) -> IndexNode:  # fmt: skip
    """Rename, move (new parent) or re-weight a pillar or sub-index."""
    nodes, indicators = _stored(indicator_set)
    old = nodes[node.code]
    nodes[node.code] = replace(old, parent=parent, weight=weight, name=name_zh)
    _check(nodes, indicators)
    what = []
    if name_zh != node.name_zh:
        what.append(_("renamed %(old)s to %(new)s") % {"old": node.name_zh, "new": name_zh})
    if parent != old.parent:
        what.append(_("moved under %(parent)s") % {"parent": _name(nodes, parent)})
    if weight != node.weight:
        what.append(_("weight %(old)s → %(new)s") % {"old": f"{node.weight:g}",
                                                    "new": f"{weight:g}"})  # fmt: skip
    if not what:
        return node
    node.name_zh, node.weight = name_zh, weight
    node.parent = _parent_node(indicator_set, parent)
    _audited(node, user).save()
    _bump(indicator_set, user, f"{old.name or node.code}：" + "，".join(what))
    return node


@transaction.atomic
def node_delete(indicator_set: IndicatorSet, node: IndexNode, *, user: User | None = None) -> None:
    """Delete a pillar or sub-index that has nothing below it."""
    n_kids = node.children.count() + node.members.count()
    if n_kids:
        raise TreeEditError({"__all__": [_(
            "“%(name)s” still has %(n)s nodes below it: move or delete them first."
        ) % {"name": node.name_zh, "n": n_kids}]})  # fmt: skip
    name = node.name_zh
    _audited(node, user).delete()
    _bump(indicator_set, user, _("Deleted %(name)s") % {"name": name})


@transaction.atomic
def member_add(
    indicator_set: IndicatorSet, *, indicator: Indicator, parent: str, weight: Decimal,
    user: User | None = None,
) -> IndicatorSetMember:  # fmt: skip
    """Put a catalogue indicator into the set under `parent`."""
    nodes, indicators = _stored(indicator_set)
    if indicator.code in indicators:
        raise TreeEditError({"indicator": [_("This indicator is already in the set.")]})
    if indicator.code in nodes:
        raise TreeEditError({"indicator": [_("A pillar or sub-index of the set has this code.")]})
    nodes[indicator.code] = Node(code=indicator.code, parent=parent, weight=float(weight),
                                 name=indicator.name)  # fmt: skip
    _check(nodes, indicators | {indicator.code})
    member = _audited(IndicatorSetMember(
        indicator_set=indicator_set, indicator=indicator, weight=weight,
        node=_parent_node(indicator_set, parent),
        sort_order=indicator_set.members.count() + 1,
    ), user)  # fmt: skip
    member.save()
    _bump(indicator_set, user, _("Added indicator %(name)s") % {"name": indicator.name})
    return member


@transaction.atomic
def member_update(
    indicator_set: IndicatorSet, member: IndicatorSetMember, *, parent: str, weight: Decimal,
    user: User | None = None,
) -> IndicatorSetMember:  # fmt: skip
    """Move an indicator to another pillar or change its weight."""
    nodes, indicators = _stored(indicator_set)
    code = member.indicator.code
    old = nodes[code]
    nodes[code] = replace(old, parent=parent, weight=float(weight))
    _check(nodes, indicators)
    what = []
    if parent != old.parent:
        what.append(_("moved under %(parent)s") % {"parent": _name(nodes, parent)})
    if Decimal(weight) != member.weight:
        what.append(_("weight %(old)s → %(new)s") % {"old": f"{member.weight.normalize():f}",
                                                    "new": f"{Decimal(weight).normalize():f}"})  # fmt: skip
    if not what:
        return member
    member.weight = weight
    member.node = _parent_node(indicator_set, parent)
    _audited(member, user).save()
    _bump(indicator_set, user, f"{member.indicator.name}：" + "，".join(what))
    return member


@transaction.atomic
def member_remove(
    indicator_set: IndicatorSet, member: IndicatorSetMember, *, user: User | None = None
) -> None:
    """Take an indicator out of the set (its values stay in the catalogue)."""
    nodes, indicators = _stored(indicator_set)
    code = member.indicator.code
    nodes.pop(code)
    _check(nodes, indicators - {code})
    name = member.indicator.name
    _audited(member, user).delete()
    _bump(indicator_set, user, _("Removed indicator %(name)s") % {"name": name})


@transaction.atomic
def levels_update(
    indicator_set: IndicatorSet, levels: list[str], *, user: User | None = None
) -> None:
    """The aggregation of each level, bottom-up; stored in the methodology (a new version)."""
    if not levels or any(a not in AGGREGATIONS for a in levels):
        raise TreeEditError({"__all__": [_("Each level's aggregation must be arithmetic, "
                                           "geometric or harmonic.")]})  # fmt: skip
    body = set_methodology(indicator_set).to_dict()
    body["aggregate"] = {"levels": list(levels)}
    try:
        methodology_update(indicator_set, body, user=user)
    except ValueError as exc:
        if str(exc).startswith("aggregate.levels: geometric"):
            raise TreeEditError({"__all__": [_(
                "Geometric and harmonic means need positive scores: first choose, under "
                "Methodology, min–max with a lower end above 0, or a target normalisation."
            )]}) from exc  # fmt: skip
        raise TreeEditError({"__all__": [_("These settings cannot be combined.")]}) from exc
