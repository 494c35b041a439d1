"""`redislint check --base` as users and CI meet it: exit codes, every output format, suppressions,
baselines, --changed-only, a base that cannot be read, and a repository that tries to run code."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.change.gitrepo import git, make_repo
from tests.change.test_review import STANDALONE_RDB, hr, line_of
from tests.output.sarif_validation import schema_errors

from redislint.cli import main

AOF_ON = STANDALONE_RDB.replace("appendonly no", "appendonly yes")


def invoke(cwd: Path, *args: str):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, list(args))
    finally:
        os.chdir(old)


@pytest.fixture
def aof_change(tmp_path: Path) -> Path:
    """A release whose change switches the AOF on over snapshots (RL212), beside an unchanged release
    that has state findings of its own."""
    other = hr("architecture: standalone\nmaster:\n  persistence:\n    enabled: false\n", name="jobs")
    return make_repo(tmp_path / "repo", {"cache.yaml": hr(STANDALONE_RDB), "jobs.yaml": other},
                     {"cache.yaml": hr(AOF_ON)})


def test_text_output_and_exit_code(aof_change: Path) -> None:
    result = invoke(aof_change, "check", ".", "--base", "base", "--profile", "cache")
    assert result.exit_code == 1
    assert f"cache.yaml:{line_of(hr(AOF_ON), 'appendonly yes')}:7: error RL212 aof-enabled-on-existing-data" in result.output
    assert "CONFIG SET appendonly yes" in result.output


@pytest.mark.parametrize("fmt", ["json", "sarif", "github", "gitlab"])
def test_every_output_format_carries_the_transition(aof_change: Path, fmt: str) -> None:
    result = invoke(aof_change, "check", ".", "--base", "base", "--profile", "cache", "-f", fmt)
    assert result.exit_code == 1, result.output
    out = result.stdout
    if fmt == "json":
        assert [f["rule"] for f in json.loads(out)["findings"] if f["rule"] == "RL212"] == ["RL212"]
    elif fmt == "sarif":
        doc = json.loads(out)
        assert schema_errors(doc) == []
        run = doc["runs"][0]
        assert [r["ruleId"] for r in run["results"] if r["ruleId"] == "RL212"] == ["RL212"]
        assert "RL212" in {r["id"] for r in run["tool"]["driver"]["rules"]}
    elif fmt == "github":
        assert "::error file=cache.yaml" in out and "RL212" in out
    else:
        assert [i["check_name"] for i in json.loads(out) if "RL212" in i["check_name"]]


def test_transition_rules_are_not_run_without_a_base(aof_change: Path) -> None:
    result = invoke(aof_change, "check", ".", "--profile", "cache", "-f", "sarif")
    rules = {r["id"] for r in json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]}
    assert "RL212" not in rules and "RL203" in rules


def test_a_suppression_comment_covers_a_transition(tmp_path: Path) -> None:
    suppressed = AOF_ON.replace("  appendonly yes", "  # redislint: disable=RL212 -- enabled with CONFIG SET first\n"
                                                    "  appendonly yes")
    repo = make_repo(tmp_path, {"cache.yaml": hr(STANDALONE_RDB)}, {"cache.yaml": hr(suppressed)})
    with_base = invoke(repo, "check", ".", "--base", "base", "--profile", "critical", "-f", "json",
                       "--show-suppressed")
    data = json.loads(with_base.stdout)
    assert [(f["rule"], f["suppressed"]) for f in data["findings"] if f["rule"] in ("RL212", "RL901")] == \
        [("RL212", True)]
    # Without a base RL212 does not run: its suppression is not an unused one (RL901).
    without = json.loads(invoke(repo, "check", ".", "--profile", "critical", "-f", "json").stdout)
    assert not [f for f in without["findings"] if f["rule"] == "RL901"]


def test_a_baseline_remembers_a_transition_across_edits_above_it(aof_change: Path) -> None:
    base_file = aof_change / "redislint-baseline.json"
    written = invoke(aof_change, "check", ".", "--base", "base", "--profile", "cache", "--baseline", str(base_file),
                     "--update-baseline")
    assert written.exit_code == 0
    assert "RL212" in {f["rule"] for f in json.loads(base_file.read_text())["findings"]}
    cache = aof_change / "cache.yaml"
    cache.write_text("# moved down by a comment\n" + cache.read_text())
    again = invoke(aof_change, "check", ".", "--base", "base", "--profile", "cache", "--baseline", str(base_file),
                   "-f", "json")
    assert [f["rule"] for f in json.loads(again.stdout)["findings"]] == []


def test_changed_only_keeps_what_the_change_touched(aof_change: Path) -> None:
    full = json.loads(invoke(aof_change, "check", ".", "--base", "base", "--profile", "cache", "-f", "json").stdout)
    assert {Path(f["path"]).name for f in full["findings"]} == {"cache.yaml", "jobs.yaml"}
    only = json.loads(invoke(aof_change, "check", ".", "--base", "base", "--profile", "cache", "--changed-only",
                             "-f", "json").stdout)
    # The unchanged release's findings go; all of the changed release's stay (its config changed).
    assert {Path(f["path"]).name for f in only["findings"]} == {"cache.yaml"}
    assert sorted(f["rule"] for f in only["findings"]) == sorted(
        f["rule"] for f in full["findings"] if Path(f["path"]).name == "cache.yaml")


def test_changed_only_keeps_a_touched_line_of_a_target_whose_config_did_not_change(tmp_path: Path) -> None:
    # A trailing comment in a redis.conf comment line is no change to the config, but the line is the change's.
    repo = make_repo(tmp_path, {"redis.conf": "appendonly no\n"}, {"redis.conf": "appendonly no\nsave 900 1 # often\n"})
    only = json.loads(invoke(repo, "check", ".", "--base", "base", "--profile", "cache", "--changed-only",
                             "-f", "json").stdout)
    assert ("RL013", 2) in {(f["rule"], f["line"]) for f in only["findings"]}


def test_changed_only_needs_a_base(aof_change: Path) -> None:
    result = invoke(aof_change, "check", ".", "--changed-only")
    assert result.exit_code == 2 and "--changed-only needs --base" in result.output


def test_an_unknown_base_is_an_error(aof_change: Path) -> None:
    result = invoke(aof_change, "check", ".", "--base", "origin/nope")
    assert result.exit_code == 2
    assert "no such branch, tag or commit" in result.output and "git fetch origin origin/nope" in result.output


def test_a_shallow_clone_without_the_base_says_how_to_fetch_it(aof_change: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{aof_change}", str(clone)], check=True)
    base = git(aof_change, "rev-parse", "base").strip()
    result = invoke(clone, "check", ".", "--base", base)
    assert result.exit_code == 2
    assert "shallow" in result.output and "fetch-depth: 0" in result.output and f"git fetch origin {base}" in result.output


def test_outside_git_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "redis.conf").write_text("appendonly yes\n")
    result = invoke(tmp_path, "check", "redis.conf", "--base", "main")
    assert result.exit_code == 2 and "not inside" in result.output


def test_the_repository_cannot_make_the_base_run_code(tmp_path: Path) -> None:
    """Filters, textconv, external diff, fsmonitor and hooks named by the repository's config and
    .gitattributes: reading the base runs none of them."""
    marker = tmp_path / "ran"
    script = tmp_path / "evil.sh"
    script.write_text(f"#!/bin/sh\necho \"$0 $*\" >> {marker}\ncat\n")
    script.chmod(0o755)
    repo = make_repo(tmp_path / "repo", {"redis.conf": "save 900 1\nappendonly no\n"})
    for key in ("filter.evil.clean", "filter.evil.smudge", "filter.evil.process", "diff.evil.textconv",
                "diff.evil.command", "diff.external", "core.fsmonitor", "core.hooksPath"):
        git(repo, "config", key, str(script) if key != "core.hooksPath" else str(tmp_path))
    (tmp_path / "post-checkout").write_text(f"#!/bin/sh\necho hook >> {marker}\n")
    (repo / ".gitattributes").write_text("* filter=evil diff=evil\n")
    (repo / "redis.conf").write_text("save 900 1\nappendonly yes\n")
    result = invoke(repo, "check", "redis.conf", "--base", "base", "--profile", "cache")
    assert "RL212" in result.output, result.output
    assert not marker.exists(), marker.read_text()


def test_selecting_a_transition_rule_without_a_base_is_not_a_silent_pass(aof_change: Path) -> None:
    result = invoke(aof_change, "check", ".", "--select", "RL212,RL410", "--profile", "cache")
    assert result.exit_code == 0
    assert "RL212, RL410 compare a change with a git revision and run only with --base REF" in result.output
    # A group prefix selects state rules too: no warning for the transition rules it also names.
    assert "--base REF" not in invoke(aof_change, "check", ".", "--select", "RL2", "--profile", "cache").output


def test_many_files_go_through_the_file_by_file_pipeline_with_the_same_transitions(tmp_path: Path) -> None:
    files = {f"apps/app{i:02d}.yaml": hr(STANDALONE_RDB, name=f"app{i:02d}") for i in range(60)}
    repo = make_repo(tmp_path, files, {"apps/app07.yaml": hr(AOF_ON, name="app07")})
    outputs = []
    for jobs in ("1", "2"):
        result = invoke(repo, "check", ".", "--base", "base", "--profile", "cache", "--jobs", jobs, "-f", "json",
                        "--changed-only")
        outputs.append(result.stdout)
        assert [(f["rule"], Path(f["path"]).name) for f in json.loads(result.stdout)["findings"]
                if f["rule"] == "RL212"] == [("RL212", "app07.yaml")]
        assert {Path(f["path"]).name for f in json.loads(result.stdout)["findings"]} == {"app07.yaml"}
    assert outputs[0] == outputs[1]
