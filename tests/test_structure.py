"""The package's shape: every module imports, no import cycles, no module too long to read.

The import graph is read from the source (`ast`), every `import` at any depth — a lazy import
inside a function is still a dependency — except those under `if TYPE_CHECKING:`, which never
run. A cycle is reported with its chain, so the message says which import to move.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "redislint"
MAX_LINES = 400
SIZE_REASON = "Size:"  # a line of the module docstring that says why the module is longer

# Cycles being removed by their owners (issue 13). Each entry is the set of modules in one cycle;
# the test fails when a cycle appears that is not listed, and when a listed one is gone (delete it).
KNOWN_CYCLES: dict[frozenset[str], str] = {}

# Long modules their owners are restructuring now (issue 13); each gets a split or a `Size:` line,
# then leaves this list (the test fails while a listed module is short, so the list stays true).
BEING_SPLIT: dict[str, str] = {
    "redislint.profiles": "house-pipeline (Profile record)",
    "redislint.charts.values_keys": "house-charts (kinds seam)",
    "redislint.charts.values_view": "house-charts (kinds seam)",
    "redislint.discover": "house-charts (chart identity behind the kinds registry)",
    "redislint.targets": "house-charts (target building per kind)",
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imported(name: str, path: Path) -> set[str]:
    """The `redislint` modules `name` imports anywhere in its code, TYPE_CHECKING blocks left out."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def walk(node: ast.AST) -> Iterator[ast.AST]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                for other in child.orelse:
                    yield other
                    yield from walk(other)
                continue
            yield child
            yield from walk(child)

    for node in walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in MODULES else module)
    return {m for m in found if m in MODULES and m != name}


def import_graph() -> dict[str, set[str]]:
    return {name: _imported(name, path) for name, path in MODULES.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def chain(graph: dict[str, set[str]], component: list[str]) -> str:
    """One closed import path through `component`: a -> b -> ... -> a."""
    members = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return " -> ".join(paths[v] + [start])
            if w not in paths:
                paths[w] = paths[v] + [w]
                queue.append(w)
    return " -> ".join(component)


@pytest.mark.parametrize("name", [n for n in MODULES if not n.endswith("__main__")])
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_the_graph_sees_lazy_imports_and_skips_type_checking_ones(tmp_path: Path) -> None:
    graph = import_graph()
    assert "redislint.commands.check" in graph["redislint.cli"]  # imported inside a command function
    text = "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from redislint import engine\n" \
           "def f():\n    from redislint import model\n"
    path = tmp_path / "probe.py"
    path.write_text(text)
    assert _imported("redislint.probe", path) == {"redislint.model"}


def test_cycles_are_found_with_their_chain() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert chain(graph, ["a", "b", "c"]) == "a -> b -> c -> a"


def test_no_import_cycles() -> None:
    graph = import_graph()
    found = {frozenset(c): c for c in cycles(graph)}
    new = [chain(graph, c) for key, c in found.items() if key not in KNOWN_CYCLES]
    assert not new, "import cycles (move an import, or the code both sides need, so one side stops " \
                    "importing the other):\n" + "\n".join(new)
    gone = [why for key, why in KNOWN_CYCLES.items() if key not in found]
    assert not gone, "these known cycles are gone: delete them from KNOWN_CYCLES:\n" + "\n".join(gone)


def test_no_module_is_long_without_a_reason() -> None:
    long = []
    for name, path in MODULES.items():
        if name in BEING_SPLIT:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines <= MAX_LINES:
            continue
        doc = ast.get_docstring(ast.parse(text)) or ""
        if not any(line.strip().startswith(SIZE_REASON) for line in doc.splitlines()):
            long.append(f"{path.relative_to(PACKAGE.parent)}: {lines} lines")
    assert not long, (f"modules over {MAX_LINES} lines: split them, or say why in their docstring on a line "
                      f"starting `{SIZE_REASON}`:\n" + "\n".join(long))
    short = [f"{name} ({owner})" for name, owner in BEING_SPLIT.items()
             if MODULES[name].read_text(encoding="utf-8").count("\n") <= MAX_LINES]
    assert not short, "no longer over the limit: delete from BEING_SPLIT:\n" + "\n".join(short)
