"""The transition rules' documentation is executed like every rule's: its Example is a change (a base
block, then the changed file) that triggers the rule, its Use instead a change that does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.change.gitrepo import make_repo

from redislint.engine import CheckOptions, check_paths
from redislint.rules import ALL_RULES, Rule
from redislint.rules._api import _FENCE_RE

TRANSITION_RULES = [r for r in ALL_RULES if r.scope == "transition"]


def _blocks(markdown: str) -> list[tuple[str, str, str]]:
    return [(m.group(1), m.group(2) or "", m.group(3)) for m in _FENCE_RE.finditer(markdown)]


def _findings(tmp_path: Path, rule: Rule, base: tuple[str, str, str], head: tuple[str, str, str],
              profile: str) -> list:
    name = "redis.conf" if base[0] == "conf" else "input.yaml"
    make_repo(tmp_path, {name: base[2]}, {name: head[2]})
    report, _ = check_paths([str(tmp_path / name)], CheckOptions(profile=profile, select=(rule.code,), base="base"))
    return [f for f in report.findings if f.rule == rule.code]


def test_there_are_transition_rules() -> None:
    assert {r.code for r in TRANSITION_RULES} == {"RL103", "RL212", "RL213", "RL214", "RL409", "RL410"}


@pytest.mark.parametrize("rule", TRANSITION_RULES, ids=lambda r: r.code)
def test_documented_example_triggers_the_rule(tmp_path: Path, rule: Rule) -> None:
    blocks = _blocks(rule.doc.example)
    assert len(blocks) == 2, f"{rule.code}: the Example of a transition rule is a base block and a changed block"
    base, head = blocks
    found = _findings(tmp_path, rule, base, head, base[1] or "cache")
    assert found, f"{rule.code}'s Example does not trigger it"


@pytest.mark.parametrize("rule", TRANSITION_RULES, ids=lambda r: r.code)
def test_documented_use_instead_is_clean(tmp_path: Path, rule: Rule) -> None:
    example = _blocks(rule.doc.example)
    instead = _blocks(rule.doc.use_instead)
    base, head = (instead[0], instead[1]) if len(instead) == 2 else (example[0], instead[0])
    found = _findings(tmp_path, rule, base, head, example[0][1] or "cache")
    assert not found, [f.message for f in found]
