"""No profile chosen: targets are judged under `baseline`, and every output format says so once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from redislint.engine import DEFAULT_PROFILE, CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]

@pytest.fixture
def two_releases(tmp_path: Path, helmrelease: Callable[..., str]) -> None:
    """a.yaml: a release with no profile; b.yaml: one annotated `queue`."""
    for file, name, notes in (("a.yaml", "plain", None), ("b.yaml", "jobs", {"redislint.io/profile": "queue"})):
        (tmp_path / file).write_text(helmrelease({"architecture": "standalone"}, name=name, namespace="apps",
                                                 version="20.0.3", annotations=notes))


@pytest.fixture
def cli_here(tmp_path: Path, cli: Callable[..., Any]) -> Callable[..., tuple[int, str]]:
    """`redislint ARGS` in the test's folder: (exit code, stdout and stderr)."""
    def run(*args: str) -> tuple[int, str]:
        result = cli(*args, cwd=tmp_path)
        return result.exit_code, result.stdout + result.stderr
    return run


def test_the_default_is_baseline() -> None:
    assert DEFAULT_PROFILE == "baseline"
    assert CheckOptions().default_profile is None  # nothing chosen


def test_fallback_is_named_once_in_text(two_releases: None, cli_here) -> None:
    code, out = cli_here("check", "a.yaml", "b.yaml")
    assert out.count("No profile was chosen") == 1
    note = next(line for line in out.splitlines() if "No profile was chosen" in line)
    assert "1 of 2 Redis targets (apps/plain)" in note and "apps/jobs" not in note
    for how in ("--profile NAME", "redislint.io/profile: NAME", "`profiles:` by path in .redislint.yaml"):
        assert how in note
    assert out.rstrip().endswith("(profiles baseline, queue).")


def test_fallback_is_a_notification_in_json_and_sarif(two_releases: None, cli_here) -> None:
    _, out = cli_here("check", "a.yaml", "b.yaml", "-f", "json")
    notes = [n for n in json.loads(out)["notifications"] if "No profile was chosen" in n["message"]]
    assert len(notes) == 1 and notes[0]["level"] == "note" and "apps/plain" in notes[0]["message"]
    _, out = cli_here("check", "a.yaml", "b.yaml", "-f", "sarif")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    notes = [n for n in invocation["toolExecutionNotifications"] if "No profile was chosen" in n["message"]["text"]]
    assert len(notes) == 1 and notes[0]["level"] == "note"
    assert invocation["executionSuccessful"] is True  # a note, not a failure


def test_no_fallback_note_when_every_target_has_a_profile(two_releases: None, cli_here) -> None:
    for args in (("--profile", "cache"), ()):
        files = ("a.yaml", "b.yaml") if args else ("b.yaml",)
        _, out = cli_here("check", *files, *args, "-f", "json")
        assert not _fallback_notes(json.loads(out)), args


def test_config_file_profile_and_path_mapping_are_choices(tmp_path: Path, two_releases: None, cli_here) -> None:
    (tmp_path / ".redislint.yaml").write_text("profile: session\n")
    _, out = cli_here("check", "a.yaml", "-f", "json")
    data = json.loads(out)
    assert data["summary"]["profiles"] == ["session"] and not _fallback_notes(data)
    (tmp_path / ".redislint.yaml").write_text("profiles:\n  'a.yaml': ephemeral\n")
    _, out = cli_here("check", "a.yaml", "-f", "json")
    data = json.loads(out)
    assert data["summary"]["profiles"] == ["ephemeral"] and not _fallback_notes(data)


def _fallback_notes(data: dict) -> list:
    return [n for n in data["notifications"] if "No profile was chosen" in n["message"]]


def test_show_settings_says_the_default_is_not_a_choice(cli_here) -> None:
    _, out = cli_here("check", "--show-settings")
    assert "profile = 'baseline'  # default" in out


def test_engine_default_reports_only_what_baseline_judges(tmp_path: Path, two_releases: None) -> None:
    """The chart's defaults (AOF on, save "", no maxmemory) are sound for some data: no error under baseline."""
    path = tmp_path / "a.yaml"
    report, _ = check_paths([str(path)], CheckOptions())
    assert report.profiles == ("baseline",)
    assert not [f for f in report.findings if f.severity.value == "error"], report.findings
    # RL803: the chart's default docker.io/bitnami image is gone since 2025, whatever the data.
    assert {f.rule for f in report.findings} <= {"RL303", "RL307", "RL803"}


def test_profiles_name_shows_every_rule_severity(cli_here) -> None:
    code, out = cli_here("profiles", "queue")
    assert code == 0
    assert out.startswith("queue: Job queues and streams")
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines() if line.startswith("RL")}
    assert rows["RL305"] == "error" and rows["RL201"] == "off" and rows["RL211"] == "off"
    assert len(rows) >= 48
    code, out = cli_here("profiles")
    assert code == 0 and not [line for line in out.splitlines() if line.startswith("RL")]


def test_readme_profile_table_is_current(cli_here) -> None:
    _, table = cli_here("profiles")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```\n" + table + "```" in readme, "paste `redislint profiles` into README.md's Profiles section"
