"""`check --add-suppressions`: comments that suppress exactly today's findings, everything else kept."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.add_suppressions import REASON_PLACEHOLDER, add_to_text
from redislint.cli import main
from redislint.model import Finding, Severity, Span

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def invoke(*args: str, cwd: Path):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    assert "Traceback" not in result.output
    return result


def findings(cwd: Path, *args: str) -> list[dict]:
    return json.loads(invoke("check", *args, "--format", "json", "--fail-on", "never", cwd=cwd).stdout)["findings"]


def _kept_in_order(old: str, new: str) -> bool:
    """Every line of `old` is in `new`, in order (only lines were added, or codes appended)."""
    it = iter(new.split("\n"))
    return all(any(line == candidate or candidate.startswith(line + " # redislint:") for candidate in it)
               for line in old.split("\n"))


@pytest.mark.parametrize("profile, reasons", [("critical", True), ("cache", False)])
def test_round_trip_then_check_is_clean_and_rl901_quiet(tmp_path: Path, profile: str, reasons: bool) -> None:
    path = tmp_path / "release.yaml"
    shutil.copy(EXAMPLES / "helmrelease.yaml", path)
    original = path.read_text()
    before = findings(tmp_path, "release.yaml", "--profile", profile)
    assert before
    run = invoke("check", "release.yaml", "--profile", profile, "--add-suppressions", cwd=tmp_path)
    assert run.exit_code == 0, run.output
    assert "0 errors, 0 warnings, 0 notes" in run.stdout and f"{len(before)} suppressed" in run.stdout
    new = path.read_text()
    assert _kept_in_order(original, new)
    added = [line for line in new.split("\n") if "redislint: disable=" in line]
    assert added and all((f"-- {REASON_PLACEHOLDER}" in line) is reasons for line in added)
    after = findings(tmp_path, "release.yaml", "--profile", profile)
    assert after == []  # no RL901 (every comment is used), no RL902 (reasons where asked for)
    # Every code written is one that had a finding on the line below it.
    assert {c for line in added for c in line.split("disable=")[1].split(" ")[0].split(",")} == \
        {f["rule"] for f in before}
    # Idempotent: a second run adds nothing and changes no byte.
    again = invoke("check", "release.yaml", "--profile", profile, "--add-suppressions", cwd=tmp_path)
    assert again.exit_code == 0 and path.read_text() == new
    assert "added no suppression comments" in again.stderr


def test_a_conf_file_keeps_working_for_redis(tmp_path: Path) -> None:
    """Comment lines added to a redis.conf are comments to Redis: it starts and reads the same values."""
    import redis_server as rs

    binary = rs.require_redis_server()
    # Snapshots on, so `rdbchecksum no` is a finding of its own (with nothing written it would go with RL201).
    conf = "appendonly no\r\nsave 900 1\r\nmaxmemory-policy volatile-lru\r\n  rdbchecksum no\r\n"
    path = tmp_path / "redis.conf"
    path.write_bytes(conf.encode())
    run = invoke("check", "redis.conf", "--profile", "critical", "--add-suppressions", cwd=tmp_path)
    assert run.exit_code == 0, run.output
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n")  # CRLF kept, also on the added lines
    text = data.decode()
    assert "  # redislint: disable=RL208" in text  # at the indentation of the line it covers
    # maxmemory is missing: that finding points at the maxmemory-policy line it goes next to.
    assert "# redislint: disable=RL301 -- " + REASON_PLACEHOLDER + "\r\nmaxmemory-policy volatile-lru" in text
    keys = ["appendonly", "save", "maxmemory-policy", "rdbchecksum"]
    before = rs.run_server(binary, conf.replace("\r\n", "\n"), patterns=keys)
    after = rs.run_server(binary, text.replace("\r\n", "\n"), patterns=keys)
    assert before.error is None and after.error is None, (before.stderr, after.stderr)
    assert after.config == before.config


def test_an_existing_comment_above_gets_the_new_codes() -> None:
    text = "a: 1\n  # redislint: disable=RL102 -- kept for the next chart major\n  b: 2\n"
    f = [Finding("RL101", "x", Severity.WARNING, "m", Span("v.yaml", 3, 3, 3, 4))]
    assert add_to_text("v.yaml", text, f, frozenset(), False).new == \
        "a: 1\n  # redislint: disable=RL101,RL102 -- kept for the next chart major\n  b: 2\n"


def test_a_file_that_starts_with_a_suppression_gets_file_wide_ones(tmp_path: Path) -> None:
    """Findings about a setting missing from a redis.conf point at its first line; when that line is
    a suppression comment already, the new codes go on a `disable-file=` line at the end."""
    path = tmp_path / "redis.conf"
    first = "# redislint: disable=RL208 -- checksums cost us too much CPU"
    path.write_text(first + "\nrdbchecksum no\nappendonly no\n")
    run = invoke("check", "redis.conf", "--profile", "critical", "--add-suppressions", cwd=tmp_path)
    assert run.exit_code == 0, run.output
    lines = path.read_text().splitlines()
    assert lines[0] == first and lines[1] == "rdbchecksum no"
    assert lines[-1].startswith("# redislint: disable-file=RL301")
    assert findings(tmp_path, "redis.conf", "--profile", "critical") == []


def test_lines_inside_a_folded_or_quoted_value_are_left_with_the_reason() -> None:
    text = "a:\n  b: first\n    second\nc: 1\n"
    f = [Finding("RL101", "x", Severity.WARNING, "m", Span("v.yaml", 3, 5, 3, 11)),
         Finding("RL101", "x", Severity.WARNING, "m", Span("v.yaml", 4, 1, 4, 2)),
         Finding("RL901", "unused-suppression", Severity.WARNING, "m", Span("v.yaml", 4, 1, 4, 2))]
    added = add_to_text("v.yaml", text, f, frozenset({3}), reason=False)
    assert added.new == "a:\n  b: first\n    second\n# redislint: disable=RL101\nc: 1\n"
    assert [(item.line, item.rules) for item in added.left] == [(4, ("RL901",)), (3, ("RL101",))] or \
        sorted((item.line, item.rules) for item in added.left) == [(3, ("RL101",)), (4, ("RL901",))]
    assert any("folded" in item.reason for item in added.left)


def test_a_finding_on_a_comment_line_gets_a_trailing_comment() -> None:
    text = "x: 1\n  # note\ny: 2\n"
    f = [Finding("RL101", "x", Severity.WARNING, "m", Span("v.yaml", 2, 3, 2, 9))]
    assert add_to_text("v.yaml", text, f, frozenset(), True).new == \
        f"x: 1\n  # note # redislint: disable=RL101 -- {REASON_PLACEHOLDER}\ny: 2\n"


def test_inside_a_literal_block_the_comment_stays_in_the_block(tmp_path: Path) -> None:
    """A finding inside `configuration: |` gets its comment inside the block, at the directive's
    indentation: a redis.conf comment line, which the suppression parser reads from the file."""
    path = tmp_path / "values.yaml"
    path.write_text("architecture: standalone\nmaster:\n  configuration: |-\n    appendonly yes\n"
                    "    save 900 1 # hourly\n")
    run = invoke("check", "values.yaml", "--add-suppressions", cwd=tmp_path)
    assert run.exit_code == 0, run.output
    assert "  configuration: |-\n    appendonly yes\n    # redislint: disable=RL013\n    save 900 1 # hourly\n" \
        in path.read_text()
    from redislint.sources import load_yaml, node_at

    doc = load_yaml("values.yaml", path.read_text()).documents[0]
    assert node_at(doc.root, "master.configuration").value == \
        "appendonly yes\n# redislint: disable=RL013\nsave 900 1 # hourly"
