"""The rules document themselves, and the documentation is executed: Example triggers, Use instead does not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from redislint.engine import DEFAULT_PROFILE, CheckOptions, check_paths
from redislint.rules import ALL_RULES, Rule

ROOT = Path(__file__).resolve().parents[2]


def _write(tmp_path: Path, lang: str, text: str) -> str:
    path = tmp_path / ("redis.conf" if lang == "conf" else "input.yaml")
    path.write_text(text)
    return str(path)


def _findings(tmp_path: Path, rule: Rule, block: tuple[str, str, str]) -> list:
    lang, profile, text = block
    assert lang in ("yaml", "conf"), f"{rule.code}: fence language must be yaml or conf"
    # Suppression rules judge other rules' findings, so those must run too.
    select = () if rule.scope == "suppression" else (rule.code,)
    options = CheckOptions(profile=profile or DEFAULT_PROFILE, select=select)
    report, _ = check_paths([_write(tmp_path, lang, text)], options)
    return [f for f in report.findings if f.rule == rule.code]


# Transition rules compare two revisions: their documented examples run in tests/change/test_transition_docs.py.
STATE_RULES = [r for r in ALL_RULES if r.scope != "transition"]


@pytest.mark.parametrize("rule", STATE_RULES, ids=lambda r: r.code)
def test_documented_example_triggers_the_rule(tmp_path: Path, rule: Rule) -> None:
    found = _findings(tmp_path, rule, rule.doc.example_code)
    assert found, f"{rule.code}'s Example does not trigger it"


@pytest.mark.parametrize("rule", STATE_RULES, ids=lambda r: r.code)
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


def _all_findings(tmp_path: Path, block: tuple[str, str, str], name: str) -> list:
    """Every rule's findings on a documented block, under the block's profile (else the default, as a user's file)."""
    lang, profile, text = block
    sub = tmp_path / name
    sub.mkdir()
    report, _ = check_paths([_write(sub, lang, text)], CheckOptions(profile=profile or DEFAULT_PROFILE))
    return report.findings


# Words of a fix hint that name what to write: `code spans`, values with units, dotted keys and their
# parts, and directive names.
_FIX_WORDS = re.compile(r"`([^`]+)`|\b(\d+(?:\.\d+)?(?:[kmg]b?|[KMG]i))\b|\b[A-Za-z]+(?:\.[A-Za-z]+)+\b|\b[a-z]+(?:-[a-z]+)*\b")


def _fix_words(fix: str) -> set[str]:
    from redislint.redisconf import DirectiveTable, RedisVersion

    directives = DirectiveTable.for_version(RedisVersion.newest("redis"))
    words: set[str] = set()
    for m in _FIX_WORDS.finditer(fix):
        if m.group(1):
            for w in m.group(1).split():
                w = w.strip(":\"'")
                if len(w) > 1:
                    words.add(w)
                    words.update(p for p in w.split(".") if len(p) > 2)
        elif m.group(2):
            words.add(m.group(2))
        elif "." in m.group(0):
            words.update(p for p in m.group(0).split(".") if len(p) > 2)
        elif directives.lookup(m.group(0)) is not None and len(m.group(0)) > 3:
            words.add(m.group(0))
    return words


# Rules whose documentation another engineer owns, with the known gap (reported to the lead).
@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.scope == "target"], ids=lambda r: r.code)
def test_the_documented_fix_applied_to_the_example_clears_it_and_adds_no_error(tmp_path: Path, rule: Rule) -> None:
    """Use instead is the Example with the suggested fix applied: the finding goes, no new error comes,
    and the lines that changed carry what the fix hint says to write."""
    example, use = rule.doc.example_code, rule.doc.use_instead_code
    assert (example[0], example[1]) == (use[0], use[1]), "Example and Use instead are judged the same way"
    before = _all_findings(tmp_path, example, "before")
    after = _all_findings(tmp_path, use, "after")
    found = [f for f in before if f.rule == rule.code]
    assert found, f"{rule.code}'s Example does not trigger it when every rule runs (another rule owns its cause?)"
    assert not [f for f in after if f.rule == rule.code]
    errors_before = {(f.rule, f.subject) for f in before if f.severity.value == "error"}
    new_errors = [(f.rule, f.message) for f in after
                  if f.severity.value == "error" and (f.rule, f.subject) not in errors_before]
    assert not new_errors, new_errors
    import difflib

    changed = "\n".join(line[1:] for line in difflib.ndiff(example[2].splitlines(), use[2].splitlines())
                        if line.startswith(("+ ", "- ")))
    words = set().union(*(_fix_words(f.fix) for f in found))
    assert not words or any(w in changed for w in words), (found[0].fix, changed)
