"""Shared helpers for the robustness suite: run the real CLI, check spans, count hypothesis examples."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.cli import FORMATS as CLI_FORMATS
from redislint.cli import main
from redislint.model import Report, Span

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from shared_corpus import absent_reason, shared_corpus

ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = shared_corpus()
SHARED_CORPUS_ABSENT = absent_reason()
FORMATS = CLI_FORMATS  # every format the CLI offers, new ones included

# Every hypothesis example run in this folder, by property (printed in the terminal summary).
EXAMPLES: Counter[str] = Counter()


@dataclass(frozen=True)
class Run:
    """The outcome of one CLI invocation."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def invoke(*args: str, cwd: Path | None = None, input: bytes | str | None = None) -> Run:
    """Run `redislint ARGS` in-process (click's CliRunner), in `cwd` when given.

    An exception that escapes the CLI (anything but SystemExit) fails the test: the CLI must
    turn every problem into a message and an exit code.
    """
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=True)
    finally:
        os.chdir(old)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"exception escaped the CLI: {result.exception!r}") from result.exception
    run = Run(result.exit_code, result.stdout, result.stderr)
    assert_no_crash(run.output)
    return run


def run_process(*args: str, cwd: Path | None = None, input: bytes | None = None, hash_seed: str = "0",
                timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
    """Run `python -m redislint ARGS` as a real process (bytes out), with a chosen PYTHONHASHSEED."""
    env = dict(os.environ, PYTHONHASHSEED=hash_seed, NO_COLOR="1", COLUMNS="200")
    proc = subprocess.run([sys.executable, "-m", "redislint", *args], cwd=cwd, input=input,
                          capture_output=True, env=env, timeout=timeout)
    assert_no_crash(proc.stdout.decode("utf-8", "replace") + proc.stderr.decode("utf-8", "replace"))
    return proc


def assert_no_crash(output: str) -> None:
    """No Python traceback and no "internal error" bug report."""
    assert "Traceback (most recent call last)" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]


def lines_of(text: str) -> list[str]:
    """The file's lines as spans count them: split on `\\n`, a trailing `\\r` removed."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def check_span(span: Span, texts: dict[str, str], what: str = "") -> None:
    """The span names a file that was read and lies inside it (line and column bounds)."""
    assert span.path in texts, f"{what}: span path {span.path!r} is not an input file"
    lines = lines_of(texts[span.path])
    assert 1 <= span.line <= len(lines), (what, span, len(lines))
    assert 1 <= span.end_line <= len(lines), (what, span, len(lines))
    assert 1 <= span.column <= len(lines[span.line - 1]) + 1, (what, span, len(lines[span.line - 1]))
    assert 1 <= span.end_column <= len(lines[span.end_line - 1]) + 1, (what, span)
    assert (span.line, span.column) <= (span.end_line, span.end_column), (what, span)


def check_report_spans(report: Report) -> None:
    """Every finding (active or suppressed) and related location lies inside its file."""
    for f in list(report.findings) + list(report.suppressed):
        check_span(f.span, report.texts, f"{f.rule} {f.message[:80]}")
        for r in f.related:
            check_span(r.span, report.texts, f"{f.rule} related {r.message[:80]}")
    for n in report.notifications:
        if n.line >= 1 and n.path in report.texts:
            lines = lines_of(report.texts[n.path])
            assert n.line <= len(lines), n


def write_tree(base: Path, files: dict[str, bytes | str], order: Iterable[str] | None = None) -> None:
    """Create `files` under `base` in the given order (creation order can change listing order)."""
    for rel in (order if order is not None else files):
        content = files[rel]
        path = base / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        else:
            path.write_bytes(content)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # pragma: no cover - reporting
    if EXAMPLES:
        total = sum(EXAMPLES.values())
        terminalreporter.write_line(
            f"robustness: {total:,} hypothesis examples run ("
            + ", ".join(f"{k} {v:,}" for k, v in sorted(EXAMPLES.items())) + ")")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory (paths in outputs are relative to it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
