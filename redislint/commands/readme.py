"""Regenerate the rule table in README.md from the rules' own docs: `python -m redislint.commands.readme`."""

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


if __name__ == "__main__":
    changed = refresh(Path(__file__).resolve().parents[2] / "README.md")
    print("README.md updated" if changed else "README.md already current")
