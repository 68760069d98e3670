"""The layer order of docs/architecture.md#layer-order, checked from the code's own imports.

Every module under kechuang/ is parsed (no import is executed); module-level and function-level
imports both count. The checks:

(a) no module imports an app of a higher layer;
(b) no function-level import of another app of the same or a higher layer (the usual way of hiding
    a cycle); allowed: AppConfig.ready() importing a lower layer to register into its registry,
    management commands and tests;
(c) a `logic/` package imports neither Django nor any kechuang module outside `logic/` packages
    (kechuang.matching counts as pure too);
(d) no import cycle between apps, and no module-level cycle inside an app hidden by a
    function-level import (services <-> tasks);
(e) production code never imports a test module.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kechuang"

# docs/architecture.md#layer-order — lowest first. An app may import its own layer or lower ones.
LAYERS: list[tuple[str, ...]] = [
    ("core", "matching"),
    ("regions", "accounts"),
    ("notices", "notifications"),
    ("enterprises",),
    ("experts",),
    ("platforms",),
    ("imports",),
    ("qualifications", "rnd"),
    ("campaigns", "indicators"),
    ("programmes", "cooperation"),
    ("dashboard", "reports", "workbench", "console"),
    ("demo",),
]
# Top-level modules of the package (the API URL root, the console script) sit above every app.
PROJECT = "<project>"
LAYER: dict[str, int] = {app: i for i, apps in enumerate(LAYERS) for app in apps}
LAYER[PROJECT] = len(LAYERS)
PURE_PACKAGES = {"matching"}  # apps with no Django at all, like a logic/ package


@dataclass(frozen=True)
class Import:
    path: Path  # the importing file
    module: str  # dotted name of the importing module
    target: str  # dotted name imported (a module or a module.name)
    line: int
    function: str | None  # enclosing function name, None at module level
    in_class: str | None  # enclosing class of that function


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "kechuang":
        return None
    if len(parts) == 1:
        return PROJECT
    if (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return PROJECT


def _is_test(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return "tests" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def _is_command(path: Path) -> bool:
    return "management" in path.relative_to(PACKAGE).parts


def _is_logic(module: str) -> bool:
    parts = module.split(".")
    return "logic" in parts[:-1] or (len(parts) > 1 and parts[1] in PURE_PACKAGES)


def _is_logic_target(target: str) -> bool:
    parts = target.split(".")
    return "logic" in parts or (len(parts) > 1 and parts[1] in PURE_PACKAGES)


class _Collector(ast.NodeVisitor):
    def __init__(self, path: Path, module: str, is_package: bool):
        self.path, self.module, self.is_package = path, module, is_package
        self.stack: list[tuple[str, str]] = []  # ("class"|"def", name)
        self.found: list[Import] = []

    def _context(self) -> tuple[str | None, str | None]:
        function = cls = None
        for i, (kind, name) in enumerate(self.stack):
            if kind == "def" and function is None:
                function = name
                cls = self.stack[i - 1][1] if i and self.stack[i - 1][0] == "class" else None
        return function, cls

    def _add(self, target: str, node: ast.AST) -> None:
        function, cls = self._context()
        self.found.append(Import(self.path, self.module, target, node.lineno, function, cls))  # type: ignore[attr-defined]

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.stack.append(("class", node.name))
        self.generic_visit(node)
        self.stack.pop()

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.stack.append(("def", node.name))
        self.generic_visit(node)
        self.stack.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        # `if TYPE_CHECKING:` imports never run; they are annotations only.
        test = node.test
        name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
        if name == "TYPE_CHECKING":
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            base = self.module.split(".")
            if not self.is_package:
                base = base[:-1]
            base = base[: len(base) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        for alias in node.names:
            self._add(f"{module}.{alias.name}" if alias.name != "*" else module, node)


@cache
def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found[_module_name(path)] = path
    return found


@cache
def imports() -> list[Import]:
    found: list[Import] = []
    for module, path in modules().items():
        tree = ast.parse(path.read_text(encoding="utf8"), filename=str(path))
        collector = _Collector(path, module, path.name == "__init__.py")
        collector.visit(tree)
        found.extend(collector.found)
    return found


def _resolve(target: str) -> str | None:
    """The kechuang module a dotted import target names (module or module.attribute)."""
    known = modules()
    while target:
        if target in known:
            return target
        target = target.rpartition(".")[0]
    return None


def _where(item: Import) -> str:
    target = _resolve(item.target) or item.target
    return f"{item.path.relative_to(ROOT)}:{item.line} imports {target}"


def _production() -> list[Import]:
    return [i for i in imports() if not _is_test(i.path)]


# ----------------------------------------------------------------------------------------------


def test_every_app_has_a_layer():
    apps = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    missing = sorted(apps - set(LAYER))
    assert not missing, f"apps missing from LAYERS (docs/architecture.md#layer-order): {missing}"


def upward_imports() -> list[str]:
    bad = []
    for item in _production():
        source, target = _app_of(item.module), _app_of(item.target)
        if source is None or target is None or source == target:
            continue
        if LAYER.get(target, -1) > LAYER.get(source, -1):
            bad.append(f"{_where(item)} ({source} -> {target})")
    return list(dict.fromkeys(bad))


def hidden_imports() -> list[str]:
    """Function-level imports of another app of the same or a higher layer."""
    bad = []
    for item in _production():
        if item.function is None or _is_command(item.path):
            continue
        source, target = _app_of(item.module), _app_of(item.target)
        if source is None or target is None or source == target or source == PROJECT:
            continue
        if LAYER[target] < LAYER[source]:
            continue  # a lower layer: allowed (lazy import, or ready() registering into it)
        bad.append(f"{_where(item)} inside {item.function}() ({source} -> {target})")
    return list(dict.fromkeys(bad))


def impure_logic() -> list[str]:
    bad = []
    for item in imports():
        if not _is_logic(item.module) or _is_test(item.path):
            continue
        root = item.target.split(".")[0]
        if root == "django" or root == "rest_framework":
            bad.append(f"{_where(item)} (Django inside a pure package)")
        elif root == "kechuang" and not _is_logic_target(item.target):
            bad.append(f"{_where(item)} (a non-logic kechuang module inside a pure package)")
    return list(dict.fromkeys(bad))


def app_cycles() -> list[str]:
    edges: dict[str, set[str]] = {}
    for item in _production():
        source, target = _app_of(item.module), _app_of(item.target)
        if source and target and source != target and PROJECT not in (source, target):
            edges.setdefault(source, set()).add(target)
    return [" -> ".join(c) for c in _cycles(edges)]


def hidden_module_cycles() -> list[str]:
    """Module cycles inside one app that exist only through a function-level import."""
    edges: dict[str, set[str]] = {}
    lazy: set[tuple[str, str]] = set()
    for item in _production():
        target = _resolve(item.target)
        if target is None or target == item.module:
            continue
        if _app_of(target) != _app_of(item.module):
            continue
        if item.function is not None and item.function == "ready":
            continue
        edges.setdefault(item.module, set()).add(target)
        if item.function is not None:
            lazy.add((item.module, target))
    bad = []
    for cycle in _cycles(edges):
        members = set(cycle)
        if any(a in members and b in members for a, b in lazy):
            bad.append(" -> ".join(cycle))
    return bad


def test_imports_from_tests():
    bad = [
        _where(i)
        for i in _production()
        if ".tests." in f".{i.target}." or i.target.split(".")[-1].startswith("test_")
    ]
    assert not bad, "production code imports a test module:\n" + "\n".join(bad)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One representative cycle per strongly connected component of more than one node
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return components


@pytest.mark.parametrize(
    "check",
    [upward_imports, hidden_imports, impure_logic, app_cycles, hidden_module_cycles],
    ids=lambda f: f.__name__,
)
def test_layers(check):
    bad = check()
    assert not bad, f"{check.__doc__ or check.__name__}:\n" + "\n".join(bad)


# The checks themselves, on a throw-away tree -----------------------------------------------------


def test_checks_can_fail(tmp_path, monkeypatch):
    pkg = tmp_path / "kechuang"
    files = {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/lists.py": "from kechuang.imports.exports import x\n",
        "core/logic/__init__.py": "",
        "core/logic/rules.py": "import django\nfrom kechuang.core import models\n",
        "core/models.py": "",
        "imports/__init__.py": "",
        "imports/exports.py": "x = 1\n",
        "imports/services.py": "def go():\n    from kechuang.imports import tasks\n",
        "imports/tasks.py": "from kechuang.imports import services\n",
        "imports/apps.py": "class C:\n    def ready(self):\n        from kechuang.core import models\n",
        "rnd/__init__.py": "",
        "rnd/a.py": "def f():\n    from kechuang.qualifications import b\n",
        "qualifications/__init__.py": "",
        "qualifications/b.py": "from kechuang.rnd import a\n",
        "qualifications/tests/__init__.py": "",
        "qualifications/tests/test_x.py": "from kechuang.demo import anything\n",
    }
    for name, text in files.items():
        (pkg / name).parent.mkdir(parents=True, exist_ok=True)
        (pkg / name).write_text(text)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["x"]), "PACKAGE", pkg)
    modules.cache_clear()
    imports.cache_clear()
    try:
        assert upward_imports() == [
            "kechuang/core/lists.py:1 imports kechuang.imports.exports (core -> imports)"
        ]
        assert hidden_imports() == [
            "kechuang/rnd/a.py:2 imports kechuang.qualifications.b inside f() (rnd -> qualifications)"
        ]
        assert len(impure_logic()) == 2
        assert app_cycles() == ["core -> imports", "qualifications -> rnd"]
        assert hidden_module_cycles() == ["kechuang.imports.services -> kechuang.imports.tasks"]
    finally:
        modules.cache_clear()
        imports.cache_clear()


# Citations: docs/<file>.md#<anchor> in the code resolves; nothing points outside the repository.

DOCS = ROOT / "docs"
CITED_FILES = ("*.py", "*.json", "*.html", "*.txt", "*.md")
DOC_LINK = re.compile(r"docs/([\w.-]+\.md)(?:#([\w\-\u4e00-\u9fff]+))?")
# References to documents a maintainer who clones the repository does not have.
OUTSIDE = re.compile(
    r"\.\./shared|shared/spec|\bspec/|\bspec §|\bspec's\b|demo-region\.md|\bSTYLE\.md"
    r"|(?<!docs/)\b(?:qualification-rules|domain|platforms|programmes|cooperation|stack)\.md §"
)
# A section sign with a number must follow the official document it points into on the same
# line (a document number 〔…〕…号, a standard, a handbook); a bare "§11" pointed at a private spec.
OFFICIAL = re.compile(r"号|GB|ISO|ECMA|ITU|Handbook|RFC|第.+条|办法|指引|Annex|Part \d")
BARE_SECTION = re.compile(r"§\s?\d")


def github_slug(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation dropped (letters of any
    script, digits, spaces, hyphens and underscores kept), spaces to hyphens."""
    text = heading.strip().lower()
    text = "".join(ch for ch in text if ch.isalnum() or ch in " -_")
    return text.replace(" ", "-")


