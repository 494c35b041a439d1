"""What a rule is: its self-documentation, its check function, and the helpers it reports with."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from redislint.model import Related, Severity, Span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.targets import Target

SECTION_TITLES = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix")
_SECTION_RE = re.compile(r"^## (.+?)\s*$", re.M)
# A fence may name the profile its example is judged under: ```yaml profile=critical
_FENCE_RE = re.compile(r"```([a-z]*)(?:[ \t]+profile=([a-z]+))?[ \t]*\n(.*?)```", re.S)


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The documentation of a rule, parsed from its module docstring (Ruff's sections)."""

    summary: str
    what: str
    why: str
    example: str  # markdown, with a fenced block
    use_instead: str
    fix: str

    @property
    def example_code(self) -> tuple[str, str, str]:
        """(language, profile, text) of the first fenced block in Example."""
        return _first_block(self.example)

    @property
    def use_instead_code(self) -> tuple[str, str, str]:
        """(language, profile, text) of the first fenced block in Use instead."""
        return _first_block(self.use_instead)

    def markdown(self) -> str:
        """The whole documentation as Markdown, for SARIF help and `explain`."""
        parts = [self.summary, ""]
        for title, body in zip(SECTION_TITLES, (self.what, self.why, self.example, self.use_instead, self.fix)):
            parts += [f"## {title}", "", re.sub(r"```([a-z]*)[ \t]+profile=[a-z]+", r"```\1", body.strip()), ""]
        return "\n".join(parts).strip() + "\n"

    def text(self) -> str:
        """Plain text: the Markdown without fences, for SARIF help.text."""
        return re.sub(r"```[^\n]*\n?", "", self.markdown())


def _first_block(md: str) -> tuple[str, str, str]:
    m = _FENCE_RE.search(md)
    return (m.group(1), m.group(2) or "", m.group(3)) if m else ("", "", "")


def parse_doc(docstring: str) -> RuleDoc:
    """Split a rule docstring into its summary line and the five required sections."""
    text = docstring.strip("\n")
    lines = text.splitlines()
    summary = lines[0].strip()
    body = "\n".join(lines[1:])
    # Docstrings are indented inside modules only when written in classes; strip common indent.
    import textwrap

    body = textwrap.dedent(body)
    found: dict[str, str] = {}
    matches = list(_SECTION_RE.finditer(body))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(body)
        found[m.group(1)] = body[m.end():end].strip()
    missing = [t for t in SECTION_TITLES if t not in found]
    if missing:
        raise ValueError(f"rule docstring lacks sections {missing}: {summary!r}")
    return RuleDoc(summary, found["What it does"], found["Why is this bad?"], found["Example"],
                   found["Use instead"], found["Fix"])


@dataclass(frozen=True, slots=True)
class Hit:
    """What a check yields: the raw finding before the profile resolves its severity."""

    message: str
    span: Span
    fix: str = ""
    related: tuple[Related, ...] = ()
    subject: str = ""
    severity: Severity | None = None  # only for rules whose severity depends on the case


CheckFn = Callable[["Target", "Profile"], Iterable[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: identity, docs, default severity, group and check function."""

    code: str
    name: str
    group: str
    default_severity: Severity
    doc: RuleDoc
    check: CheckFn
    tags: tuple[str, ...] = ()
    # "target" rules run once per Target; "source" rules are reported by the loaders
    # (YAML syntax, duplicate keys) or the suppression layer and have no check of their own.
    scope: str = "target"


def define(code: str, name: str, group: str, severity: Severity, doc: str, check: CheckFn | None = None,
           tags: tuple[str, ...] = (), scope: str = "target") -> Rule:
    """Build a Rule from a module's constants; modules call this once at import time."""
    return Rule(code, name, group, severity, parse_doc(doc), check or _no_check, tags, scope)


def _no_check(target: "Target", profile: "Profile") -> Iterator[Hit]:
    return iter(())
