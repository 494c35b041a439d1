"""Paths named by repository content stay inside the repository, and nothing they lead to is shown.

A pull request controls every file it changes: a `redislint.io/profile` annotation, the config
file's `profile:`/`profiles:` and a profile file's `extends:`. They may name built-in profiles or
regular files inside the repository, never `/etc/shadow`, `/dev/zero` or `/dev/stdin`; the error
names the value as written and never what the path holds. Only `--profile` on the command line
may name any file (the user typed it).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from redislint.engine import CheckOptions, check_paths

from .conftest import FORMATS, invoke
from .test_bad_inputs import record_opens

# Lines a leaked file would show: as a mapping key, as a value the schema quotes back, as a
# shadow-style line, and as the file's first line.
SECRETS = ("Sup3rSecretKey", "Sup3r_Secret_Name", "root:$6$Sup3rSalt", "Sup3rFirstLine")
SECRET_FILE = (
    "# Sup3rFirstLine\n"
    "name: Sup3r_Secret_Name\n"
    "Sup3rSecretKey: yes\n"
    "root:$6$Sup3rSalt$hash: 19000\n"
)

RELEASE = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: cache
  annotations:
    redislint.io/profile: {value}
spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
    architecture: standalone
"""
ANNOTATION_LINE, ANNOTATION_COLUMN = 7, 27


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree (a `.git` directory is what marks one) next to a secret file outside it."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "apps").mkdir()
    (tmp_path / "secret.yaml").write_text(SECRET_FILE)
    return root


def _release(repo: Path, value: str) -> Path:
    path = repo / "apps" / "hr.yaml"
    path.write_text(RELEASE.format(value=value))
    return path


def _assert_nothing_leaked(output: str) -> None:
    for secret in SECRETS:
        assert secret not in output, output[-2000:]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("how", ["absolute", "relative", "link"])
def test_annotation_naming_a_file_outside_the_repository_is_an_error_that_shows_nothing_of_it(
        repo: Path, fmt: str, how: str) -> None:
    secret = repo.parent / "secret.yaml"
    if how == "link":
        (repo / "policies").mkdir()
        (repo / "policies" / "team.yaml").symlink_to(secret)
    value = {"absolute": str(secret), "relative": "../secret.yaml", "link": "policies/team.yaml"}[how]
    _release(repo, value)
    with record_opens() as opened:
        run = invoke("check", "apps/hr.yaml", "-f", fmt, cwd=repo)
    assert run.exit_code == 1, run.output
    _assert_nothing_leaked(run.output)
    assert str(secret) not in opened  # not even read
    shown = run.output.replace("\\", "") if fmt == "markdown" else run.output  # Markdown escapes _ and *
    assert value in shown and "outside the repository" in shown
    if fmt == "json":
        found = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "RL003"]
        assert [(f["severity"], f["line"], f["column"]) for f in found] == [
            ("error", ANNOTATION_LINE, ANNOTATION_COLUMN)]
    if how == "link":
        assert "symbolic link" in run.output


# Run in a child: an audit hook reports (and refuses) every open of a device or /proc file, and the
# address space is capped at 1 GiB, so that a regression reading /dev/zero fails in seconds instead
# of taking the machine's memory, and one reading /dev/stdin fails at the timeout.
_CHILD = """
import sys
def hook(event, args):
    if event == "open" and isinstance(args[0], str) and args[0].startswith(("/dev/", "/proc/")):
        sys.stderr.write("OPENED " + args[0] + "\\n")
        raise PermissionError(13, "the test forbids opening devices", args[0])
sys.addaudithook(hook)
from redislint.cli import main
sys.argv = ["redislint"] + sys.argv[1:]
main()
"""


