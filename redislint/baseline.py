"""Baselines: remember today's findings so a check reports only new ones.

A finding's identity is its fingerprint (rule, file, target, role and the values path or directive
it is about, see `output.fingerprint`), never its line, so edits above a finding keep it known.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from redislint.errors import UserError
from redislint.model import Finding
from redislint.output.fingerprint import for_root
from redislint.output.paths import PathMapper

FORMAT_VERSION = 1


def relative(path: str, root: str) -> str:
    """The path as every report shows it (repository-relative, `/` separators)."""
    return PathMapper(root).display(path)


def fingerprints(findings: Sequence[Finding], root: str) -> list[str]:
    """The same fingerprints the SARIF, GitLab and JSON reports carry."""
    return for_root(findings, root)


def load(path: str) -> set[str]:
    """The fingerprints stored in a baseline file."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError as exc:
        raise UserError(f"{path}: baseline file not found (create it with --update-baseline)") from exc
    except (OSError, ValueError) as exc:
        raise UserError(f"{path}: cannot read baseline: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION or not isinstance(data.get("findings"), list):
        raise UserError(f"{path}: not a redislint baseline (version {FORMAT_VERSION})")
    return {str(f.get("fingerprint")) for f in data["findings"] if isinstance(f, dict)}


def write(path: str, findings: Sequence[Finding], root: str) -> None:
    """Store every finding's fingerprint, with enough context for a reviewer to read the file."""
    prints = fingerprints(findings, root)
    rows = sorted(({"fingerprint": fp, "rule": f.rule, "path": relative(f.span.path, root), "target": f.target,
                    "role": f.role, "subject": f.subject} for f, fp in zip(findings, prints, strict=True)),
                  key=lambda r: (r["path"], r["rule"], r["subject"], r["fingerprint"]))
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump({"version": FORMAT_VERSION, "findings": rows}, fh, indent=2, sort_keys=True)
            fh.write("\n")
    except OSError as exc:
        raise UserError(f"{path}: cannot write baseline: {exc.strerror}") from exc


def filter_new(findings: Sequence[Finding], known: set[str], root: str) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings already in the baseline)."""
    prints = fingerprints(findings, root)
    new = [f for f, fp in zip(findings, prints, strict=True) if fp not in known]
    old = [f for f, fp in zip(findings, prints, strict=True) if fp in known]
    return new, old
