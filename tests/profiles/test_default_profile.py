"""No profile chosen: targets are judged under `baseline`, and every output format says so once."""

from __future__ import annotations

import json
import os
from pathlib import Path

from click.testing import CliRunner

from redislint.cli import main
from redislint.engine import DEFAULT_PROFILE, CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]

HR = """\
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: {name}
  namespace: apps
{annotations}spec:
  chart:
    spec:
      chart: redis
      version: 20.0.3
  values:
    architecture: standalone
"""
ANNOTATED = "  annotations:\n    redislint.io/profile: queue\n"


def _cli(tmp_path: Path, *args: str) -> tuple[int, str]:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(main, list(args))
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def _files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(HR.format(name="plain", annotations=""))
    (tmp_path / "b.yaml").write_text(HR.format(name="jobs", annotations=ANNOTATED))


def test_the_default_is_baseline() -> None:
    assert DEFAULT_PROFILE == "baseline"
    assert CheckOptions().default_profile is None  # nothing chosen


def test_fallback_is_named_once_in_text(tmp_path: Path) -> None:
    _files(tmp_path)
    code, out = _cli(tmp_path, "check", "a.yaml", "b.yaml")
    assert out.count("No profile was chosen") == 1
    note = next(line for line in out.splitlines() if "No profile was chosen" in line)
    assert "1 of 2 Redis targets (apps/plain)" in note and "apps/jobs" not in note
    for how in ("--profile NAME", "redislint.io/profile: NAME", "`profiles:` by path in .redislint.yaml"):
        assert how in note
    assert out.rstrip().endswith("(profiles baseline, queue).")


def test_fallback_is_a_notification_in_json_and_sarif(tmp_path: Path) -> None:
    _files(tmp_path)
    _, out = _cli(tmp_path, "check", "a.yaml", "b.yaml", "-f", "json")
    notes = [n for n in json.loads(out)["notifications"] if "No profile was chosen" in n["message"]]
    assert len(notes) == 1 and notes[0]["level"] == "note" and "apps/plain" in notes[0]["message"]
    _, out = _cli(tmp_path, "check", "a.yaml", "b.yaml", "-f", "sarif")
    invocation = json.loads(out)["runs"][0]["invocations"][0]
    notes = [n for n in invocation["toolExecutionNotifications"] if "No profile was chosen" in n["message"]["text"]]
    assert len(notes) == 1 and notes[0]["level"] == "note"
    assert invocation["executionSuccessful"] is True  # a note, not a failure


def test_no_fallback_note_when_every_target_has_a_profile(tmp_path: Path) -> None:
    _files(tmp_path)
    for args in (("--profile", "cache"), ()):
        files = ("a.yaml", "b.yaml") if args else ("b.yaml",)
        _, out = _cli(tmp_path, "check", *files, *args, "-f", "json")
        assert not _fallback_notes(json.loads(out)), args


def test_config_file_profile_and_path_mapping_are_choices(tmp_path: Path) -> None:
    _files(tmp_path)
    (tmp_path / ".redislint.yaml").write_text("profile: session\n")
    _, out = _cli(tmp_path, "check", "a.yaml", "-f", "json")
    data = json.loads(out)
    assert data["summary"]["profiles"] == ["session"] and not _fallback_notes(data)
    (tmp_path / ".redislint.yaml").write_text("profiles:\n  'a.yaml': ephemeral\n")
    _, out = _cli(tmp_path, "check", "a.yaml", "-f", "json")
    data = json.loads(out)
    assert data["summary"]["profiles"] == ["ephemeral"] and not _fallback_notes(data)


def _fallback_notes(data: dict) -> list:
    return [n for n in data["notifications"] if "No profile was chosen" in n["message"]]


def test_show_settings_says_the_default_is_not_a_choice(tmp_path: Path) -> None:
    _, out = _cli(tmp_path, "check", "--show-settings")
    assert "profile = 'baseline'  # default" in out


def test_engine_default_reports_only_what_baseline_judges(tmp_path: Path) -> None:
    """The chart's defaults (AOF on, save "", no maxmemory) are sound for some data: no error under baseline."""
    path = tmp_path / "a.yaml"
    path.write_text(HR.format(name="plain", annotations=""))
    report, _ = check_paths([str(path)], CheckOptions())
    assert report.profiles == ("baseline",)
    assert not [f for f in report.findings if f.severity.value == "error"], report.findings
    assert {f.rule for f in report.findings} <= {"RL303", "RL307"}


def test_profiles_name_shows_every_rule_severity(tmp_path: Path) -> None:
    code, out = _cli(tmp_path, "profiles", "queue")
    assert code == 0
    assert out.startswith("queue: Job queues and streams")
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines() if line.startswith("RL")}
    assert rows["RL305"] == "error" and rows["RL201"] == "off" and rows["RL211"] == "off"
    assert len(rows) >= 48
    code, out = _cli(tmp_path, "profiles")
    assert code == 0 and not [line for line in out.splitlines() if line.startswith("RL")]


def test_readme_profile_table_is_current(tmp_path: Path) -> None:
    _, table = _cli(tmp_path, "profiles")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```\n" + table + "```" in readme, "paste `redislint profiles` into README.md's Profiles section"
