"""One stable fingerprint per finding, shared by SARIF `fingerprints`, GitLab and baselines.

The fingerprint is the SHA-256 of the rule code, the repository-relative path, the target, the role,
the subject (values path or directive) and the occurrence index among findings that share all of
those. It does not contain the line or the message, so a finding keeps its fingerprint when lines are
added above it or when the numbers in its message change (a new memory limit), and turns into a new
finding only when what it is about changes.

Occurrence indices are assigned in (line, column, message) order within one key, so two findings of
the same rule on the same subject stay distinct; compute fingerprints over all findings of a run,
suppressed ones included, so that suppressing one does not renumber the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from redislint.model import Finding
from redislint.output.paths import PathMapper

VERSION = "redislint/v1"


def for_root(findings: Sequence[Finding], root: str) -> list[str]:
    """Fingerprints with paths as every output shows them (relative to `root`, absolute outside it).

    The SARIF, GitLab and JSON formatters use exactly this; a baseline should too, so that its
    fingerprints match the ones in those reports.
    """
    return compute(findings, PathMapper(root).display)


def finding_key(finding: Finding, path: str) -> tuple[str, str, str, str, str]:
    """What identifies a finding across runs, given its repository-relative `path`."""
    return (finding.rule, path, finding.target, finding.role, finding.subject)


def compute(findings: Sequence[Finding], path_of: Callable[[str], str] = lambda p: p) -> list[str]:
    """Fingerprints for `findings`, in the same order; `path_of` maps a span path to a stable path."""
    keys = [finding_key(f, path_of(f.span.path)) for f in findings]
    order = sorted(range(len(findings)), key=lambda i: (keys[i], _position(findings[i]), i))
    seen: dict[tuple[str, ...], int] = {}
    out = [""] * len(findings)
    for i in order:
        occurrence = seen.get(keys[i], 0)
        seen[keys[i]] = occurrence + 1
        out[i] = _digest(keys[i], occurrence)
    return out


def _position(f: Finding) -> tuple:
    s = f.span
    return (s.line, s.column, s.end_line, s.end_column, f.message)


def _digest(key: tuple[str, ...], occurrence: int) -> str:
    # NUL cannot occur in paths or codes, so the fields cannot run into each other.
    payload = "\0".join((VERSION, *key, str(occurrence)))
    import hashlib  # noqa: PLC0415 - here, not at the top: the text format never computes fingerprints

    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()
