"""The command line as users meet it: exit codes, settings, errors with file and line, docs commands."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def invoke(*args: str, cwd: Path | None = None, input: str | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), input=input)
    finally:
        os.chdir(old)


def test_example_fails_critical_and_fixed_example_passes() -> None:
    assert invoke("check", str(EXAMPLES / "helmrelease.yaml"), "--profile", "critical").exit_code == 1
    result = invoke("check", str(EXAMPLES / "helmrelease-fixed.yaml"), "--profile", "critical")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_fail_on_levels() -> None:
    path = str(EXAMPLES / "helmrelease-fixed.yaml")
    assert invoke("check", path, "--profile", "critical", "--fail-on", "never").exit_code == 0
    warn = invoke("check", path, "--profile", "critical", "--fail-on", "note")
    has_any = "0 errors, 0 warnings, 0 notes" not in warn.output
    assert warn.exit_code == (1 if has_any else 0)


def test_no_targets_is_said_and_require_targets_exits_3(tmp_path: Path, write_file, cli) -> None:
    write_file("deploy.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n")
    result = cli("check", str(tmp_path))
    assert result.exit_code == 0
    assert "0 Redis targets" in result.stdout
    assert cli("check", str(tmp_path), "--require-targets").exit_code == 3


def test_a_finding_is_on_the_line_of_the_value_that_causes_it(tmp_path: Path, write_file, helmrelease, cli) -> None:
    """AOF switched off in a release's redis.conf block: RL203 on `appendonly no` itself."""
    release = helmrelease({"architecture": "standalone",
                           "master": {"configuration": "maxmemory 100mb\nappendonly no\n"}})
    write_file("release.yaml", release)
    result = cli("check", "release.yaml", "--profile", "critical", "--select", "RL203", "-f", "json", cwd=tmp_path)
    # values: on line 16; master: +2, configuration: +3, its second line +5; block indented 8.
    assert [(f["rule"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]] == [("RL203", 21, 9)]
    assert release.splitlines()[20] == "        appendonly no"


def test_unknown_profile_is_a_usage_error() -> None:
    result = invoke("check", str(EXAMPLES / "redis.conf"), "--profile", "nope")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_malformed_user_profile_cites_file_and_line(tmp_path: Path) -> None:
    profile = tmp_path / "team.yaml"
    profile.write_text("name: team\nextends: critical\nsettings:\n  min_replica: 1\n")
    result = invoke("check", str(EXAMPLES / "redis.conf"), "--profile", str(profile))
    assert result.exit_code == 2
    assert f"{profile}:4:" in result.output


def test_user_profile_extending_a_builtin(tmp_path: Path) -> None:
    profile = tmp_path / "team.yaml"
    profile.write_text("name: team\nextends: session\nsettings:\n  rdb: optional\nrules:\n  RL201: off\n")
    result = invoke("check", str(EXAMPLES / "redis.conf"), "--profile", str(profile), "--format", "json")
    data = json.loads(result.output)
    assert data["summary"]["profiles"] == ["team"]
    assert all(f["rule"] != "RL201" for f in data["findings"])


def test_config_file_settings_and_show_settings(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(textwrap.dedent("""\
        [project]
        name = "x"

        [tool.redislint]
        profile = "session"
        ignore = ["RL206"]
        fail-on = "warning"
        """))
    result = invoke("check", "--show-settings", cwd=tmp_path)
    assert result.exit_code == 0
    assert "profile = 'session'" in result.output and "pyproject.toml:5" in result.output
    assert "ignore = ['RL206']" in result.output
    cli = invoke("check", "--show-settings", "--profile", "critical", cwd=tmp_path)
    assert "profile = 'critical'  # command line" in cli.output


def test_malformed_config_file_cites_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".redislint.yaml").write_text("profile: cache\nfail_on: warning\n")
    shutil.copy(EXAMPLES / "redis.conf", tmp_path / "redis.conf")
    result = invoke("check", str(tmp_path / "redis.conf"))
    assert result.exit_code == 2
    assert ".redislint.yaml:2:1: unknown setting 'fail_on'; did you mean 'fail-on'?" in result.output


def test_standard_input() -> None:
    result = invoke("check", "-", "--format", "json", input="appendonly yes # durable\n")
    data = json.loads(result.output)
    assert [f["rule"] for f in data["findings"] if f["rule"] == "RL013"] == ["RL013"]
    assert data["findings"][0]["path"] in ("-", "<stdin>")


def test_rules_explain_profiles() -> None:
    listing = invoke("rules")
    assert listing.exit_code == 0 and "RL203" in listing.output
    explained = invoke("explain", "aof-disabled")
    assert explained.exit_code == 0 and "## Why is this bad?" in explained.output
    assert invoke("explain", "RL999").exit_code == 2
    table = invoke("profiles")
    assert table.exit_code == 0 and "critical" in table.output
    data = json.loads(invoke("rules", "--format", "json").output)
    assert {r["code"] for r in data["rules"]} >= {"RL001", "RL203", "RL901"}


def _policy_word(profile: str, code: str) -> str:
    """What a built-in profile file itself says of a rule (read here, not through redislint)."""
    import re

    text = (ROOT / "redislint" / "policies" / f"{profile}.yaml").read_text()
    return re.search(rf"^\s+{code}:\s*(\w+)", text, re.M).group(1)


@pytest.mark.parametrize("code,scope,reads", [
    ("RL205", "state", "max_data_loss_seconds, min_replicas_to_write"),
    ("RL212", "transition", "none"),
    ("RL902", "state", "suppression_reason_required"),
])
def test_explain_says_where_the_rule_lives_what_it_reads_and_how_each_profile_judges_it(
        code: str, scope: str, reads: str) -> None:
    out = invoke("explain", code.lower()).output
    head = out.split("\n\n", 2)[1].splitlines()
    (module,) = [line.split(": ", 1)[1] for line in head if line.startswith("Defined in: ")]
    assert (ROOT / module).is_file() and f"{code.lower()}_" in module
    assert f"Scope: {scope}: " in out
    assert f"Reads profile settings: {reads}\n" in out
    profiles = ("baseline", "ephemeral", "session", "cache", "queue", "critical")
    expected = ", ".join(f"{p} {_policy_word(p, code)}" for p in profiles)
    assert f"Severity by profile: {expected}\n" in out
    assert "## What it does" in out


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "gitlab"])
def test_every_format_runs_on_every_example(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = invoke("check", str(EXAMPLES), "--format", fmt, "--output", str(out), "--fail-on", "never")
    assert result.exit_code == 0, result.output
    assert out.read_text()


def test_version_runs_as_a_real_process() -> None:
    proc = subprocess.run([sys.executable, "-m", "redislint", "--version"], capture_output=True, text=True)
    assert proc.returncode == 0 and "redislint" in proc.stdout


def _process(*args: str, **kwargs) -> subprocess.CompletedProcess:
    """The real command (`redislint.cli.run`, which leaves with os._exit), not CliRunner."""
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run([sys.executable, "-m", "redislint", *args], **kwargs)


def test_the_real_process_exits_with_the_status_and_every_byte_of_output() -> None:
    """`run` skips the interpreter's teardown: the status and the flushed output must survive it."""
    bad, fixed = str(EXAMPLES / "helmrelease.yaml"), str(EXAMPLES / "helmrelease-fixed.yaml")
    in_process = invoke("check", bad, "--profile", "critical", "--format", "json")
    proc = _process("check", bad, "--profile", "critical", "--format", "json")
    assert proc.returncode == 1
    assert proc.stdout.decode() == in_process.output and json.loads(proc.stdout)["findings"]
    assert _process("check", fixed, "--profile", "critical").returncode == 0
    usage = _process("check")
    assert usage.returncode == 2 and b"give at least one file" in usage.stderr
    assert _process("check", "/nonexistent/redislint.yaml").returncode == 2


def test_a_closed_pipe_ends_the_run_without_a_traceback() -> None:
    """`redislint check . | head` closes stdout early: no traceback, and never a green status."""
    reader, writer = os.pipe()
    os.close(reader)  # whatever is written now meets a closed pipe
    try:
        proc = _process("check", str(EXAMPLES / "helmrelease.yaml"), "--profile", "critical", stdout=writer)
    finally:
        os.close(writer)
    assert proc.returncode == 2
    assert b"Traceback" not in proc.stderr


def test_a_closed_stdout_gets_a_message_not_a_traceback() -> None:
    """Started with descriptor 1 closed (`>&-`), Python has no sys.stdout at all."""
    close_stdout = lambda: os.close(1)  # noqa: E731  (runs in the child before exec)
    version = _process("--version", preexec_fn=close_stdout)
    assert version.returncode == 0 and version.stderr == b""
    check = _process("check", str(EXAMPLES / "helmrelease.yaml"), preexec_fn=close_stdout)
    assert check.returncode == 2
    assert b"standard output is closed" in check.stderr and b"Traceback" not in check.stderr
    assert b"internal error" not in check.stderr
