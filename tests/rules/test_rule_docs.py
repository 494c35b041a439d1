"""The rules document themselves, and the documentation is executed: Example triggers, Use instead does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths
from redislint.profiles import BUILTIN_PROFILES, RULE_CATALOGUE, load_profile
from redislint.rules import ALL_RULES, RULE_MODULES, Rule, find_rule

RULES_DIR = Path(__file__).resolve().parents[2] / "redislint" / "rules"
ROOT = Path(__file__).resolve().parents[2]


def test_every_rule_module_is_registered_once() -> None:
    on_disk = sorted(p.stem for p in RULES_DIR.glob("rl[0-9][0-9][0-9]_*.py"))
    assert sorted(RULE_MODULES) == on_disk
    codes = [r.code for r in ALL_RULES]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    assert len({r.name for r in ALL_RULES}) == len(ALL_RULES)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_module_name_matches_code_and_slug(rule: Rule) -> None:
    module = next(m for m in RULE_MODULES if m.startswith(rule.code.lower()))
    assert module == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert find_rule(rule.code) is rule and find_rule(rule.name) is rule


def test_catalogue_matches_registry() -> None:
    assert RULE_CATALOGUE == {r.code: r.name for r in ALL_RULES}


@pytest.mark.parametrize("profile", BUILTIN_PROFILES)
def test_every_profile_decides_every_rule(profile: str) -> None:
    p = load_profile(profile)
    for rule in ALL_RULES:
        p.severity_for(rule.code)  # raises KeyError when undecided


def _write(tmp_path: Path, lang: str, text: str) -> str:
    path = tmp_path / ("redis.conf" if lang == "conf" else "input.yaml")
    path.write_text(text)
    return str(path)


def _findings(tmp_path: Path, rule: Rule, block: tuple[str, str, str]) -> list:
    lang, profile, text = block
    assert lang in ("yaml", "conf"), f"{rule.code}: fence language must be yaml or conf"
    # Suppression rules judge other rules' findings, so those must run too.
    select = () if rule.scope == "suppression" else (rule.code,)
    options = CheckOptions(profile=profile or "cache", select=select)
    report, _ = check_paths([_write(tmp_path, lang, text)], options)
    return [f for f in report.findings if f.rule == rule.code]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_documented_example_triggers_the_rule(tmp_path: Path, rule: Rule) -> None:
    found = _findings(tmp_path, rule, rule.doc.example_code)
    assert found, f"{rule.code}'s Example does not trigger it"


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_documented_use_instead_is_clean(tmp_path: Path, rule: Rule) -> None:
    found = _findings(tmp_path, rule, rule.doc.use_instead_code)
    assert not found, [f.message for f in found]


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_docs_have_substance(rule: Rule) -> None:
    doc = rule.doc
    assert doc.summary and not doc.summary.endswith(" ")
    for section in (doc.what, doc.why, doc.fix):
        assert len(section) > 20
    assert "```" in doc.example and "```" in doc.use_instead


def test_readme_rule_table_is_current() -> None:
    from redislint.commands.docs import rules_markdown

    readme = (ROOT / "README.md").read_text()
    block = readme.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert block == rules_markdown(), "run: python -m redislint.commands.readme to refresh the README table"


def test_rules_reference_is_current() -> None:
    from redislint.commands.readme import rules_reference

    assert (ROOT / "docs" / "rules.md").read_text() == rules_reference(), \
        "run: python -m redislint.commands.readme to refresh docs/rules.md"
