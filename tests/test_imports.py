"""Import hygiene of the package: the Ising chapter does not load torch, and no module of
``rgbook`` imports itself back through others (an import cycle), counting imports inside
functions too."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "rgbook"

#: The physics core and what each of its modules may import:
#: ``_validate, _numeric -> ising, expfam, information -> rg -> couplings``.
CORE = {
    "_validate": set(),
    "_lattice_kernels": set(),
    "_numeric": set(),
    "information": {"_validate"},
    "ising": {"_validate", "_numeric"},
    "ising2d": {"_validate", "_lattice_kernels"},
    "expfam": {"_validate", "_numeric"},
    "rg": {"_validate", "ising", "expfam"},
    "couplings": {"_validate", "_numeric", "ising", "expfam", "information", "rg"},
}


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(package: Path) -> dict[str, set[str]]:
    """Edges ``module -> rgbook module it imports`` for every ``.py`` file of ``package``.

    Every import statement counts, at module level or inside a function. ``from X import name``
    points to ``X.name`` when that is a module of the package, else to ``X``.
    """
    root = package.name
    files = {module_name(p, package): p for p in package.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        is_package = path.name == "__init__.py"
        here = name.split(".") if is_package else name.split(".")[:-1]
        edges: set[str] = set()
        with warnings.catch_warnings():  # a module's own escape-sequence warnings are not this test's business
            warnings.simplefilter("ignore")
            tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = here[: len(here) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                targets = [
                    f"{source}.{alias.name}" if f"{source}.{alias.name}" in files else source for alias in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in files:  # import a.b.c of a package -> its longest module prefix
                    target = target.rpartition(".")[0]
                if target and target.split(".")[0] == root and target != name:
                    edges.add(target)
        graph[name] = edges
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules (first == last), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_ising_chapter_and_core_do_not_load_torch():
    code = textwrap.dedent("""
        import sys
        import rgbook.ising, rgbook.ising2d, rgbook.rg, rgbook.couplings, rgbook.expfam, rgbook.information
        import rgbook.chapters.ising_rg
        loaded = sorted(m for m in sys.modules if m == "torch" or m.startswith("torch."))
        print(len(loaded))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0", "importing the Ising chapter or the physics core loaded torch"


def test_no_import_cycle_among_rgbook_modules():
    graph = import_graph(PACKAGE)
    assert "rgbook.ising" in graph and "rgbook.chapters.ising_rg" in graph
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_core_layering():
    """``_validate, _numeric, _lattice_kernels -> ising, ising2d, expfam, information -> rg -> couplings``: a
    core module imports only the layers below."""
    graph = import_graph(PACKAGE)
    for name, allowed in CORE.items():
        extra = graph[f"rgbook.{name}"] - {f"rgbook.{m}" for m in allowed}
        assert not extra, f"rgbook.{name} imports {sorted(extra)}; the core is layered as {CORE}"


@pytest.mark.parametrize("name", ["_validate", "ising", "ising2d", "information", "rg", "couplings"])
def test_core_has_no_function_local_imports_and_no_foreign_private_names(name):
    tree = ast.parse((PACKAGE / f"{name}.py").read_text())
    for func in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
        local = [n.lineno for n in ast.walk(func) if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert not local, f"rgbook.{name}.{func.name} imports inside the function (lines {local})"
    modules = {
        alias.asname or alias.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.level
        for alias in n.names
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            assert not private, f"rgbook.{name} imports private names {private} from .{node.module}"
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            raise AssertionError(f"rgbook.{name} uses the private {node.value.id}.{node.attr}")


def test_cycle_detection_can_fail(tmp_path):
    """The checker finds a cycle made only of function-local imports (like the old ising -> rg -> couplings)."""
    pkg = tmp_path / "rgbook"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("def f():\n    from .b import g\n")
    (pkg / "b.py").write_text("from . import c\n")
    (pkg / "c.py").write_text("def h():\n    from .sub import d\n")
    (pkg / "sub" / "d.py").write_text("from .. import a\n")
    graph = import_graph(pkg)
    assert graph["rgbook.sub.d"] == {"rgbook.a"}
    assert find_cycle(graph) == ["rgbook.a", "rgbook.b", "rgbook.c", "rgbook.sub.d", "rgbook.a"]
    (pkg / "sub" / "d.py").write_text("import numpy\n")
    assert find_cycle(import_graph(pkg)) is None


def test_a_chapter_imports_no_other_chapter():
    """A chapter module (``rgbook.chapters.<name>``) and its sibling modules (``<name>_plots``, ``<name>_runs``,
    ...) import one another only within that chapter, never another chapter's modules."""
    from rgbook.chapters import CHAPTER_MODULES, COMPANIONS

    def chapter_of(module: str) -> str | None:
        owners = [c for c in CHAPTER_MODULES if module == c or module.startswith(c + "_")]
        return max(owners, key=len) if owners else None

    graph = import_graph(PACKAGE)
    prefix = "rgbook.chapters."
    for name, edges in graph.items():
        if not name.startswith(prefix):
            continue
        for target in (t for t in edges if t.startswith(prefix)):
            here, there = chapter_of(name[len(prefix) :]), chapter_of(target[len(prefix) :])
            allowed = {here, *COMPANIONS.get(here, ())}
            assert here is not None and there in allowed, f"{name} imports {target}, a module of another chapter"
