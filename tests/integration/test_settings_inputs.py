"""What the command line accepts: where the config file is found, rule names, versions, baselines."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from redislint.cli import main

# appendonly no under the cache profile: RL203 aof-disabled, an error.
CONF = "save 900 1\nappendonly no\n"
HELMRELEASE = """apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cache
  namespace: cache
spec:
  chart:
    spec:
      chart: redis
      version: 19.6.4
  values:
    architecture: standalone
"""


def invoke(*args: str, cwd: Path | None = None):
    """`redislint ARGS`; a check is judged under `cache` (what CONF's comment assumes) unless a profile is named."""
    if args and args[0] == "check" and "--profile" not in args:
        args = (*args, "--profile", "cache")
    old = os.getcwd()
    if cwd:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


def rules_of(result) -> list[str]:
    return sorted(f["rule"] for f in json.loads(result.stdout)["findings"])


def notes_of(result) -> list[dict]:
    return json.loads(result.stdout)["notifications"]


# -- where the config file is found ---------------------------------------------------------------

def test_config_is_found_from_the_checked_path_not_the_working_directory(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "deploy").mkdir(parents=True)
    (project / ".redislint.yaml").write_text("ignore: [RL203]\n")
    (project / "deploy" / "redis.conf").write_text(CONF)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = invoke("check", str(project / "deploy" / "redis.conf"), "--format", "json", cwd=elsewhere)
    assert "RL203" not in rules_of(result)
    # ... and the run says which config file it used.
    assert [n["path"] for n in notes_of(result) if "config file" in n["message"]] == [
        str(project / ".redislint.yaml")]
    # A config file in the working directory does not apply to paths elsewhere.
    (elsewhere / ".redislint.yaml").write_text("ignore: [RL2]\n")
    other = tmp_path / "other"
    other.mkdir()
    (other / "redis.conf").write_text(CONF)
    assert "RL203" in rules_of(invoke("check", str(other / "redis.conf"), "--format", "json", cwd=elsewhere))


def test_a_config_above_the_repository_does_not_silence_it(tmp_path: Path) -> None:
    (tmp_path / ".redislint.yaml").write_text("severity:\n  RL203: off\nfail-on: never\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "redis.conf").write_text(CONF)
    result = invoke("check", str(repo), "--format", "json")
    assert result.exit_code == 1 and "RL203" in rules_of(result)
    assert not [n for n in notes_of(result) if "config file" in n["message"]]
    # The same file outside a repository: the config above it applies (and says so).
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "redis.conf").write_text(CONF)
    result = invoke("check", str(plain), "--format", "json")
    assert result.exit_code == 0 and "RL203" not in rules_of(result)
    # A config at the repository root applies to it.
    (repo / ".redislint.yaml").write_text("ignore: [RL203]\n")
    assert "RL203" not in rules_of(invoke("check", str(repo / "redis.conf"), "--format", "json"))


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_config_in_a_world_writable_directory_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / ".redislint.yaml").write_text("ignore: [RL203]\n")
    shared.chmod(0o1777)  # like /tmp: anyone may have put the config there
    try:
        (shared / "project").mkdir()
        (shared / "project" / "redis.conf").write_text(CONF)
        assert "RL203" in rules_of(invoke("check", str(shared / "project"), "--format", "json"))
    finally:
        shared.chmod(stat.S_IRWXU)


def test_paths_governed_by_different_configs_are_an_error(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".redislint.yaml").write_text("profile: cache\n")
    (root / "team").mkdir()
    (root / "team" / ".redislint.yaml").write_text("ignore: [RL203]\n")
    (root / "team" / "redis.conf").write_text(CONF)
    (root / "app.conf").write_text(CONF)
    # Alone, the nested file is judged by its own config ...
    assert "RL203" not in rules_of(invoke("check", str(root / "team" / "redis.conf"), "--format", "json"))
    # ... so a run that would judge it by another config refuses, rather than disagree with that.
    for args in ([str(root)], [str(root / "app.conf"), str(root / "team" / "redis.conf")]):
        result = invoke("check", *args)
        assert result.exit_code == 2, result.output
        assert "governed by different config files" in result.output
        assert str(root / "team" / ".redislint.yaml") in result.output
    # --config names one config for everything.
    result = invoke("check", str(root), "--config", str(root / ".redislint.yaml"), "--format", "json")
    assert result.exit_code == 1 and rules_of(result).count("RL203") == 2


# -- rule names and versions ----------------------------------------------------------------------

@pytest.mark.parametrize("args, said", [
    (["--select", "RL2O3"], "--select: unknown rule 'RL2O3'; did you mean 'RL203' (aof-disabled)?"),
    (["--ignore", "aof-disable"], "--ignore: unknown rule 'aof-disable'; did you mean 'aof-disabled' (RL203)?"),
    (["--select", "RL203,RL9x"], "--select: unknown rule 'RL9x'"),
    (["--redis-version", "banana"], "--redis-version 'banana' is not a Redis/Valkey version"),
    (["--redis-version", "7"], "--redis-version '7' is not a Redis/Valkey version"),
    (["--chart-version", "19.x"], "--chart-version '19.x' is not a chart version"),
])
def test_a_typo_on_the_command_line_is_an_error(tmp_path: Path, args: list[str], said: str) -> None:
    (tmp_path / "redis.conf").write_text(CONF)
    result = invoke("check", str(tmp_path / "redis.conf"), *args)
    assert result.exit_code == 2 and said in result.output, result.output
    assert "Traceback" not in result.output


