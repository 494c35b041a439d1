"""`check`'s outputs as a user and a CI job meet them: several from one analysis, stable SARIF
categories, stdout carrying only the report, colour and wrapping at a real terminal."""

from __future__ import annotations

import json
import os
import re
import select
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.cli import FORMATS, main
from redislint.commands.outputs import Destination, plan, use_color

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SEP = "\u2500"  # box drawing, as rich draws effective's tables

RELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
  annotations:
    redislint.io/profile: {profile}
spec:
  chart:
    spec:
      chart: redis
      version: "19.6.4"
  values:
    architecture: standalone
    master:
      configuration: |
        appendonly no
        save 900 1 # keep
"""


def invoke(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "a.yaml").write_text(RELEASE.format(profile="cache"))
    (tmp_path / "b.yaml").write_text(RELEASE.format(profile="critical").replace("name: cache", "name: store"))
    (tmp_path / "bad.yaml").write_bytes(b"kind: ConfigMap\ndata:\n  x: \xff\n")
    return tmp_path


def test_several_outputs_equal_separate_runs(tree: Path) -> None:
    """One analysis writes every format; each is byte for byte what its own run prints, and the exit
    code is the same."""
    files = {fmt: tree / f"out.{fmt}" for fmt in FORMATS if fmt != "github"}
    args = [f"--output={fmt}={path}" for fmt, path in files.items()]
    together = invoke("check", ".", "--show-suppressed", *args, "--output", "github", cwd=tree)
    github = invoke("check", ".", "--show-suppressed", "--format", "github", cwd=tree)
    assert together.exit_code == github.exit_code == 1
    assert together.stdout == github.stdout and together.stderr == github.stderr
    for fmt, path in files.items():
        alone = invoke("check", ".", "--show-suppressed", f"--output={fmt}={tree / 'alone'}", cwd=tree)
        assert alone.exit_code == 1
        assert path.read_text(encoding="utf-8") == (tree / "alone").read_text(encoding="utf-8"), fmt
        if fmt not in ("text", "concise"):  # on stdout these two leave the unreadable file to stderr
            assert path.read_text(encoding="utf-8") == invoke("check", ".", "--show-suppressed", "--format", fmt,
                                                              cwd=tree).stdout, fmt


def test_sarif_category_is_stable_whatever_profiles_the_files_have(tree: Path) -> None:
    """Adding a file with another profile must not move the alerts to a new category."""
    def automation(*paths: str, extra: tuple[str, ...] = ()) -> str:
        run = invoke("check", *paths, "--format", "sarif", *extra, cwd=tree)
        doc = json.loads(run.stdout)
        assert doc["runs"][0]["properties"]["redislint/profiles"]  # the profiles are still recorded
        return doc["runs"][0]["automationDetails"]["id"]

    assert automation("a.yaml") == automation("a.yaml", "b.yaml") == automation("b.yaml") == "redislint/"
    assert automation("a.yaml", extra=("--sarif-category", "redislint-prod")) == "redislint-prod/"
    bad = invoke("check", "a.yaml", "--sarif-category", "a b", cwd=tree)
    assert bad.exit_code == 2 and "--sarif-category" in bad.stderr


def test_the_first_meaning_of_output_is_kept(tree: Path) -> None:
    """`--format gitlab --output FILE` writes that format to FILE and nothing to stdout, as before."""
    run = invoke("check", "a.yaml", "--format", "gitlab", "--output", "gl.json", cwd=tree)
    assert run.exit_code == 1 and run.stdout == ""
    assert isinstance(json.loads((tree / "gl.json").read_text()), list)
    # A bare format name is a format on stdout; a file named like a format is written as ./name.
    assert json.loads(invoke("check", "a.yaml", "--output", "json", cwd=tree).stdout)["findings"]
    invoke("check", "a.yaml", "--format", "json", "--output", "./json", cwd=tree)
    assert json.loads((tree / "json").read_text())["findings"]


@pytest.mark.parametrize("outputs, expected", [
    ((), [Destination("text", None)]),
    (("sarif=r.sarif",), [Destination("text", None), Destination("sarif", "r.sarif")]),
    (("sarif=r.sarif", "github"), [Destination("github", None), Destination("sarif", "r.sarif")]),
    (("report.txt",), [Destination("text", "report.txt")]),
    (("json=-",), [Destination("json", None)]),
    (("notaformat=x",), [Destination("text", "notaformat=x")]),
])
def test_output_plans(outputs: tuple[str, ...], expected: list[Destination]) -> None:
    assert plan(None, outputs, FORMATS) == expected


@pytest.mark.parametrize("fmt, outputs, message", [
    (None, ("github", "json"), "both go to standard output"),
    ("json", ("github",), "both go to standard output"),
    (None, ("sarif=x", "json=x"), "same file"),
    (None, ("sarif=",), "give a file"),
])
def test_output_conflicts_are_usage_errors(tree: Path, fmt, outputs, message) -> None:
    args = (["--format", fmt] if fmt else []) + [f"--output={o}" for o in outputs]
    run = invoke("check", "a.yaml", *args, cwd=tree)
    assert run.exit_code == 2 and message in run.stderr and run.stdout == ""
    assert not (tree / "x").exists()  # nothing was written: the plan is checked before any work


def test_files_that_cannot_be_analysed_go_to_stderr(tree: Path) -> None:
    for fmt in ("text", "concise", "json", "sarif", "gitlab", "junit", "markdown"):
        run = invoke("check", ".", "--format", fmt, cwd=tree)
        assert run.exit_code == 1  # findings first; an unreadable file alone exits 2
        assert re.search(r"redislint: bad\.yaml(:\d+){0,2}: error: .*UTF-8", run.stderr), (fmt, run.stderr)
        if fmt in ("text", "concise"):
            assert "UTF-8" not in run.stdout and "not valid" not in run.stdout, fmt
    text = invoke("check", ".", cwd=tree).stdout
    assert "1 file not analysed" in text  # the summary still counts it
    assert invoke("check", "bad.yaml", cwd=tree).exit_code == 2
    # In a CI log the github annotations already say it: not twice.
    github = invoke("check", ".", "--format", "github", cwd=tree)
    assert "UTF-8" in github.stdout and "UTF-8" not in github.stderr
    # Written to a file, the text report keeps the list (nothing is lost from the report itself).
    invoke("check", ".", "--output", "text=report.txt", cwd=tree)
    assert "Files not analysed" in (tree / "report.txt").read_text()


def test_statistics(tree: Path) -> None:
    run = invoke("check", "a.yaml", "b.yaml", "--statistics", cwd=tree)
    assert run.exit_code == 1
    assert run.stdout.splitlines()[0].split() == ["count", "rule", "severity", "name"]
    assert "RL013" in run.stdout and "trailing-comment" in run.stdout
    doc = json.loads(invoke("check", "a.yaml", "b.yaml", "--statistics", "--format", "json", cwd=tree).stdout)
    findings = json.loads(invoke("check", "a.yaml", "b.yaml", "--format", "json", cwd=tree).stdout)["findings"]
    assert sum(s["count"] for s in doc["statistics"]) == len(findings)
    refused = invoke("check", "a.yaml", "--statistics", "--format", "sarif", cwd=tree)
    assert refused.exit_code == 2 and "--output sarif=FILE" in refused.stderr


@pytest.mark.parametrize("flag, environ, terminal, expected", [
    (None, {}, True, True), (None, {}, False, False),
    (None, {"NO_COLOR": "1"}, True, False), (None, {"NO_COLOR": ""}, True, True),
    (None, {"FORCE_COLOR": "1"}, False, True), (None, {"FORCE_COLOR": ""}, False, False),
    (None, {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
    (True, {"NO_COLOR": "1"}, False, True), (False, {"FORCE_COLOR": "1"}, True, False),
])
def test_colour_choice(flag, environ, terminal, expected) -> None:
    assert use_color(flag, terminal, environ) is expected


def test_force_color_colours_a_pipe(tree: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    piped = subprocess.run([sys.executable, "-m", "redislint", "check", "a.yaml"], cwd=tree, capture_output=True,
                           text=True, env={**env, "FORCE_COLOR": "1"})
    assert "\x1b[" in piped.stdout
    plain = subprocess.run([sys.executable, "-m", "redislint", "check", "a.yaml"], cwd=tree, capture_output=True,
                           text=True, env=env)
    assert "\x1b[" not in plain.stdout


def run_in_terminal(args: list[str], columns: int, cwd: Path) -> str:
    """Run redislint with its stdout on a real pseudo-terminal of `columns` columns; what it printed."""
    import fcntl
    import termios

    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    proc = subprocess.Popen([sys.executable, "-m", "redislint", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=subprocess.DEVNULL, env=env)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 120)
        if not ready:
            proc.kill()
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _cells(line: str) -> int:
    from redislint.output.wrap import cells

    return cells(line)


@pytest.mark.parametrize("columns", [80, 120])
def test_check_wraps_to_the_terminal_with_a_hanging_indent(columns: int) -> None:
    out = run_in_terminal(["check", "examples/helmrelease.yaml"], columns, ROOT)
    lines = out.splitlines()
    assert "RL402" in out and lines[-1].endswith(")."), out
    assert max(_cells(line) for line in lines) <= columns, [line for line in lines if _cells(line) > columns]
    # The long RL402 message continues on lines indented under it (two more than the message).
    at = next(i for i, line in enumerate(lines) if "RL402" in line)
    assert lines[at + 1].startswith("  ") and not lines[at + 1].startswith("   ")
    assert lines[at + 2].startswith("    ") and not lines[at + 2].startswith("     ")
    # Breaks fall between words: the message's words are all there, whole.
    piped = subprocess.run([sys.executable, "-m", "redislint", "check", "examples/helmrelease.yaml"], cwd=ROOT,
                           capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}).stdout
    assert max(len(line) for line in piped.splitlines()) > columns or columns == 120  # a pipe is not wrapped
    message = next(line for line in piped.splitlines() if line.startswith("  PVC "))
    assert message.split() == " ".join(lines[at + 1:at + 1 + 8]).split()[:len(message.split())]


@pytest.mark.parametrize("columns", [80, 120])
def test_effective_tables_fit_the_terminal(columns: int) -> None:
    out = run_in_terminal(["effective", "examples/helmrelease.yaml"], columns, ROOT)
    lines = out.splitlines()
    assert SEP in out and "appendonly" in out
    assert max(_cells(line) for line in lines) <= columns, [line for line in lines if _cells(line) > columns]
    table_width = max(_cells(line) for line in lines if SEP in line or "\u2501" in line)
    assert table_width <= columns


def test_effective_heading_does_not_repeat_names(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text("appendonly yes\n")
    out = invoke("effective", "redis.conf", cwd=tmp_path).stdout
    assert "redis.conf — role server\n" in out
    assert "redis.conf redis.conf" not in out and "(server)" not in out
    release = invoke("effective", str(EXAMPLES / "helmrelease.yaml")).stdout
    assert "— HelmRelease redis/redis — role master (replication)" in release


VALKEY = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: apps
spec:
  chart:
    spec:
      chart: valkey
      version: "2.0.0"
  values:
    architecture: standalone
    primary:
      configuration: |
        # Redis-compatible settings
        appendonly yes # Redis keeps this comment
"""


def test_messages_name_valkey_for_valkey_targets(tmp_path: Path) -> None:
    (tmp_path / "valkey.yaml").write_text(VALKEY)
    doc = json.loads(invoke("check", "valkey.yaml", "--format", "json", cwd=tmp_path).stdout)
    trailing = [f for f in doc["findings"] if f["rule"] == "RL013"]
    assert trailing and "Valkey refuses to start" in trailing[0]["message"]
    assert "Redis refuses" not in trailing[0]["message"]
    # What is quoted from the file is kept as written.
    assert "# Redis keeps this comment" in trailing[0]["message"]
    out = invoke("effective", "valkey.yaml", cwd=tmp_path).stdout
    assert "Valkey 8.0" in out and "makes Redis" not in out
    # A Redis target still says Redis.
    redis = json.loads(invoke("check", str(EXAMPLES / "helmrelease.yaml"), "--format", "json").stdout)
    assert any("Redis refuses to start" in f["message"] for f in redis["findings"])
