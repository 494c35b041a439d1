"""Regenerate README.md's rule table and docs/rules.md from the rules' own docs.

Run `python -m redislint.commands.readme`; a test fails when either file is stale.
"""

from __future__ import annotations

from pathlib import Path

from redislint.commands.docs import rules_markdown

START, END = "<!-- rules:start -->\n", "<!-- rules:end -->"


def refresh(readme: Path) -> bool:
    """Rewrite the table between the markers; True when the file changed."""
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    new = head + START + rules_markdown() + END + tail
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
        body = r.doc.markdown().split("\n", 1)[1] if "\n" in r.doc.markdown() else ""
        parts += [f"**{r.doc.summary}**", "", body.replace("## ", "### ").strip(), ""]
    return "\n".join(parts).rstrip() + "\n"


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
