"""Regenerate README.md's rule table and sample output, and docs/rules.md, from the code itself.

Run `python -m redislint.commands.readme`; a test fails when any of them is stale. The sample is a
real run of `SAMPLE_COMMAND` from the repository root, as a 100-column terminal shows it: the first
`SAMPLE_FINDINGS` findings, then the summary line.
"""

from __future__ import annotations

import os
from pathlib import Path

from redislint.commands.docs import rule_facts, rules_markdown

START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"
SAMPLE_START, SAMPLE_END = "<!-- sample:start -->\n", "<!-- sample:end -->"
SAMPLE_COMMAND = ("check", "examples/helmrelease.yaml", "--profile", "critical")
SAMPLE_FINDINGS = 3
SAMPLE_WIDTH = 100


def _between(text: str, start: str, end: str, new: str) -> str:
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    return head + start + new + end + tail


def sample_output(root: Path) -> str:
    """The README's sample: the command and what it prints at a terminal `SAMPLE_WIDTH` columns wide."""
    from unittest import mock

    from click.testing import CliRunner

    from redislint.cli import main

    old = os.getcwd()
    os.chdir(root)
    try:
        with mock.patch("redislint.commands.outputs.terminal_width", return_value=SAMPLE_WIDTH):
            result = CliRunner().invoke(main, list(SAMPLE_COMMAND), env={"NO_COLOR": "1"})
    finally:
        os.chdir(old)
    lines = result.stdout.rstrip("\n").split("\n")
    blocks: list[list[str]] = []
    current: list[str] = []  # a finding's block starts at its `path:line:col:` heading
    for line in lines:
        if line.startswith(SAMPLE_COMMAND[1] + ":") and current:
            blocks.append(current)
            current = []
        current.append(line)
    blocks.append(current)
    shown = [line for block in blocks[:SAMPLE_FINDINGS + 1] for line in block]
    if len(blocks) > SAMPLE_FINDINGS + 1:
        shown = shown[:len(shown) - (shown[-1] == "")] + ["...", lines[-1]]
    return "```\n$ redislint " + " ".join(SAMPLE_COMMAND) + "\n" + "\n".join(shown) + "\n```\n"


def refresh(readme: Path) -> bool:
    """Rewrite the rule table and the sample between their markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    new = _between(text, START, END, rules_markdown())
    new = _between(new, SAMPLE_START, SAMPLE_END, sample_output(readme.parent))
    if new != text:
        readme.write_text(new, encoding="utf-8")
        return True
    return False


def rules_reference() -> str:
    """docs/rules.md: every rule's full documentation, one section per rule (SARIF helpUri targets)."""
    from redislint.rules import ALL_RULES
    from redislint.rules._grouping import table_markdown

    parts = ["# redislint rules", "", "Generated from each rule's docstring by "
             "`python -m redislint.commands.readme`; do not edit by hand.", "",
             "## One root cause, one finding", "",
             "When one decision in the config breaks several rules, the rule that owns that root cause reports "
             "it, with the consequences in its message, and the rules that defer to it stay silent for that "
             "target. Suppressing the owner's finding therefore hides the whole group. When the owner is off "
             "in the profile, or left out with `--select`/`--ignore`, the others report on their own "
             "(`redislint/rules/_grouping.py`).", "", table_markdown()]
    for r in ALL_RULES:
        parts += [f'<a id="{r.code}"></a>', "", f"## {r.code}", "", f"`{r.name}` — {r.group}, default severity {r.default_severity.value}", ""]
        parts += [f"- {label.capitalize()}: {_code_spans(label, value)}" for label, value in rule_facts(r)] + [""]
        body = r.doc.markdown().split("\n", 1)[1] if "\n" in r.doc.markdown() else ""
        parts += [f"**{r.doc.summary}**", "", body.replace("## ", "### ").strip(), ""]
    return "\n".join(parts).rstrip() + "\n"


def _code_spans(label: str, value: str) -> str:
    """Paths and setting keys as Markdown code spans."""
    if label == "defined in" or (label == "reads profile settings" and value != "none"):
        return ", ".join(f"`{v}`" for v in value.split(", "))
    return value


def refresh_reference(path: Path) -> bool:
    """Rewrite docs/rules.md; True when it changed."""
    new = rules_reference()
    if path.is_file() and path.read_text(encoding="utf-8") == new:
        return False
    path.write_text(new, encoding="utf-8")
    return True


if __name__ == "__main__":
    root = Path(__file__).resolve().parents[2]
    print("README.md updated" if refresh(root / "README.md") else "README.md already current")
    print("docs/rules.md updated" if refresh_reference(root / "docs" / "rules.md") else "docs/rules.md already current")