def test_codes_names_and_prefixes_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text(CONF)
    for pattern in ("RL203", "rl203", "aof-disabled", "RL2", "RL"):
        result = invoke("check", str(tmp_path / "redis.conf"), "--select", pattern, "--format", "json")
        assert result.exit_code == 1 and "RL203" in rules_of(result), pattern


@pytest.mark.parametrize("config, said", [
    ("select: [RL2O3]\n", ".redislint.yaml:1:1: select: unknown rule 'RL2O3'; did you mean 'RL203'"),
    ("profile: cache\nignore:\n  - aof-disable\n", ".redislint.yaml:2:1: ignore: unknown rule 'aof-disable'"),
    ("severity:\n  RL2O3: off\n", ".redislint.yaml:1:1: severity: unknown rule 'RL2O3'"),
    ("suppress:\n  - rules: [RL2O3]\n    reason: x\n", ".redislint.yaml:1:1: suppress: unknown rule 'RL2O3'"),
    ("redis-version: seven\n", ".redislint.yaml:1:1: redis-version 'seven' is not a Redis/Valkey version"),
])
def test_a_typo_in_the_config_file_is_an_error_at_its_line(tmp_path: Path, config: str, said: str) -> None:
    (tmp_path / ".redislint.yaml").write_text(config)
    (tmp_path / "redis.conf").write_text(CONF)
    result = invoke("check", str(tmp_path / "redis.conf"))
    assert result.exit_code == 2 and said in result.output, result.output


def test_a_typo_in_a_suppression_comment_is_a_finding_that_suggests_the_rule(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text("save 900 1\n# redislint: disable=aof-disable -- sessions only\n"
                                         "appendonly no\n")
    result = invoke("check", str(tmp_path / "redis.conf"), "--format", "json", "--profile", "critical")
    findings = json.loads(result.stdout)["findings"]
    rl903 = [f for f in findings if f["rule"] == "RL903"]
    assert [(f["line"], f["severity"]) for f in rl903] == [(2, "error")]
    assert "did you mean 'aof-disabled' (RL203)?" in rl903[0]["message"]
    # The misspelt suppression suppresses nothing: the finding it meant is still there.
    assert "RL203" in rules_of(result) and result.exit_code == 1


def test_a_redis_version_newer_than_any_known_is_accepted_with_the_assumption_said(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text(CONF)
    result = invoke("check", str(tmp_path / "redis.conf"), "--redis-version", "12.0", "--format", "json")
    assert result.exit_code == 1
    said = [n["message"] for n in notes_of(result) if "--redis-version" in n["message"]]
    assert len(said) == 1 and "12.0 is newer than any version redislint knows" in said[0]
    assert "Redis targets as Redis 8." in said[0]
    known = invoke("check", str(tmp_path / "redis.conf"), "--redis-version", "7.2", "--format", "json")
    assert not [n for n in notes_of(known) if "--redis-version" in n["message"]]


def test_a_chart_version_newer_than_any_known_is_accepted_with_the_assumption_said(tmp_path: Path) -> None:
    from redislint.charts.versions import format_semver, releases

    (tmp_path / "hr.yaml").write_text(HELMRELEASE)
    newest = releases("bitnami/redis")[-1]
    result = invoke("check", str(tmp_path / "hr.yaml"), "--chart-version", "999.0.0", "--format", "json")
    said = [n["message"] for n in notes_of(result) if "--chart-version" in n["message"]]
    assert len(said) == 1 and "999.0.0 is newer than any release redislint knows" in said[0]
    assert f"bitnami/redis {format_semver(newest.version)} (Redis {newest.app_version})" in said[0]
    # A version one chart has, even if another chart never got that far, is no assumption.
    known = invoke("check", str(tmp_path / "hr.yaml"), "--chart-version", format_semver(newest.version),
                   "--format", "json")
    assert not [n for n in notes_of(known) if "--chart-version" in n["message"]]


def test_effective_rejects_a_version_that_is_not_one(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text(CONF)
    result = invoke("effective", str(tmp_path / "redis.conf"), "--redis-version", "latest")
    assert result.exit_code == 2 and "not a Redis/Valkey version" in result.output


# -- baselines --------------------------------------------------------------------------------------

def test_a_baseline_works_from_any_working_directory(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "deploy").mkdir()
    (repo / "deploy" / "redis.conf").write_text(CONF)
    baseline = repo / "redislint-baseline.json"
    written = invoke("check", "deploy", "--baseline", str(baseline), "--update-baseline", "--format", "json",
                     cwd=repo)
    assert written.exit_code == 0, written.output
    stored = json.loads(baseline.read_text())["findings"]
    assert {row["path"] for row in stored} == {"deploy/redis.conf"} and "RL203" in {row["rule"] for row in stored}
    assert f"wrote {len(stored)} finding(s) in 1 file(s) to {baseline}" in written.stderr
    # The same findings, checked from inside deploy/ and from outside the repository: all known.
    for cwd, path in ((repo / "deploy", "redis.conf"), (tmp_path, str(repo / "deploy" / "redis.conf"))):
        again = invoke("check", path, "--baseline", str(baseline), "--format", "json", cwd=cwd)
        assert again.exit_code == 0 and rules_of(again) == [], (cwd, again.output)
    # A new problem is still reported.
    (repo / "deploy" / "redis.conf").write_text(CONF + "appendfsync sometimes\n")
    worse = invoke("check", "redis.conf", "--baseline", str(baseline), "--format", "json", cwd=repo / "deploy")
    assert worse.exit_code == 1 and rules_of(worse) == ["RL011"]