def _limited_run(args: list[str], cwd: Path, stdin: int | None = None, timeout: float = 60,
                 hook: bool = False) -> subprocess.CompletedProcess:
    """`redislint ARGS` in a child with its address space capped at 1 GiB (and, with `hook`, no device
    opened): reading /dev/zero to the end fails within seconds instead of taking the machine's memory."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    env = dict(os.environ, NO_COLOR="1")
    command = [sys.executable, "-c", _CHILD] if hook else [sys.executable, "-m", "redislint"]
    return subprocess.run([*command, *args], cwd=cwd, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                          capture_output=True, text=True, env=env, timeout=timeout, preexec_fn=limit)


@pytest.mark.parametrize("value", ["/dev/zero", "/dev/stdin", "/dev/full", "/proc/self/environ"])
def test_annotation_naming_a_device_is_an_error_and_the_device_is_never_opened(repo: Path, value: str) -> None:
    _release(repo, value)
    proc = _limited_run(["check", "apps/hr.yaml"], repo, hook=True)
    assert "OPENED" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1 and "error RL003" in proc.stdout and value in proc.stdout


def test_profile_files_inside_the_repository_that_are_no_regular_files(repo: Path) -> None:
    """A link to /dev/zero leads outside; a named pipe inside is refused without waiting for a writer."""
    (repo / "policies").mkdir()
    (repo / "policies" / "zero.yaml").symlink_to("/dev/zero")
    os.mkfifo(repo / "policies" / "pipe.yaml")
    (repo / "apps" / "a.yaml").write_text(RELEASE.format(value="policies/zero.yaml"))
    (repo / "apps" / "b.yaml").write_text(RELEASE.format(value="policies/pipe.yaml").replace("name: redis", "name: b"))
    proc = _limited_run(["check", "apps/a.yaml", "apps/b.yaml", "-f", "json"], repo)
    assert proc.returncode == 1, proc.stderr[-2000:]
    found = {f["path"]: f["message"] for f in json.loads(proc.stdout)["findings"] if f["rule"] == "RL003"}
    assert "'policies/zero.yaml' leads outside the repository" in found["apps/a.yaml"]
    assert "'policies/pipe.yaml' is not a regular file (a named pipe)" in found["apps/b.yaml"]


def test_a_profile_file_over_the_size_limit_is_not_read(repo: Path) -> None:
    (repo / "big.yaml").write_text("name: big\nextends: cache\n" + "#" * (1024 * 1024) + "\n")
    _release(repo, "big.yaml")
    run = invoke("check", "apps/hr.yaml", cwd=repo)
    assert run.exit_code == 1 and "'big.yaml' is larger than 1024 KiB" in run.output


def test_command_line_profile_may_be_outside_but_never_a_device(repo: Path, tmp_path: Path) -> None:
    """`--profile` may name any file the user chose; /dev/zero and /dev/stdin are refused, not read."""
    mine = tmp_path / "elsewhere" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text("name: mine\nextends: critical\n")
    (repo / "apps" / "r.conf").write_text("appendonly yes\n")
    ok = invoke("check", "apps/r.conf", "--profile", str(mine), cwd=repo)
    assert "(profile mine)" in ok.output
    zero = _limited_run(["check", "apps/r.conf", "--profile", "/dev/zero"], repo)
    assert zero.returncode == 2 and "'/dev/zero' is not a regular file (a character device)" in zero.stderr
    # A pipe that is never written to nor closed: reading it would wait for ever.
    read_end, write_end = os.pipe()
    try:
        stdin = _limited_run(["check", "apps/r.conf", "--profile", "/dev/stdin"], repo, stdin=read_end, timeout=60)
    finally:
        os.close(read_end)
        os.close(write_end)
    assert stdin.returncode == 2 and "'/dev/stdin' is not a regular file (a named pipe)" in stdin.stderr


@pytest.mark.parametrize("config_name, text", [
    (".redislint.yaml", "profile: ../secret.yaml\n"),
    (".redislint.yaml", "profiles:\n  'apps/*': {secret}\n"),
    ("pyproject.toml", "[tool.redislint]\nprofile = \"{secret}\"\n"),
])
@pytest.mark.parametrize("passed", [False, True])
def test_config_file_naming_a_profile_outside_the_repository_is_an_error(repo: Path, config_name: str, text: str,
                                                                         passed: bool) -> None:
    """Found in the tree or passed with --config, the config file is the pull request's: it is confined."""
    secret = repo.parent / "secret.yaml"
    config = repo / config_name
    config.write_text(text.format(secret=secret))
    (repo / "apps" / "r.conf").write_text("appendonly yes\n")
    args = ["check", "apps/r.conf"] + (["--config", str(config)] if passed else [])
    with record_opens() as opened:
        run = invoke(*args, cwd=repo)
    assert run.exit_code == 2, run.output
    assert str(secret) not in opened
    _assert_nothing_leaked(run.output)
    assert f"{config}:" in run.output and "outside the repository" in run.output