def doc_anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    in_code = False
    for line in path.read_text(encoding="utf8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        slug = github_slug(line.lstrip("#"))
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors


def _cited_sources() -> list[Path]:
    found: list[Path] = []
    for pattern in CITED_FILES:
        found.extend(p for p in PACKAGE.rglob(pattern) if "migrations" not in p.parts)
    return sorted(found)


def test_github_slug():
    assert github_slug(" Staff and R&D definitions") == "staff-and-rd-definitions"
    assert github_slug("Layer order") == "layer-order"
    assert github_slug("科技型企业 (科小)") == "科技型企业-科小"


def test_doc_citations_resolve():
    bad = []
    anchors: dict[str, set[str]] = {}
    for path in _cited_sources():
        for n, line in enumerate(path.read_text(encoding="utf8").splitlines(), 1):
            for name, anchor in DOC_LINK.findall(line):
                target = DOCS / name
                where = f"{path.relative_to(ROOT)}:{n}"
                if not target.exists():
                    bad.append(f"{where}: docs/{name} does not exist")
                    continue
                if anchor:
                    known = anchors.setdefault(name, doc_anchors(target))
                    if anchor not in known:
                        bad.append(f"{where}: docs/{name}#{anchor} is no heading of it")
    assert not bad, "\n".join(bad)


def test_no_citation_points_outside_the_repository():
    bad = []
    for path in _cited_sources():
        for n, line in enumerate(path.read_text(encoding="utf8").splitlines(), 1):
            if OUTSIDE.search(line) or (BARE_SECTION.search(line) and not OFFICIAL.search(line)):
                bad.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()[:120]}")
    assert not bad, "citations of documents outside the repository:\n" + "\n".join(bad)
