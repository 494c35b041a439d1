"""`redislint rules`, `explain` and `profiles`: documentation generated from the rules and profiles themselves."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING

from redislint.errors import UserError

if TYPE_CHECKING:
    from redislint.rules import Rule


def rules_markdown() -> str:
    """The README rule table."""
    from redislint.rules import ALL_RULES

    rows = ["| Code | Name | Group | Default | What it catches |", "| --- | --- | --- | --- | --- |"]
    for r in ALL_RULES:
        rows.append(f"| [{r.code}](docs/rules.md#{r.code}) | `{r.name}` | {r.group} | {r.default_severity.value} "
                    f"| {r.doc.summary} |")
    return "\n".join(rows) + "\n"


def run_rules(fmt: str) -> int:
    """Print every rule as a table, JSON or Markdown."""
    from redislint.rules import ALL_RULES

    if fmt == "json":
        data = [{"code": r.code, "name": r.name, "group": r.group, "default_severity": r.default_severity.value,
                 "summary": r.doc.summary, "tags": list(r.tags)} for r in ALL_RULES]
        sys.stdout.write(json.dumps({"version": 1, "rules": data}, indent=2) + "\n")
    elif fmt == "markdown":
        sys.stdout.write(rules_markdown())
    else:
        width = max(len(r.name) for r in ALL_RULES)
        for r in ALL_RULES:
            sys.stdout.write(f"{r.code}  {r.name:<{width}}  {r.default_severity.value:<7}  {r.doc.summary}\n")
    return 0


# What a rule's scope means, in the words `explain` and docs/rules.md use ("state" or "transition" first).
SCOPES = {
    "target": "state: checked on every Redis target",
    "source": "state: reported where the files are read, before any target is built",
    "suppression": "state: judges the suppressions themselves",
    "transition": "transition: compares each target with itself at the base revision (only with check --base)",
}


def rule_facts(rule: Rule) -> list[tuple[str, str]]:
    """Where a rule lives, its scope, the profile settings it reads and its severity under each
    built-in profile: all from the registry and the profiles themselves (`explain`, docs/rules.md)."""
    from redislint.profiles import BUILTIN_PROFILES, load_profile
    from redislint.rules import entry

    registered = entry(rule.code)
    severities = []
    for name in BUILTIN_PROFILES:
        severity = load_profile(name).severity_for(rule.code)
        severities.append(f"{name} {'off' if severity is None else severity.value}")
    from redislint.kinds.registry import not_judging

    facts = [("defined in", registered.path), ("scope", SCOPES[rule.scope]),
             ("reads profile settings", ", ".join(registered.reads) or "none"),
             ("severity by profile", ", ".join(severities))]
    kinds = not_judging(rule.code) if rule.scope == "target" else []
    return facts + ([("not judged for", "; ".join(kinds))] if kinds else [])


def run_explain(code_or_name: str) -> int:
    """Print one rule's documentation, after where it lives and how each profile judges it."""
    from redislint.rules import find_rule

    rule = find_rule(code_or_name)
    if rule is None:
        raise UserError(f"no rule {code_or_name!r}; `redislint rules` lists them")
    sys.stdout.write(f"{rule.code} {rule.name} ({rule.group}, default {rule.default_severity.value})\n\n")
    sys.stdout.write("".join(f"{label.capitalize()}: {value}\n" for label, value in rule_facts(rule)) + "\n")
    sys.stdout.write(rule.doc.markdown())
    return 0


def run_profiles(name: str | None) -> int:
    """Print what each profile requires, one column per profile; for one profile, also each rule's severity."""
    from redislint.profiles import BUILTIN_PROFILES, ProfileError, load_profile, profile_table

    try:
        profiles = [load_profile(name)] if name else [load_profile(n) for n in BUILTIN_PROFILES]
    except ProfileError as exc:
        raise UserError(str(exc)) from exc
    from redislint.output.safe import clean_name, defuse_line

    if name:
        import textwrap

        p = profiles[0]
        lines = textwrap.wrap(f"{clean_name(p.name)}: {p.description}", 96)
        sys.stdout.write("".join(defuse_line(line) + "\n" for line in lines))
        sys.stdout.write(defuse_line(f"source: {p.source}") + "\n\n")
    # A profile file named on the command line may come from a repository: its text is shown safely.
    rows = [[clean_name(str(cell)) for cell in row] for row in profile_table(profiles, rules=bool(name))]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write(defuse_line("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()) + "\n")
    return 0