def test_config_profile_paths_are_relative_to_the_config_file(repo: Path) -> None:
    (repo / "deploy" / "policies").mkdir(parents=True)
    (repo / "deploy" / "policies" / "team.yaml").write_text("name: team\nextends: critical\n")
    (repo / "deploy" / ".redislint.yaml").write_text("profile: policies/team.yaml\n")
    (repo / "apps" / "r.conf").write_text("appendonly yes\n")
    run = invoke("check", "apps/r.conf", "--config", "deploy/.redislint.yaml", cwd=repo)
    assert "(profile team)" in run.output, run.output


def test_extends_outside_the_repository_is_an_error_at_the_extends_line(repo: Path) -> None:
    (repo / "team.yaml").write_text("name: team\nextends: ../secret.yaml\n")
    (repo / "link.yaml").symlink_to(repo.parent / "secret.yaml")
    (repo / "via-link.yaml").write_text("name: via-link\nextends: link.yaml\n")
    for name in ("team.yaml", "via-link.yaml"):
        _release(repo, name)
        run = invoke("check", "apps/hr.yaml", "-f", "json", cwd=repo)
        _assert_nothing_leaked(run.output)
        found = [f for f in json.loads(run.stdout)["findings"] if f["rule"] == "RL003"]
        assert len(found) == 1 and found[0]["severity"] == "error"
        assert f"{repo / name}:2:10: extends" in found[0]["message"]
        assert "leads outside the repository" in found[0]["message"]


def test_command_line_profile_extends_stay_in_its_own_repository(repo: Path, tmp_path: Path) -> None:
    """--profile names a file in the checked repository; the pull request controls its `extends`."""
    (repo / "team.yaml").write_text("name: team\nextends: ../secret.yaml\n")
    (repo / "apps" / "r.conf").write_text("appendonly yes\n")
    run = invoke("check", "apps/r.conf", "--profile", "team.yaml", cwd=repo)
    assert run.exit_code == 2 and "team.yaml:2:10: extends '../secret.yaml': leads outside the repository" in run.output
    _assert_nothing_leaked(run.output)


def test_annotation_paths_are_relative_to_the_repository_root(repo: Path, tmp_path: Path) -> None:
    (repo / "policies").mkdir()
    (repo / "policies" / "team.yaml").write_text("name: team\nextends: critical\n")
    _release(repo, "policies/team.yaml")
    run = invoke("check", str(repo / "apps" / "hr.yaml"), cwd=tmp_path)  # from outside the repository
    assert "(profile team)" in run.output and "RL003" not in run.output, run.output


def test_outside_git_the_file_directory_is_the_repository(tmp_path: Path) -> None:
    """No `.git`: only the directory of the annotated file (and below) may be named."""
    (tmp_path / "secret.yaml").write_text(SECRET_FILE)
    (tmp_path / "plain" / "policies").mkdir(parents=True)
    (tmp_path / "plain" / "policies" / "team.yaml").write_text("name: team\nextends: critical\n")
    (tmp_path / "plain" / "hr.yaml").write_text(RELEASE.format(value="policies/team.yaml"))
    (tmp_path / "plain" / "out.yaml").write_text(RELEASE.format(value="../secret.yaml").replace("name: redis",
                                                                                              "name: out"))
    run = invoke("check", "plain", "-f", "json", cwd=tmp_path)
    _assert_nothing_leaked(run.output)
    data = json.loads(run.stdout)
    assert data["summary"]["profiles"] == ["baseline", "team"]  # the unusable annotation falls back to the default
    found = [f for f in data["findings"] if f["rule"] == "RL003"]
    assert [f["path"] for f in found] == ["plain/out.yaml"]
    assert "not in a git repository" in found[0]["message"]


