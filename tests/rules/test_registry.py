"""The rule registry (`redislint.rules.RULES`) is the one list of rules, and every piece a rule needs is
checked against it: its module, a severity in every built-in profile, a case file, its docs, and the
profile settings it reads. Each failure says what to add, and where."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from redislint.profiles import BUILTIN_PROFILES, SETTINGS
from redislint.rules import CATALOGUE, RULES, Entry, rule_code
from redislint.sources import load_yaml, to_plain

from .settings_read import recording_reads
from .test_cases import CASES_DIR, _load_cases, run_case

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "redislint" / "rules"
# The built-in profiles as shipped, and the copies at the top of the repository that people read.
POLICY_DIRS = (ROOT / "redislint" / "policies", ROOT / "policies")


def test_every_rule_module_is_registered_once() -> None:
    on_disk = sorted(p.stem for p in RULES_DIR.glob("rl[0-9][0-9][0-9]_*.py"))
    registered = [e.module for e in RULES]
    missing = sorted(set(on_disk) - set(registered))
    assert not missing, f"rule modules not in the registry: add Entry(...) lines for {missing} to RULES in " \
                        "redislint/rules/__init__.py"
    unknown = sorted(set(registered) - set(on_disk))
    assert not unknown, f"registered rules without a module: {unknown} (redislint/rules/<module>.py)"
    codes = [e.code for e in RULES]
    assert codes == sorted(codes), "RULES is in code order"
    assert len(set(codes)) == len(codes) and len(set(CATALOGUE.values())) == len(RULES), "codes and slugs are unique"


@pytest.mark.parametrize("entry", RULES, ids=lambda e: e.code)
def test_module_defines_the_rule_its_name_says(entry: Entry) -> None:
    rule = importlib.import_module(f"redislint.rules.{entry.module}").RULE
    assert (rule.code, rule.name) == (entry.code, entry.name), \
        f"{entry.path} defines {rule.code} {rule.name}; its module name says {entry.code} {entry.name}"
    assert rule_code(rule.code) == rule_code(rule.name) == rule.code


@pytest.mark.parametrize("entry", RULES, ids=lambda e: e.code)
def test_declared_reads_are_profile_settings(entry: Entry) -> None:
    keys = [s.key for s in SETTINGS]
    unknown = [r for r in entry.reads if r not in keys]
    assert not unknown, f"{entry.code} declares reads={unknown}, which are no profile settings ({', '.join(keys)})"
    assert list(entry.reads) == sorted(set(entry.reads)), f"{entry.code}: list reads once each, sorted"


def _decided(path: Path) -> dict[str, str]:
    data = to_plain(load_yaml(str(path), path.read_text(encoding="utf-8")).documents[0].root)
    return {str(rule_code(str(k)) or k): v for k, v in (data.get("rules") or {}).items()}


@pytest.mark.parametrize("directory", POLICY_DIRS, ids=lambda d: str(d.relative_to(ROOT)))
@pytest.mark.parametrize("profile", BUILTIN_PROFILES)
def test_every_builtin_profile_decides_every_rule(directory: Path, profile: str) -> None:
    path = directory / f"{profile}.yaml"
    decided = _decided(path)
    shown = path.relative_to(ROOT)
    missing = [f"{c} {s}" for c, s in CATALOGUE.items() if c not in decided]
    assert not missing, f"{shown} decides no severity for {', '.join(missing)}: add `RLnnn: error|warning|note|off` " \
                        "under rules: in every built-in profile (redislint/policies/ and policies/)"
    unknown = [c for c in decided if c not in CATALOGUE]
    assert not unknown, f"{shown} decides rules the registry does not have: {unknown}"


@pytest.mark.parametrize("profile", BUILTIN_PROFILES)
def test_top_level_policies_are_the_shipped_profiles(profile: str) -> None:
    shipped, copy = (d / f"{profile}.yaml" for d in POLICY_DIRS)
    assert copy.read_text(encoding="utf-8") == shipped.read_text(encoding="utf-8"), \
        f"policies/{profile}.yaml differs from redislint/policies/{profile}.yaml (the one shipped): copy it over"


@pytest.mark.parametrize("entry", RULES, ids=lambda e: e.code)
def test_every_rule_has_a_case_file_with_a_failing_and_a_passing_case(entry: Entry) -> None:
    path = CASES_DIR / f"{entry.code}.yaml"
    assert path.is_file(), f"{entry.code} has no case file: write tests/rules/cases/{entry.code}.yaml (see the " \
                           "others: a case that reports the rule at its line and column, and one that does not)"
    data = to_plain(load_yaml(str(path), path.read_text(encoding="utf-8")).documents[0].root)
    assert data.get("rule") == entry.code, f"{path.name} says `rule: {data.get('rule')}`"
    cases = data.get("cases") or []
    assert any(c.get("expect") for c in cases), f"{path.name}: no case where {entry.code} reports"
    assert any(not c.get("expect") for c in cases), f"{path.name}: no case where {entry.code} stays silent"


@pytest.mark.parametrize("entry", RULES, ids=lambda e: e.code)
def test_every_rule_is_in_the_docs(entry: Entry) -> None:
    hint = "run: python -m redislint.commands.readme"
    assert f'<a id="{entry.code}"></a>' in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"), \
        f"{entry.code} is missing from docs/rules.md; {hint}"
    assert f"| [{entry.code}](docs/rules.md#{entry.code}) | `{entry.name}` |" in \
        (ROOT / "README.md").read_text(encoding="utf-8"), f"{entry.code} is missing from README's rule table; {hint}"


def _cases_by_rule() -> dict[str, list]:
    out: dict[str, list] = {}
    for param in _load_cases():
        rule, case = param.values
        out.setdefault(rule, []).append(case)
    return out


def test_rules_read_only_the_settings_they_declare(tmp_path: Path) -> None:
    """Every case file run with profiles that record which rule reads which setting: what `explain`
    says a rule reads (the registry's `reads`) is exactly what its cases saw it read."""
    with recording_reads() as reads:
        for n, (rule, cases) in enumerate(_cases_by_rule().items()):
            for i, case in enumerate(cases):
                run_case(tmp_path / f"{n}-{i}", rule, case)
    problems = []
    for entry in RULES:
        seen = reads.get(entry.code, set())
        undeclared = sorted(seen - set(entry.reads))
        if undeclared:
            problems.append(f"{entry.code} reads {undeclared}: add them to its reads= in redislint/rules/__init__.py")
        unused = sorted(set(entry.reads) - seen)
        if unused:
            problems.append(f"{entry.code} declares reads {unused} that no case of tests/rules/cases/{entry.code}.yaml "
                            "saw it read: remove them, or add a case that needs them")
    assert not problems, "\n".join(problems)
