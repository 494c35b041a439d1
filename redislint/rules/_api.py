"""What a rule is: its self-documentation, its check function, and the helpers it reports with."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from redislint.model import Related, Severity, Span

if TYPE_CHECKING:
    from redislint.profiles import Profile
    from redislint.targets import Target

SECTION_TITLES = ("What it does", "Why is this bad?", "Example", "Use instead", "Fix")
_SECTION_RE = re.compile(r"^## (.+?)\s*$", re.M)
# A fence may name the profile its example is judged under: ```yaml profile=critical
_FENCE_RE = re.compile(r"```([a-z]*)(?:[ \t]+profile=([a-z]+))?[ \t]*\n(.*?)```", re.S)


class RuleDoc(NamedTuple):
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
        for title, body in zip(SECTION_TITLES, (self.what, self.why, self.example, self.use_instead, self.fix), strict=True):
            parts += [f"## {title}", "", re.sub(r"```([a-z]*)[ \t]+profile=[a-z]+", r"```\1", body.strip()), ""]
        return "\n".join(parts).strip() + "\n"

    def text(self) -> str:
        """Plain text: the Markdown without fences, for SARIF help.text."""
        return re.sub(r"```[^\n]*\n?", "", self.markdown())


def _first_block(md: str) -> tuple[str, str, str]:
    m = _FENCE_RE.search(md)
    return (m.group(1), m.group(2) or "", m.group(3)) if m else ("", "", "")


@cache
def parse_doc(docstring: str) -> RuleDoc:
    """Split a rule docstring into its summary line and the five required sections."""
    text = docstring.strip("\n")
    lines = text.splitlines()
    summary = lines[0].strip()
    body = "\n".join(lines[1:])
    # Docstrings are indented inside modules only when written in classes; strip common indent.
    import textwrap  # noqa: PLC0415 - textwrap only when a rule documentation is parsed

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


class Hit(NamedTuple):
    """What a check yields: the raw finding before the profile resolves its severity."""

    message: str
    span: Span
    fix: str = ""
    related: tuple[Related, ...] = ()
    subject: str = ""
    severity: Severity | None = None  # only for rules whose severity depends on the case
    # Root causes this hit stems from (names in rules/_grouping.py): a rule that defers to the
    # cause's owner steps back when the owner reports it for the same target.
    causes: tuple[str, ...] = ()


# A "target" rule checks a Target; a "transition" rule a change.Transition (`check --base`).
CheckFn = Callable[[Any, "Profile"], Iterable[Hit]]


class Rule(NamedTuple):
    """A registered rule: identity, docs, default severity, group and check function."""

    code: str
    name: str
    group: str
    default_severity: Severity
    docstring: str  # parsed when first read (`doc`): a check run never needs it
    check: CheckFn
    tags: tuple[str, ...] = ()
    # "target" rules run once per Target; "source" rules are reported by the loaders
    # (YAML syntax, duplicate keys) or the suppression layer and have no check of their own.
    scope: str = "target"

    @property
    def doc(self) -> RuleDoc:
        """The documentation, parsed from the module docstring (once)."""
        return parse_doc(self.docstring)


def define(code: str, name: str, group: str, severity: Severity, doc: str, check: CheckFn | None = None,
           tags: tuple[str, ...] = (), scope: str = "target") -> Rule:
    """Build a Rule from a module's constants; modules call this once at import time.

    The docstring is parsed on first use, not here: a check run shows no documentation, and parsing
    47 of them cost every start a few milliseconds. The rule-docs tests parse every one.
    """
    return Rule(code, name, group, severity, doc, _capped(check) if check else _no_check, tags, scope)


# At most this many findings of one rule for one target; the rest are counted in one more finding.
# Redis stops at the first line it refuses, so the 101st copy of a mistake adds nothing, while a
# 2 MB file of a million bad lines made a million findings (minutes, gigabytes of output).
MAX_HITS_PER_TARGET = 100
# Characters of a message or fix: a message that quotes a value (`persistence.size is [[...]]`) held a
# 300 KB repr of an aliased list; the place and the rule say enough.
MAX_MESSAGE = 1000


def _short(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[:MAX_MESSAGE - 1] + "…"


def _capped(check: CheckFn) -> CheckFn:
    """`check`, reporting at most MAX_HITS_PER_TARGET hits and then one hit that counts the rest."""

    def capped(target: Target, profile: Profile) -> Iterator[Hit]:
        more = 0
        first_left_out: Hit | None = None
        for n, hit in enumerate(check(target, profile)):
            if n < MAX_HITS_PER_TARGET:
                if len(hit.message) > MAX_MESSAGE or len(hit.fix) > MAX_MESSAGE:
                    hit = hit._replace(message=_short(hit.message), fix=_short(hit.fix))
                yield hit
                continue
            more += 1
            if first_left_out is None:
                first_left_out = hit
        if first_left_out is not None:
            yield Hit(f"... and {more:,} more finding{'s' if more != 1 else ''} of this rule for this target, "
                      f"from this line on, not listed (at most {MAX_HITS_PER_TARGET} are reported); fix the ones "
                      f"above and run again", first_left_out.span,
                      "Fix the findings listed for this rule, then run again to see the rest", (),
                      "more-findings", first_left_out.severity, first_left_out.causes)

    capped.__name__ = getattr(check, "__name__", "check")
    capped.__doc__ = getattr(check, "__doc__", None)
    capped.__wrapped__ = check  # type: ignore[attr-defined]
    return capped


def _no_check(target: Target, profile: Profile) -> Iterator[Hit]:
    return iter(())
