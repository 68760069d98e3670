"""Views stay thin (docs/architecture.md): a view reads the request, calls selectors and
services, and renders. Checked by reading the source of every views module (HTML and API):

- no function or method longer than 60 lines;
- no ``openpyxl``: workbooks are built by the app's export module or ``kechuang.core.excel``;
- no ``Model.objects``: queries live in selectors (``selectors.py``, ``pages.py``), writes in
  services;
- no role helper (``user_role``, ``role_scope``, ``user_scope``, ``is_staff_role``,
  ``ScopeKind``): a view asks the access policy (``requires``, ``can``, ``HasCapability``) and
  the selectors apply the scope.

Every views module is checked, new apps included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the kechuang package
MAX_LINES = 60
ROLE_HELPERS = {"user_role", "role_scope", "user_scope", "is_staff_role", "ScopeKind"}


def _views_modules() -> list[Path]:
    return sorted(
        p
        for p in ROOT.rglob("views*.py")
        if "tests" not in p.relative_to(ROOT).parts and p.name != "views.pyc"
    )


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


MODULES = _views_modules()


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def test_views_modules_are_found():
    names = {_name(p) for p in MODULES}
    assert {"dashboard/views.py", "rnd/views.py", "qualifications/views.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_view_functions_are_short(path):
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines, line {node.lineno})"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_LINES
    ]
    assert not long, f"{_name(path)}: " + "; ".join(long)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_views_build_no_workbook(path):
    imports = [
        node.lineno
        for node in ast.walk(_tree(path))
        if (isinstance(node, ast.Import) and any("openpyxl" in a.name for a in node.names))
        or (isinstance(node, ast.ImportFrom) and "openpyxl" in (node.module or ""))
    ]
    assert not imports, f"{_name(path)} imports openpyxl (lines {imports})"


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_views_call_no_role_helper(path):
    uses = sorted(
        {
            f"{node.id} (line {node.lineno})"
            for node in ast.walk(_tree(path))
            if isinstance(node, ast.Name) and node.id in ROLE_HELPERS
        }
        | {
            f"{a.name} (import, line {node.lineno})"
            for node in ast.walk(_tree(path))
            if isinstance(node, ast.ImportFrom)
            for a in node.names
            if a.name in ROLE_HELPERS
        }
    )
    assert not uses, f"{_name(path)}: " + "; ".join(uses)


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_views_hold_no_queries(path):
    lines = [
        node.lineno
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Attribute) and node.attr == "objects"
    ]
    assert not lines, f"{_name(path)}: Model.objects on lines {lines}; move the query to a selector"
