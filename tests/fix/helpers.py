"""Run `redislint fix` and `check` the way users do, for the fix tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from redislint.cli import main


class Run:
    """Exit code and both streams of one CLI run."""

    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr

    def __repr__(self) -> str:
        return f"Run({self.exit_code}, stdout={self.stdout[-2000:]!r}, stderr={self.stderr[-2000:]!r})"


def cli(*args: str, cwd: Path | None = None) -> Run:
    """`redislint ARGS` in-process; an exception escaping the CLI fails the test."""
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped the CLI: {result.exception!r}") from result.exception
    out = result.stdout + result.stderr
    assert "Traceback" not in out and "internal error" not in out, out
    return Run(result.exit_code, result.stdout, result.stderr)


def process(*args: str, cwd: Path | None = None, preexec_fn=None) -> subprocess.CompletedProcess[str]:
    """`python -m redislint ARGS` as a real process."""
    return subprocess.run([sys.executable, "-m", "redislint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, preexec_fn=preexec_fn, env=dict(os.environ, NO_COLOR="1"))


def check_json(path: Path, *extra: str) -> list[dict]:
    """The RL0xx findings `redislint check --format json` reports for a file."""
    result = cli("check", "--select", "RL0", "--format", "json", "--fail-on", "never", *extra, str(path))
    assert result.exit_code in (0, 2), result
    return json.loads(result.stdout)["findings"]


def validity_findings(path: Path, *extra: str) -> Counter[tuple[str, str, str]]:
    """The RL0xx findings `redislint check` reports for a file: (rule, target, subject) counts. RL017 names
    every old alias of a file in one finding (the others as related lines): each alias counts once."""
    found: Counter[tuple[str, str, str]] = Counter()
    for f in check_json(path, *extra):
        found[(f["rule"], f["target"], f["subject"])] += 1
        if f["rule"] == "RL017":
            for r in f["related"]:
                found[(f["rule"], f["target"], r["message"])] += 1
    return found
