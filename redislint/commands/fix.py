"""`redislint fix`: apply the mechanical fixes (RL013 trailing comments, RL017 old aliases) in place."""

from __future__ import annotations

import os
import sys
from typing import Any

from redislint.errors import UserError


def run_fix(paths: list[str], *, diff: bool, redis_version: str | None, chart_version: str | None, **_: Any) -> int:
    """Rewrite files (or print a diff); with --diff, exit 1 when something would change."""
    from redislint.engine import CheckOptions, check_paths
    from redislint.fixer import FIXABLE, fix_text
    from redislint.output.diff import render_diff
    from redislint.output.paths import PathMapper
    from redislint.targets import TargetOptions

    options = CheckOptions(select=FIXABLE, targets=TargetOptions(redis_version, chart_version))
    report, _ = check_paths(paths, options)
    total = 0
    changed = 0
    for path in sorted({f.span.path for f in report.findings if f.rule in FIXABLE}):
        if path.startswith("<") or path == "-":
            continue  # standard input cannot be rewritten
        result = fix_text(path, report.texts[path], report.findings)
        if not result.fixed or result.new == result.old:
            continue
        total += result.fixed
        changed += 1
        if diff:
            sys.stdout.write(render_diff(PathMapper(os.getcwd()).display(path), result.old, result.new))
            continue
        try:
            with open(path, "w", encoding="utf-8", newline="") as fh:
                fh.write(result.new)
        except OSError as exc:
            raise UserError(f"cannot write {path}: {exc.strerror}") from exc
    verb = "would fix" if diff else "fixed"
    sys.stderr.write(f"{verb} {total} finding(s) in {changed} file(s)\n")
    return 1 if diff and total else 0
