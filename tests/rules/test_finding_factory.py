"""Findings are made in one place: `model.new_finding`, by keyword."""

from __future__ import annotations

import ast
from pathlib import Path

from redislint.model import Finding, Related, Severity, Span, new_finding

PACKAGE = Path(__file__).resolve().parents[2] / "redislint"


def test_new_finding_takes_code_and_slug_from_the_rule_and_the_rest_by_keyword() -> None:
    class Rule:
        code, name = "RL203", "aof-disabled"

    span = Span("v.yaml", 3, 5, 3, 9)
    related = (Related(Span("v.yaml", 1, 1, 1, 2), "here"),)
    made = new_finding(Rule(), severity=Severity.ERROR, message="m", span=span, fix="f", related=related,
                       target="ns/r", role="master", profile="cache", subject="appendonly", assumptions=("k",))
    assert made == Finding("RL203", "aof-disabled", Severity.ERROR, "m", span, "f", related, "ns/r", "master",
                           "cache", "appendonly", ("k",))
    assert new_finding(Rule(), severity=Severity.NOTE, message="m", span=span).fix == ""


def test_only_the_factory_builds_findings() -> None:
    builders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Finding":
                builders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert builders == ["model.py:" + str(_factory_line())], builders


def _factory_line() -> int:
    tree = ast.parse((PACKAGE / "model.py").read_text())
    [factory] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "new_finding"]
    [call] = [n for n in ast.walk(factory) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "Finding"]
    return call.lineno
