"""Runs every rule case file: each case is an input, a profile and the exact positions the rule must report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.sources import load_yaml, to_plain

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases() -> list:
    out = []
    for path in sorted(CASES_DIR.glob("RL*.yaml")):
        data = to_plain(load_yaml(str(path), path.read_text()).documents[0].root)
        rule = data["rule"]
        for case in data["cases"]:
            out.append(pytest.param(rule, case, id=f"{rule}-{case['name']}"))
    return out


def run_case(tmp_path: Path, rule: str, case: dict) -> list:
    """Write the case's file(s), check them with only this rule selected, return the findings.

    A case with `base:` (content, or `base_files:`) is a change: the base is committed in a git
    repository (tag `base`), the case's files are the change, and the check runs with `--base base`.
    """
    files = case.get("files") or {case.get("file", "input.yaml"): case["content"]}
    base = case.get("base_files") or ({case.get("file", "input.yaml"): case["base"]} if "base" in case else None)
    if base is not None:
        from tests.change.gitrepo import make_repo

        make_repo(tmp_path, base)
    paths = []
    for name, content in files.items():
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content)
        paths.append(str(p))
    # Suppression rules judge other rules' findings, so every rule runs for them.
    select = () if rule.startswith("RL9") else (rule,)
    options = CheckOptions(profile=case.get("profile", "cache"), select=select,
                           base="base" if base is not None else None)
    if case.get("redis_version") or case.get("chart_version"):
        from redislint.targets import TargetOptions

        options = dataclasses.replace(options, targets=TargetOptions(case.get("redis_version"), case.get("chart_version")))
    report, _ = check_paths(paths, options)
    return [f for f in report.findings if f.rule == rule]


@pytest.mark.parametrize("rule,case", _load_cases())
def test_rule_case(tmp_path: Path, rule: str, case: dict) -> None:
    findings = run_case(tmp_path, rule, case)
    got = sorted((f.span.line, f.span.column) for f in findings)
    want = sorted(tuple(p) for p in case.get("expect", []))
    assert got == want, "\n".join(f"{f.span.line}:{f.span.column} {f.message}" for f in findings)
    for fragment in case.get("message_contains", []):
        assert any(fragment in f.message for f in findings), [f.message for f in findings]
    for fragment in case.get("fix_contains", []):
        assert any(fragment in (f.fix or "") for f in findings), [f.fix for f in findings]
    for fragment in case.get("fix_lacks", []):
        assert not any(fragment in (f.fix or "") for f in findings), [f.fix for f in findings]
