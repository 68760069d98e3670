"""The tree editor in the database and on its page: edits checked with field messages,
nothing written by a refused edit, every edit versioned and in the history, a stored result
keeping the tree version it used, staff only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kechuang.core.roles import Role
from kechuang.enterprises.tests.factories import make_user
from kechuang.indicators.index import compute_run, set_methodology, set_tree
from kechuang.indicators.models import Indicator, IndicatorSet
from kechuang.indicators.tree_editor import (
    TreeEditError,
    editor_rows,
    member_add,
    member_by_code,
    member_remove,
    member_update,
    node_add,
    node_by_code,
    node_delete,
    node_update,
    tree_changes,
)

from .test_index import YEAR, index_set  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def _version(s: IndicatorSet) -> int:
    s.refresh_from_db()
    return s.tree_version


def test_add_move_and_reweight_recompute_effective_weights(index_set):  # noqa: F811
    s, _regions = index_set
    staff = make_user(Role.BUREAU_STAFF)
    node_add(s, code="r", name_zh="分项三", parent="Index", weight=1.0, user=staff)
    rows = {r["code"]: r for r in editor_rows(s)}
    assert rows["r"]["is_empty"] and rows["r"]["effective"] is None
    assert "r" not in set_tree(s).nodes  # not computed until an indicator is below it
    member_update(s, member_by_code(s, "growth"), parent="r", weight=Decimal(1), user=staff)
    # q is now empty: p (2) and r (1) share the index
    rows = {r["code"]: r for r in editor_rows(s)}
    assert rows["q"]["is_empty"] and rows["growth"]["effective"] == pytest.approx(1 / 3)
    node_update(s, node_by_code(s, "p"), name_zh="创新投入", parent="Index", weight=3.0,
                user=staff)  # fmt: skip
    rows = {r["code"]: r for r in editor_rows(s)}
    assert rows["a"]["effective"] == pytest.approx(3 / 4 / 2) and rows["p"]["name"] == "创新投入"
    assert _version(s) == 4
    changes = tree_changes(s)
    assert [c["version"] for c in changes] == [4, 3, 2] and changes[0]["user"] == staff
    assert "创新投入" in changes[0]["what"] and "3" in changes[0]["what"]
    node = node_by_code(s, "p")
    assert node.history.first().history_user == staff and node.history.count() == 2
    node_delete(s, node_by_code(s, "q"), user=staff)
    assert node_by_code(s, "q") is None and _version(s) == 5
    member_remove(s, member_by_code(s, "growth"), user=staff)
    assert set_tree(s).indicators == ["a", "b"] and _version(s) == 6


def test_refused_edits_name_the_field_and_write_nothing(index_set):  # noqa: F811
    s, _regions = index_set
    # a sub-index level inserted in one step: Index → s → {p, q}
    node_add(s, code="s", name_zh="子指数", parent="Index", weight=1.0, adopt=True)
    assert set_tree(s).levels[2:] == [["s"], ["Index"]]
    node_add(s, code="s2", name_zh="子指数二", parent="Index", weight=1.0)  # empty for now
    before = _version(s)
    growth = member_by_code(s, "growth")
    cases = [
        (lambda: node_add(s, code="a", name_zh="重复", parent="Index", weight=1.0), "code"),
        (lambda: node_add(s, code="x", name_zh="新", parent="a", weight=1.0), "parent"),
        (lambda: node_update(s, node_by_code(s, "s"), name_zh="子指数", parent="p", weight=1.0),
         "parent"),  # s below p, p below s: a cycle
        (lambda: node_update(s, node_by_code(s, "q"), name_zh="分项二", parent="Index",
                             weight=1.0), "parent"),  # pillar q beside sub-index s
        (lambda: member_update(s, growth, parent="s", weight=Decimal(1)), "parent"),
        (lambda: member_update(s, growth, parent="q", weight=Decimal(0)), "weight"),
        (lambda: node_update(s, node_by_code(s, "s"), name_zh="子指数", parent="Index",
                             weight=0.0), "weight"),  # the index's only live child at 0
        (lambda: member_add(s, indicator=Indicator.objects.get(code="a"), parent="q",
                            weight=Decimal(1)), "indicator"),
        (lambda: node_delete(s, node_by_code(s, "p")), "__all__"),
    ]  # fmt: skip
    for call, field in cases:
        with pytest.raises(TreeEditError) as err:
            call()
        assert field in err.value.errors, (field, err.value.errors)
    assert _version(s) == before and node_by_code(s, "p").parent.code == "s"
    # moving q to the empty s2 is fine: s and s2 are both sub-indices
    node_update(s, node_by_code(s, "q"), name_zh="分项二", parent="s2", weight=1.0)
    assert set_tree(s).levels[2] == ["s", "s2"] and _version(s) == before + 1


def test_a_run_keeps_its_tree_version(index_set, client):  # noqa: F811
    s, _regions = index_set
    run = compute_run(s, YEAR)
    assert run.tree_version == 1
    node_update(s, node_by_code(s, "q"), name_zh="分项二", parent="Index", weight=5.0)
    run.refresh_from_db()
    assert run.tree_version == 1 and _version(s) == 2
    client.force_login(make_user(Role.BUREAU_STAFF))
    html = client.get(f"/indicators/sets/{s.code}/results/?year={YEAR}").content.decode()
    assert 'data-testid="tree-changed"' in html
    assert compute_run(s, YEAR).tree_version == 2


def test_page_staff_only_with_field_messages(index_set, client):  # noqa: F811
    s, _regions = index_set
    url = f"/indicators/sets/{s.code}/tree/"
    client.force_login(make_user(Role.LEADER))
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "add_node"}).status_code == 403
    client.force_login(make_user(Role.BUREAU_STAFF))
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="tree-editor"' in html and "分项一" in html
    assert 'data-node="growth"' in html and "0.3333" in html
    bad = {"action": "add_node", "node-code": "r", "node-name_zh": "分项三",
           "node-parent": "Index", "node-weight": "-1"}  # fmt: skip
    page = client.post(url, bad)
    assert page.status_code == 400 and "invalid-feedback" in page.content.decode()
    assert client.post(url, {**bad, "node-weight": "2"}).status_code == 302  # r, empty
    edit = {"action": "edit", "target": "p", "name_zh": "分项一", "parent": "r", "weight": "2"}
    page = client.post(url, edit)  # p under r: a sub-index beside the pillar q
    assert page.status_code == 400 and "不同层级" in page.content.decode()
    wrap = {
        **bad,
        "node-code": "top",
        "node-name_zh": "总体",
        "node-weight": "1",
        "node-adopt": "on",
    }
    assert client.post(url, wrap).status_code == 302  # Index → top → {p, q, r}
    page = client.post(url, {**edit, "target": "top", "name_zh": "总体", "parent": "p"})
    # top below p, which is below top: not even offered as a choice
    assert page.status_code == 400 and "invalid-feedback" in page.content.decode()
    page = client.get(f"{url}?edit=growth")
    assert 'data-testid="edit-form"' in page.content.decode()
    page = client.post(url, {"action": "edit", "target": "growth", "parent": "q", "weight": "0"})
    assert page.status_code == 400 and "均为 0" in page.content.decode()
    levels = {"action": "levels", "level_1": "geometric", "level_2": "arithmetic",
              "level_3": "arithmetic"}  # fmt: skip
    page = client.post(url, levels)
    assert page.status_code == 400 and "几何" in page.content.decode()
    assert client.post(url, {"action": "nothing"}).status_code == 400
    s.refresh_from_db()
    assert s.tree_version == 3 and set_methodology(s).aggregate == ("arithmetic",)
    assert client.post(url, {**levels, "level_1": "arithmetic", "level_2": "arithmetic",
                             "level_3": "arithmetic"}).status_code == 302  # fmt: skip