def test_unknown_profile_annotation_is_an_error_with_a_suggestion_in_every_format(repo: Path) -> None:
    _release(repo, "critcal")
    for fmt in FORMATS:
        run = invoke("check", "apps/hr.yaml", "-f", fmt, cwd=repo)
        assert run.exit_code == 1 and "did you mean 'critical'?" in run.output
    sarif = json.loads(invoke("check", "apps/hr.yaml", "-f", "sarif", cwd=repo).stdout)
    results = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "RL003"]
    assert [(r["level"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == [
        ("error", ANNOTATION_LINE)]


def test_profile_verdicts_are_per_run(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second check in the same process sees the profile file created since the first."""
    monkeypatch.chdir(repo)
    _release(repo, "policies/team.yaml")
    first, _ = check_paths(["apps/hr.yaml"], CheckOptions())
    assert [f.rule for f in first.findings if f.rule == "RL003"] == ["RL003"] and first.profiles == ("baseline",)
    (repo / "policies").mkdir()
    (repo / "policies" / "team.yaml").write_text("name: team\nextends: critical\n")
    second, _ = check_paths(["apps/hr.yaml"], CheckOptions())
    assert second.profiles == ("team",) and not [f for f in second.findings if f.rule == "RL003"]


@pytest.mark.parametrize("jobs, stream", [(1, False), (1, True), (2, True)])
def test_profile_verdicts_are_per_run_in_every_driver(repo: Path, monkeypatch: pytest.MonkeyPatch, jobs: int,
                                                      stream: bool) -> None:
    """One pass, file by file here and in worker processes: each run judges annotations anew, in
    either direction (a profile file that appears, a profile file that goes), and raises nothing."""
    from redislint import parallel

    monkeypatch.chdir(repo)
    monkeypatch.setattr(parallel, "STREAM_MIN_FILES", 1 if stream else 10**9)
    release = _release(repo, "policies/team.yaml")
    (repo / "apps" / "other.yaml").write_text(release.read_text().replace("name: redis", "name: other"))
    paths = ["apps/hr.yaml", "apps/other.yaml"]
    options = CheckOptions(jobs=jobs)

    def annotation_errors() -> tuple[tuple[str, ...], list[int]]:
        report, _ = check_paths(paths, options)
        return report.profiles, sorted(f.span.line for f in report.findings if f.rule == "RL003")

    assert annotation_errors() == (("baseline",), [ANNOTATION_LINE, ANNOTATION_LINE])
    (repo / "policies").mkdir()
    (repo / "policies" / "team.yaml").write_text("name: team\nextends: critical\n")
    assert annotation_errors() == (("team",), [])
    (repo / "policies" / "team.yaml").unlink()
    assert annotation_errors() == (("baseline",), [ANNOTATION_LINE, ANNOTATION_LINE])


def test_a_repository_reached_through_a_symbolic_link(repo: Path, tmp_path: Path) -> None:
    """Working in a linked path to the repository, every profile inside it is still inside."""
    (repo / "policies").mkdir()
    (repo / "policies" / "team.yaml").write_text("name: team\nextends: ../policies/base.yaml\n")
    (repo / "policies" / "base.yaml").write_text("name: base\nextends: critical\n")
    (repo / ".redislint.yaml").write_text("profile: policies/team.yaml\n")
    (repo / "apps" / "r.conf").write_text("appendonly yes\n")
    _release(repo, "policies/team.yaml")
    link = tmp_path / "link"
    link.symlink_to(repo)
    run = invoke("check", str(link / "apps" / "r.conf"), str(link / "apps" / "hr.yaml"), "--config",
                 str(link / ".redislint.yaml"), "-f", "json", cwd=tmp_path)
    data = json.loads(run.stdout)
    assert data["summary"]["profiles"] == ["team"] and not [f for f in data["findings"] if f["rule"] == "RL003"]
