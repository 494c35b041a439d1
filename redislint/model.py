"""Core value types shared by every layer: positions, severities and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple, Protocol


class Severity(str, Enum):
    """How bad a finding is; the values are SARIF levels so output needs no mapping."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for sorting and `--fail-on`."""
        return {"error": 3, "warning": 2, "note": 1}[self.value]


class Span(NamedTuple):
    """A region of a file: 1-based lines and columns, `end_column` exclusive (as in SARIF)."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int

    @classmethod
    def point(cls, path: str, line: int, column: int = 1) -> Span:
        """A zero-width span, for places where only a start position is known."""
        return cls(path, line, column, line, column)


class Related(NamedTuple):
    """Another place that explains a finding (the memory limit, the overridden setting)."""

    span: Span
    message: str


class Finding(NamedTuple):
    """One problem found by a rule, already resolved against the profile."""

    rule: str  # stable code, e.g. "RL203"
    name: str  # slug, e.g. "aof-disabled"
    severity: Severity
    message: str  # observed value and expectation, with numbers
    span: Span  # the line a person must edit
    fix: str = ""
    related: tuple[Related, ...] = ()
    target: str = ""  # "namespace/release" or file name
    role: str = ""  # master, replica, node, primary, server
    profile: str = ""
    # What the finding is about, independent of line numbers: a values path such as
    # "master.configuration" or a directive such as "appendonly". Baselines and
    # fingerprints use it so edits above a finding do not make it new.
    subject: str = ""
    # Keys of the report's assumptions (`Report.assumptions`) this finding rests on.
    assumptions: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple:
        """Deterministic order: file, position, rule, then message."""
        s = self.span
        return (s.path, s.line, s.column, self.rule, self.target, self.role, self.message)


class RuleName(Protocol):
    """What a finding takes from the rule that made it."""

    @property
    def code(self) -> str: ...

    @property
    def name(self) -> str: ...


def new_finding(rule: RuleName, *, severity: Severity, message: str, span: Span, fix: str = "",
                related: tuple[Related, ...] = (), target: str = "", role: str = "", profile: str = "",
                subject: str = "", assumptions: tuple[str, ...] = ()) -> Finding:
    """The one way the pipeline makes a finding: the rule's code and slug, everything else by name."""
    return Finding(rule.code, rule.name, severity, message, span, fix, related, target, role, profile, subject,
                   assumptions)


class Notification(NamedTuple):
    """Something that stopped a file from being analysed (unreadable, too big, not UTF-8)."""

    path: str
    message: str
    line: int = 0
    column: int = 0
    level: str = "error"


class AssumptionNote(NamedTuple):
    """What one deployment's conclusions rest on, as the outputs show it (see redislint.target.Assumption)."""

    key: str  # what findings refer to (`Finding.assumptions`)
    kind: str  # chart-version, redis-version, values-layer, parent-defaults, chart
    message: str
    path: str  # the target's file
    target: str  # the target's name
    roles: tuple[str, ...]
    span: Span | None = None
    evidence: tuple[str, ...] = ()
    uncertain: bool = False


@dataclass(slots=True)
class Report:
    """Everything a formatter needs for one run."""

    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    files_read: int = 0
    targets_checked: int = 0
    profiles: tuple[str, ...] = ()
    rules_run: tuple[str, ...] = ()  # rule codes, in registry order
    # File text by path, so formatters can show the offending line without reading files again.
    texts: dict[str, str] = field(default_factory=dict)
    # What the targets' conclusions rest on, one entry per deployment and assumption, in target order.
    assumptions: list[AssumptionNote] = field(default_factory=list)
    # Files not checked as (part of) any Redis target, by reason ("with no Redis in it": 12).
    skipped: dict[str, int] = field(default_factory=dict)
    # Files of the repository read only to resolve references (`repo_index`): in `texts`, never
    # reported, not counted in `files_read`.
    context: frozenset[str] = frozenset()

    def counts(self) -> dict[str, int]:
        """Number of findings per severity value."""
        out = {s.value: 0 for s in Severity}
        for f in self.findings:
            out[f.severity.value] += 1
        return out
